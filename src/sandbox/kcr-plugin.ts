// The KCR sandbox as a Fastify plugin: the fake Kontur at /sandbox/kcr and its operator console
// at /sandbox/console. One part of the sandbox (index.ts mounts it).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { guardConsole, type ConsoleGuard } from './console-access.ts';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import type { SandboxConfig } from './config.ts';
import type { SandboxPart } from './part.ts';
import { KcrError, sendKcrError } from './kcr-error.ts';
import { SandboxIssueStore } from './kcr-issue-store.ts';
import { SandboxLifecycle } from './kcr-lifecycle.ts';
import type { SandboxCa } from './ca.ts';
import { FaultInjector, HeldAnswers } from './faults.ts';
import { SmsOutbox } from './sms-outbox.ts';
import { kcrRoutes } from './kcr-routes.ts';
import { consoleRoutes } from './kcr-console-routes.ts';

export interface SandboxOptions {
  /** The sandbox's database (openSandboxDb). */
  db: SandboxDb;
  config: SandboxConfig;
  logger: Logger;
  /** Decides who may use the console; throws an error with `statusCode`/`status` to refuse. */
  consoleGuard: ConsoleGuard;
  /** The sandbox CA (shared with the other parts). */
  ca: SandboxCa;
}

declare module 'fastify' {
  interface FastifyRequest {
    sandboxHoldAnswer?: boolean;
  }
}

/** Fastify's own client errors (bad JSON, wrong content type, too large) in Kontur's shape. */
function kcrErrorOf(error: FastifyError): KcrError {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) return new KcrError(500, 'InternalError', 'Internal error');
  const code =
    error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UnsupportedContentType'
    : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'ContentTooLarge'
    : error.code?.startsWith('FST_ERR_CTP') ? 'InvalidBody'
    : 'BadRequest';
  return new KcrError(status, code, error.message);
}

function sendConsoleProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors?: { field: string; message: string }[]) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: `urn:kca:problem:sandbox-${code}`, title: 'Ошибка песочницы', status, detail, errors, instance: request.url.split('?')[0], requestId: request.id });
}

/** Bodies that are bytes (pages, PDFs, certificates) rather than JSON. */
const BINARY_ROUTES = /\/pages(\/:pageId)?$|\/templates\/|\/download-certificate$|\/root\.cer$/;

/**
 * Documents every sandbox route in the OpenAPI document under the `sandbox` tag (it is not the
 * bridge's API: the reference is docs/sandbox.md). Bodies stay free-form: the sandbox checks them
 * itself so that errors keep Kontur's shape.
 */
function documentRoute(route: { method: string | string[]; url: string; schema?: Record<string, unknown> }): void {
  const method = [route.method].flat()[0];
  if (method === 'HEAD') return;
  const words = route.url
    .replace(/^\/sandbox\//, '')
    .split(/[/\-.]/)
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by${w[1].toUpperCase()}${w.slice(2)}` : w));
  const operationId = ['sandbox', method.toLowerCase(), ...words].map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  const binary = BINARY_ROUTES.test(route.url) && method !== 'DELETE' && !(method === 'POST' && route.url.endsWith('/pages'));
  const noContent = method === 'DELETE' || /\/(documents\/:documentType|pages|confirmation-requests|sign|validate|decline|subject-identification|forward-to-cabinet|retrieve-from-cabinet|upload-certificate-request)$/.test(route.url) && method !== 'GET' && !route.url.startsWith('/sandbox/console');
  const ok = binary
    ? { 200: { description: 'bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } }
    : noContent
      ? { 204: { type: 'null', description: 'done' } }
      : { 200: { type: 'object', additionalProperties: true } };
  route.schema = {
    operationId,
    tags: ['sandbox'],
    summary: `Kontur sandbox: ${method} ${route.url}`,
    ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: {} } : {}),
    response: ok,
    ...route.schema,
  };
}

export async function sandboxPlugin(app: FastifyInstance, options: SandboxOptions): Promise<void> {
  const { db, config, logger } = options;
  app.addHook('onRoute', documentRoute);
  const store = new SandboxIssueStore(db, () => config.actualizationMs);
  const ca = options.ca;
  const lifecycle = new SandboxLifecycle(store, ca, config, logger);
  const faults = new FaultInjector();
  const sms = new SmsOutbox(db);
  const catchUp = () => lifecycle.catchUp();

  // Background pass for issues nobody reads (so events and the auto operator keep going).
  const tickMs = Math.min(250, Math.max(25, Math.floor(config.actualizationMs / 2)));
  const timer = setInterval(() => {
    catchUp().catch((error) => logger.error({ err: error }, 'sandbox: background pass failed'));
  }, tickMs);
  timer.unref();
  const held = new HeldAnswers();
  // Before the server waits for open requests: held answers go out now, not in two minutes.
  app.addHook('preClose', async () => {
    held.releaseAll();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    held.releaseAll();
    await lifecycle.catchUp().catch(() => undefined);
  });

  await app.register(
    async (kcr) => {
      kcr.setErrorHandler((error: FastifyError, request, reply) => {
        const kcrError = error instanceof KcrError ? error : kcrErrorOf(error);
        if (kcrError.status >= 500) request.log.error({ err: error }, 'sandbox KCR error');
        return sendKcrError(reply, kcrError);
      });
      kcr.addHook('onRequest', async (request) => {
        if (request.headers['x-kontur-apikey'] !== config.kcrApiKey) throw new KcrError(401, 'Unauthorized', 'X-KONTUR-APIKEY is missing or not valid');
        await faults.latency();
        const decision = faults.decide();
        if (decision === 'error') throw new KcrError(503, 'ServiceUnavailable', 'Injected fault: service unavailable');
        if (decision === 'timeout') request.sandboxHoldAnswer = true;
      });
      // A "timeout": the work is done, but the answer waits until the client has given up.
      kcr.addHook('onSend', async (request, _reply, payload) => {
        if (!request.sandboxHoldAnswer) return payload;
        await held.hold(request);
        return payload;
      });
      kcrRoutes(kcr, { db, store, sms, catchUp, smsCodeTtlMs: config.kcrSmsCodeTtlMs, ca });
    },
    { prefix: '/sandbox/kcr' },
  );

  await app.register(
    async (console) => {
      console.setErrorHandler((error: FastifyError & { status?: number; errors?: { field: string; message: string }[] }, request, reply) => {
        if (error instanceof KcrError) {
          const errors = error.details.map((d) => ({ field: d.target ?? 'body', message: d.message }));
          return sendConsoleProblem(request, reply, error.status, error.code, error.message, errors.length ? errors : undefined);
        }
        const status = error.status ?? error.statusCode ?? 500;
        if (status >= 500) request.log.error({ err: error }, 'sandbox console error');
        return sendConsoleProblem(request, reply, status, String(error.code ?? 'error'), status >= 500 ? 'Внутренняя ошибка песочницы' : error.message, error.errors);
      });
      guardConsole(console, options.consoleGuard);
      consoleRoutes(console, { store, sms, faults, ca, catchUp });
    },
    { prefix: '/sandbox/console' },
  );
}

export const kcrSandbox: SandboxPart = {
  name: 'kcr',
  title: 'KCR API v1 (certificate issues)',
  apiPath: '/sandbox/kcr/',
  async register(app, context) {
    await app.register(sandboxPlugin, context);
  },
};
