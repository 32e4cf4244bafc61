// The cloud-signature sandbox (a look-alike of Kontur's Crypto API v3) as a Fastify plugin:
// the API at /sandbox/cloud/v3 and console routes at /sandbox/console/cloud. It signs with the
// keys the KCR sandbox kept for `dss` certificates and texts codes into the same SMS outbox.
// Mounted by the main server and by `kca sandbox` alone, next to the KCR sandbox.
//
// A client is identified by the `certificate` query parameter (a thumbprint, or the client's
// GUID) or, without it, by the identity the transport established (a TLS client certificate).
import { randomInt } from 'node:crypto';
import { guardConsole, type ConsoleGuard } from './console-access.ts';
import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import type { SandboxConfig } from './config.ts';
import type { SandboxPart } from './part.ts';
import type { SandboxCa } from './ca.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { CloudError, cloudBadRequest, sendCloudError } from './cloud-error.ts';
import { CloudFiles } from './cloud-files.ts';
import { CloudOperations } from './cloud-operations.ts';
import { CloudSigners } from './cloud-signers.ts';
import { cloudConsoleRoutes, cloudRoutes } from './cloud-routes.ts';
import { FaultInjector, HeldAnswers } from './faults.ts';
import { SmsOutbox } from './sms-outbox.ts';
import { CloudGostTlsFront, gostTlsClientOf } from './cloud-gost-tls.ts';

export interface CloudSandboxOptions {
  /** The sandbox's database (openSandboxDb). */
  db: SandboxDb;
  dataDir: string;
  config: SandboxConfig;
  masterKey: Buffer;
  logger: Logger;
  /** Decides who may use the console; throws an error with `statusCode`/`status` to refuse. */
  consoleGuard: ConsoleGuard;
  ca: SandboxCa;
  /** The client identity the transport established (a TLS client certificate's thumbprint), if any. */
  transportIdentity(request: FastifyRequest): string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    cloudSandboxClient?: string;
    cloudSandboxHold?: boolean;
  }
}

/** Fastify's own client errors (bad JSON, too large) in the cloud API's shape. */
function cloudErrorOf(error: FastifyError): CloudError {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) return new CloudError(500, 'InternalError', 'Internal error');
  const code = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'ContentTooLarge' : error.code?.startsWith('FST_ERR_CTP') ? 'InvalidBody' : 'BadRequest';
  return new CloudError(status, code, error.message);
}

function sendConsoleProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors?: { field: string; message: string }[]) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: `urn:kca:problem:sandbox-${code}`, title: 'Ошибка песочницы', status, detail, errors, instance: request.url.split('?')[0], requestId: request.id });
}

export async function cloudSandboxPlugin(app: FastifyInstance, options: CloudSandboxOptions): Promise<void> {
  const { db, config, logger } = options;
  const files = new CloudFiles(db, options.dataDir);
  await files.init();
  const injected = { smsFailureRate: 0, signingFailureRate: 0, signingDelayMs: 0, failingFileName: '' };
  const roll = (rate: number) => rate > 0 && randomInt(1_000_000) / 1_000_000 < rate;
  const operations = new CloudOperations(
    db, files, new CloudSigners(db, new SecretBox(options.masterKey), options.ca), new SmsOutbox(db), options.ca, () => config.cloudConfirmationMs, logger,
    {
      smsFails: () => roll(injected.smsFailureRate),
      signingFails: () => roll(injected.signingFailureRate),
      signingDelayMs: () => injected.signingDelayMs,
      fileFails: (fileName) => injected.failingFileName !== '' && fileName.includes(injected.failingFileName),
    },
  );
  const faults = new FaultInjector();
  /** The identities this sandbox accepts, each mapped to the client it names. */
  const clientOf = (identity: string): string | undefined => {
    const thumbprint = identity.replace(/[\s:]/g, '').toUpperCase();
    if (thumbprint === config.cloudClientThumbprint) return config.cloudClientThumbprint;
    const guid = identity.trim().replace(/^\{(.*)\}$/, '$1').toLowerCase();
    if (guid === config.cloudClientId) return config.cloudClientThumbprint;
    // The certificate of the GOST TLS port names the same client (by the TLS handshake, or as the parameter).
    if (gostTls.clientThumbprint && thumbprint === gostTls.clientThumbprint) return config.cloudClientThumbprint;
    return undefined;
  };
  const held = new HeldAnswers();
  const gostTls = new CloudGostTlsFront(db, new SecretBox(options.masterKey), options.ca, config, options.dataDir, logger);
  // The GOST TLS port opens once every route is in place, and closes first.
  app.addHook('onReady', async () => gostTls.start(app));
  // Before the server waits for open requests: held answers go out now, not in two minutes.
  app.addHook('preClose', async () => {
    held.releaseAll();
    await gostTls.stop();
  });
  app.addHook('onClose', async () => {
    await operations.settle();
  });

  await app.register(
    async (cloud) => {
      // Chunks stream to disk and are never buffered whole; Sign reads its body as JSON itself,
      // whatever the Content-Type (or without one), as the real service does.
      cloud.removeAllContentTypeParsers();
      cloud.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      cloud.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
      cloud.setErrorHandler((error: FastifyError, request, reply) => {
        const cloudError = error instanceof CloudError ? error : cloudErrorOf(error);
        if (cloudError.status >= 500) request.log.error({ err: error }, 'sandbox cloud error');
        // An unread chunk body must not hang the connection.
        if (request.body instanceof Readable) request.body.resume();
        return sendCloudError(reply, cloudError);
      });
      cloud.addHook('onRequest', async (request) => {
        // Hello is a connectivity check: it answers whoever asks.
        if (request.routeOptions.url === '/sandbox/cloud/v3/Hello') return;
        const parameter = (request.query as Record<string, string | string[] | undefined>).certificate;
        if (Array.isArray(parameter)) throw cloudBadRequest('InvalidParameter', 'The certificate query parameter is given more than once', 'certificate');
        // Without the parameter: the certificate the client presented on the GOST TLS port, or to Node's TLS.
        const identity = parameter || gostTlsClientOf(request.raw) || options.transportIdentity(request);
        if (!identity) throw new CloudError(401, 'Unauthorized', 'The client is not identified: no certificate query parameter and no TLS client certificate');
        const client = clientOf(identity);
        if (!client) throw new CloudError(403, 'Forbidden', 'This client certificate is not allowed to use the API');
        request.cloudSandboxClient = client;
        await faults.latency();
        const decision = faults.decide(request.url.split('?')[0].split('/').at(-1));
        if (decision === 'error') throw new CloudError(503, 'ServiceUnavailable', 'Injected fault: service unavailable');
        if (decision === 'timeout') request.cloudSandboxHold = true;
      });
      // A "timeout": the work is done, but the answer waits until the client has given up.
      cloud.addHook('onSend', async (request, _reply, payload) => {
        if (!request.cloudSandboxHold) return payload;
        await held.hold(request);
        return payload;
      });
      cloudRoutes(cloud, { files, operations, clientOf: (request) => request.cloudSandboxClient! });
    },
    { prefix: '/sandbox/cloud/v3' },
  );

  await app.register(
    async (console) => {
      console.setErrorHandler((error: FastifyError & { status?: number; errors?: { field: string; message: string }[] }, request, reply) => {
        const status = error.status ?? error.statusCode ?? 500;
        if (status >= 500) request.log.error({ err: error }, 'sandbox console error');
        return sendConsoleProblem(request, reply, status, String(error.code ?? 'error'), status >= 500 ? 'Внутренняя ошибка песочницы' : error.message, error.errors);
      });
      guardConsole(console, options.consoleGuard);
      cloudConsoleRoutes(console, { operations, faults, injected, gostTls });
    },
    { prefix: '/sandbox/console/cloud' },
  );
}

export const cloudSandbox: SandboxPart = {
  name: 'cloud',
  title: 'cloud signature (Crypto API v3)',
  apiPath: '/sandbox/cloud/v3/',
  async register(app, context) {
    await app.register(cloudSandboxPlugin, context);
  },
};
