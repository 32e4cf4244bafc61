// The cloud-signature sandbox (a look-alike of Kontur's Crypto API v3) as a Fastify plugin:
// the API at /sandbox/cloud/v3 and console routes at /sandbox/console/cloud. It signs with the
// keys the KCR sandbox kept for `dss` certificates and texts codes into the same SMS outbox.
// Mounted by the main server and by `kca sandbox` alone, next to the KCR sandbox.
import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import type { SandboxConfig } from './config.ts';
import type { SandboxPart } from './part.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { CloudError, sendCloudError } from './cloud-error.ts';
import { CloudFiles } from './cloud-files.ts';
import { CloudOperations } from './cloud-operations.ts';
import { CloudSigners } from './cloud-signers.ts';
import { cloudConsoleRoutes, cloudRoutes } from './cloud-routes.ts';
import { FaultInjector, HeldAnswers } from './faults.ts';
import { SmsOutbox } from './sms-outbox.ts';

export interface CloudSandboxOptions {
  /** The sandbox's database (openSandboxDb). */
  db: SandboxDb;
  dataDir: string;
  config: SandboxConfig;
  masterKey: Buffer;
  logger: Logger;
  /** Decides who may use the console; throws an error with `statusCode`/`status` to refuse. */
  consoleGuard(request: FastifyRequest): Promise<void>;
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
  const operations = new CloudOperations(db, files, new CloudSigners(db, new SecretBox(options.masterKey)), new SmsOutbox(db), () => config.cloudConfirmationMs, logger);
  const faults = new FaultInjector();
  const held = new HeldAnswers();
  // Before the server waits for open requests: held answers go out now, not in two minutes.
  app.addHook('preClose', async () => held.releaseAll());
  app.addHook('onClose', async () => {
    await operations.settle();
  });

  await app.register(
    async (cloud) => {
      // Chunks stream to disk and are never buffered whole; JSON bodies (Sign) are parsed as usual.
      cloud.removeAllContentTypeParsers();
      cloud.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        try {
          done(null, body === '' ? undefined : JSON.parse(body as string));
        } catch {
          done(new CloudError(400, 'InvalidBody', 'The body is not valid JSON'), undefined);
        }
      });
      cloud.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
      cloud.setErrorHandler((error: FastifyError, request, reply) => {
        const cloudError = error instanceof CloudError ? error : cloudErrorOf(error);
        if (cloudError.status >= 500) request.log.error({ err: error }, 'sandbox cloud error');
        // An unread chunk body must not hang the connection.
        if (request.body instanceof Readable) request.body.resume();
        return sendCloudError(reply, cloudError);
      });
      cloud.addHook('onRequest', async (request) => {
        const raw = (request.query as Record<string, string | undefined>).certificate;
        if (!raw) throw new CloudError(401, 'Unauthorized', 'The client certificate is missing (query parameter certificate)');
        const client = raw.replace(/[\s:]/g, '').toUpperCase();
        if (client !== config.cloudClientThumbprint) throw new CloudError(403, 'Forbidden', 'This client certificate is not allowed to use the API');
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
      console.addHook('onRequest', async (request) => options.consoleGuard(request));
      cloudConsoleRoutes(console, { operations, faults });
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
