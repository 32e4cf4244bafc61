// The Реестро sandbox as a part of the sandbox: the fake Kontur Реестро at /sandbox/reestro
// (entity API /realty/entity/v1 and /entity/v1, crypto API /realty/crypto/v2) and its console
// at /sandbox/console/reestro. Authorization as Kontur documents it:
// `Authorization: ReestroAuth apiKey=<guid>&portal.orgid=<guid>` (or `auth.sid=...` from the
// console), parameter names in any case; 401 without valid credentials, 403 for an
// organization they may not act for.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { guardConsole } from './console-access.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import type { SandboxPart } from './part.ts';
import type { SandboxConfig } from './config.ts';
import { SandboxCa } from './ca.ts';
import { FaultInjector, HeldAnswers } from './faults.ts';
import { ReestroError, sendReestroError } from './reestro-error.ts';
import { ReestroStore } from './reestro-store.ts';
import { ReestroForms } from './reestro-forms.ts';
import { REESTRO_BODY_LIMIT, reestroCryptoRoutes, reestroEntityRoutes } from './reestro-routes.ts';
import { ConsoleError, reestroConsoleRoutes } from './reestro-console-routes.ts';
import { isGuid } from './reestro-rules.ts';

declare module 'fastify' {
  interface FastifyRequest {
    reestroOrg?: string;
    reestroHold?: boolean;
  }
}

/** `ReestroAuth a=b&c=d` → {a: b, c: d} with lower-case names; undefined when the scheme is not ReestroAuth. */
export function parseReestroAuthorization(header: string | undefined): Record<string, string> | undefined {
  const match = /^\s*ReestroAuth\s+(\S.*)$/i.exec(header ?? '');
  if (!match) return undefined;
  const parameters: Record<string, string> = {};
  for (const pair of match[1].trim().split('&')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    parameters[pair.slice(0, at).trim().toLowerCase()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return parameters;
}

/** The organization the request may act for; throws 401 or 403. */
async function authorize(request: FastifyRequest, config: SandboxConfig, store: ReestroStore): Promise<string> {
  const parameters = parseReestroAuthorization(request.headers.authorization);
  if (!parameters) throw new ReestroError(401, 'unauthorized', 'Authorization: ReestroAuth apiKey=...&portal.orgid=... is required');
  const orgId = parameters['portal.orgid'];
  if (!orgId || !isGuid(orgId)) throw new ReestroError(401, 'unauthorized', 'portal.orgid (a GUID) is required in the Authorization header');
  let allowed: string | undefined;
  if (parameters.apikey !== undefined) {
    if (parameters.apikey.toLowerCase() !== config.reestroApiKey.toLowerCase()) throw new ReestroError(401, 'unauthorized', 'The API key is not valid');
    allowed = config.reestroOrganizationId;
  } else if (parameters['auth.sid'] !== undefined) {
    allowed = await store.sessionOrg(parameters['auth.sid']);
    if (!allowed) throw new ReestroError(401, 'unauthorized', 'The session (auth.sid) is not valid or has expired');
  } else {
    throw new ReestroError(401, 'unauthorized', 'apiKey or auth.sid is required in the Authorization header');
  }
  if (orgId.toLowerCase() !== allowed.toLowerCase()) throw new ReestroError(403, 'forbidden', `These credentials give no access to organization ${orgId}`);
  return orgId.toLowerCase();
}

/** Fastify's own client errors (too large, unreadable) in Реестро's shape. */
function reestroErrorOf(error: FastifyError): ReestroError {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) return new ReestroError(500, 'internal', 'Internal error');
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ReestroError(413, 'contentTooLarge', `The body is larger than ${REESTRO_BODY_LIMIT} bytes`);
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ReestroError(415, 'unsupportedMediaType', error.message);
  return new ReestroError(status, 'badRequest', error.message);
}

export async function reestroSandboxPlugin(app: FastifyInstance, context: Parameters<SandboxPart['register']>[1]): Promise<void> {
  const { db, config, logger } = context;
  const store = new ReestroStore(db);
  const forms = new ReestroForms(db, store, new SandboxCa(db, new SecretBox(context.masterKey)), config, logger);
  const faults = new FaultInjector();
  const faultOperations = { current: [] as string[] };
  const held = new HeldAnswers();
  app.addHook('preClose', async () => held.releaseAll());

  await app.register(
    async (api) => {
      // Every body is read as bytes: contents are raw, and JSON routes check the media type themselves.
      api.removeAllContentTypeParsers();
      api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: REESTRO_BODY_LIMIT }, (_request, body, done) => done(null, body));
      api.setErrorHandler((error: FastifyError, request, reply) => {
        const reestroError = error instanceof ReestroError ? error : reestroErrorOf(error);
        if (reestroError.status >= 500) request.log.error({ err: error }, 'sandbox Реестро error');
        return sendReestroError(reply, reestroError);
      });
      api.setNotFoundHandler((request, reply) => sendReestroError(reply, new ReestroError(404, 'notFound', `No route ${request.method} ${request.url.split('?')[0]}`)));
      api.addHook('onRequest', async (request) => {
        request.reestroOrg = await authorize(request, config, store);
        const operation = request.routeOptions.config.reestroOperation;
        if (faultOperations.current.length && !(operation && faultOperations.current.includes(operation))) return;
        await faults.latency();
        const decision = faults.decide(operation);
        if (decision === 'error') throw new ReestroError(503, 'serviceUnavailable', 'Injected fault: service unavailable');
        if (decision === 'timeout') request.reestroHold = true;
      });
      // Every answer names its request, for the client's errors and support (our choice of header).
      // A "timeout": the work is done, but the answer waits until the client has given up.
      api.addHook('onSend', async (request, reply, payload) => {
        reply.header('x-kontur-request-id', request.id);
        if (!request.reestroHold) return payload;
        await held.hold(request);
        return payload;
      });
      const deps = { store, forms, orgOf: (request: FastifyRequest) => request.reestroOrg! };
      await api.register(async (entity) => reestroEntityRoutes(entity, deps, ''), { prefix: '/realty/entity/v1' });
      await api.register(async (entity) => reestroEntityRoutes(entity, deps, 'Entity'), { prefix: '/entity/v1' });
      await api.register(async (crypto) => reestroCryptoRoutes(crypto, deps), { prefix: '/realty/crypto/v2' });
    },
    { prefix: '/sandbox/reestro' },
  );

  await app.register(
    async (console) => {
      console.setErrorHandler((error: FastifyError & { status?: number; errors?: { field: string; message: string }[] }, request, reply) => {
        const status = error instanceof ConsoleError || error instanceof ReestroError ? error.status : (error.status ?? error.statusCode ?? 500);
        if (status >= 500) request.log.error({ err: error }, 'sandbox Реестро console error');
        const errors = error instanceof ConsoleError ? error.errors : error instanceof ReestroError ? error.errors.map((e) => ({ field: 'form', message: e.message })) : error.errors;
        return reply
          .code(status)
          .type('application/problem+json; charset=utf-8')
          .send({
            type: `urn:kca:problem:sandbox-${String(error.code ?? 'error')}`,
            title: 'Ошибка песочницы',
            status,
            detail: status >= 500 ? 'Внутренняя ошибка песочницы' : error.message,
            ...(errors?.length ? { errors } : {}),
            instance: request.url.split('?')[0],
            requestId: request.id,
          });
      });
      guardConsole(console, context.consoleGuard);
      reestroConsoleRoutes(console, { store, forms, faults, faultOperations, defaultOrgId: config.reestroOrganizationId });
    },
    { prefix: '/sandbox/console/reestro' },
  );
}

export const reestroSandbox: SandboxPart = {
  name: 'reestro',
  title: 'Реестро (certificate forms)',
  apiPath: '/sandbox/reestro/',
  async register(app, context) {
    await app.register(reestroSandboxPlugin, context);
  },
};
