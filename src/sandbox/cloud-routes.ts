// The cloud-signature sandbox's API at /sandbox/cloud/v3 (docs/kontur-api.md §2 and §6) and its
// console additions at /sandbox/console/cloud. Query parameters are checked by the handlers so
// that every refusal keeps Kontur's error shape.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUBLIC } from './public-route.ts';
import type { CloudFiles } from './cloud-files.ts';
import { OPERATION_STATUS_NAMES, type CloudOperations } from './cloud-operations.ts';
import { parseSignRequest, readJsonBody } from './cloud-sign-request.ts';
import type { FaultInjector } from './faults.ts';
import type { CloudGostTlsFront } from './cloud-gost-tls.ts';
import { CloudError, cloudBadRequest } from './cloud-error.ts';

/** The largest Sign body (SerializedFiles carry whole files in base64). */
export const MAX_SIGN_BODY_BYTES = 64 * 1024 * 1024;

/** The body as text, however it was sent: parsed JSON, a string, bytes, or a stream (no or another Content-Type). */
async function bodyText(body: unknown, limit: number): Promise<string | unknown> {
  if (!(body instanceof Readable)) return Buffer.isBuffer(body) ? body.toString('utf8') : body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.resume();
      throw new CloudError(413, 'ContentTooLarge', `the body is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A body nobody reads (CreateFile sent with the file, as one public client does) is drained, not left hanging. */
function drain(body: unknown): void {
  if (body instanceof Readable) body.resume();
}

type Query = Record<string, string | undefined>;

/** Query parameters as documentation: every value is a string, and the handler checks it. */
const query = (...names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
  additionalProperties: true,
});

const json = { 200: { type: 'object', additionalProperties: true } };
const schema = (operationId: string, summary: string, names: string[], extra: Record<string, unknown> = {}) => ({
  schema: { operationId, tags: ['sandbox'], summary: `Kontur cloud sandbox: ${summary}`, querystring: query('certificate', ...names), response: json, ...extra },
});

export interface CloudRoutesDeps {
  files: CloudFiles;
  operations: CloudOperations;
  /** The client identity of the request (checked in onRequest). */
  clientOf(request: FastifyRequest): string;
}

export function cloudRoutes(app: FastifyInstance, deps: CloudRoutesDeps): void {
  const { files, operations, clientOf } = deps;
  const q = (request: FastifyRequest) => request.query as Query;

  app.get('/Hello', { ...PUBLIC, schema: { operationId: 'sandboxCloudHello', tags: ['sandbox'], summary: 'Kontur cloud sandbox: connectivity check', response: { 200: { type: 'string' } } } }, async (_request, reply) =>
    reply.type('text/plain; charset=utf-8').send('Hello'),
  );

  app.post('/CreateFile', { ...PUBLIC, ...schema('sandboxCloudCreateFile', 'announce a file', ['md5', 'length', 'fileName']) }, async (request) => {
    drain(request.body);
    return files.create(clientOf(request), q(request));
  });

  app.post(
    '/UploadChunk',
    { ...PUBLIC, ...schema('sandboxCloudUploadChunk', 'upload a chunk (at most 16 MiB)', ['fileId', 'offset'], { body: { description: 'raw bytes of the chunk' } }) },
    async (request) => {
      const body = request.body;
      const stream = body instanceof Readable ? body : Buffer.isBuffer(body) ? Readable.from([body]) : body === undefined ? Readable.from([]) : undefined;
      if (!stream) throw cloudBadRequest('InvalidBody', 'UploadChunk takes the raw bytes of the chunk (application/octet-stream)');
      return files.uploadChunk(clientOf(request), q(request).fileId, q(request).offset, stream);
    },
  );

  app.post('/Sign', { ...PUBLIC, bodyLimit: MAX_SIGN_BODY_BYTES, ...schema('sandboxCloudSign', 'register a signing operation', [], { body: { description: 'JSON, read whatever the Content-Type says (or without one)' } }) }, async (request) => {
    // JSON whatever the Content-Type: some clients send none, others text/plain.
    const text = await bodyText(request.body, MAX_SIGN_BODY_BYTES);
    const body = typeof text === 'string' ? readJsonBody(text) : text;
    return operations.create(clientOf(request), parseSignRequest(body));
  });

  app.post('/Confirm', { ...PUBLIC, ...schema('sandboxCloudConfirm', 'confirm with the SMS code', ['operationId', 'confirmationCode']) }, async (request) => {
    drain(request.body);
    return operations.confirm(clientOf(request), q(request).operationId, q(request).confirmationCode);
  });

  app.get('/GetStatus', { ...PUBLIC, ...schema('sandboxCloudGetStatus', 'operation status', ['operationId']) }, async (request) =>
    operations.status(clientOf(request), q(request).operationId),
  );

  app.get(
    '/GetResult',
    {
      ...PUBLIC,
      ...schema('sandboxCloudGetResult', 'a page of the signature (CMS)', ['resultId', 'offset', 'size'], {
        response: { 200: { description: 'bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } },
      }),
    },
    async (request, reply) => {
      const { bytes, total } = await operations.result(clientOf(request), q(request).resultId, q(request).offset, q(request).size);
      return reply.type('application/octet-stream').header('x-result-size', String(total)).send(bytes);
    },
  );
}

export interface CloudConsoleDeps {
  operations: CloudOperations;
  faults: FaultInjector;
  /**
   * Faults of the cloud part: the share of SMS messages that cannot be sent (operations end in 9), of signings that crash (5), how long
   * signing takes (1 is seen that long), and files whose name contains `failingFileName` failing alone (the operation completes, the file is in error).
   */
  injected: { smsFailureRate: number; signingFailureRate: number; signingDelayMs: number; failingFileName: string };
  gostTls: CloudGostTlsFront;
}

export function cloudConsoleRoutes(app: FastifyInstance, deps: CloudConsoleDeps): void {
  const object = { 200: { type: 'object', additionalProperties: true } };
  const faultsView = () => ({ ...deps.faults.current, ...deps.injected });
  app.get(
    '/gost-tls',
    {
      ...PUBLIC,
      schema: {
        operationId: 'sandboxCloudGostTls',
        tags: ['sandbox'],
        summary: 'The cloud API over GOST TLS: its address, and the one client certificate (with its key, a development secret) it accepts',
        response: object,
      },
    },
    async () => {
      const client = await deps.gostTls.clientCertificate();
      return { ...deps.gostTls.info(), clientCertificate: client };
    },
  );
  app.get('/faults', { ...PUBLIC, schema: { operationId: 'sandboxCloudGetFaults', tags: ['sandbox'], summary: 'Cloud sandbox fault injection', response: object } }, async () => faultsView());
  app.put(
    '/faults',
    { ...PUBLIC, schema: { operationId: 'sandboxCloudPutFaults', tags: ['sandbox'], summary: 'Set cloud sandbox fault injection', body: { type: 'object', additionalProperties: true }, response: object } },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const rate = (name: string) => {
        const value = body[name] ?? 0;
        if (typeof value !== 'number' || value < 0 || value > 1) throw Object.assign(new Error(`${name}: a number from 0 to 1`), { statusCode: 400, errors: [{ field: name, message: 'Число от 0 до 1' }] });
        return value;
      };
      const latency = body.latencyMs ?? 0;
      if (typeof latency !== 'number' || latency < 0 || latency > 60_000) throw Object.assign(new Error('latencyMs: 0 to 60000'), { statusCode: 400, errors: [{ field: 'latencyMs', message: 'От 0 до 60000 мс' }] });
      const errorRate = rate('errorRate');
      const timeoutRate = rate('timeoutRate');
      const smsFailureRate = rate('smsFailureRate');
      const signingFailureRate = rate('signingFailureRate');
      if (errorRate + timeoutRate > 1) throw Object.assign(new Error('errorRate + timeoutRate must not exceed 1'), { statusCode: 400, errors: [{ field: 'timeoutRate', message: 'Сумма долей не больше 1' }] });
      deps.faults.set({ latencyMs: latency, errorRate, timeoutRate });
      const signingDelayMs = body.signingDelayMs ?? 0;
      if (typeof signingDelayMs !== 'number' || !Number.isInteger(signingDelayMs) || signingDelayMs < 0 || signingDelayMs > 60_000) {
        throw Object.assign(new Error('signingDelayMs: 0 to 60000'), { statusCode: 400, errors: [{ field: 'signingDelayMs', message: 'От 0 до 60000 мс' }] });
      }
      const failingFileName = body.failingFileName ?? '';
      if (typeof failingFileName !== 'string' || failingFileName.length > 200) {
        throw Object.assign(new Error('failingFileName: a string of at most 200 characters'), { statusCode: 400, errors: [{ field: 'failingFileName', message: 'Строка не длиннее 200 символов' }] });
      }
      Object.assign(deps.injected, { smsFailureRate, signingFailureRate, signingDelayMs, failingFileName });
      return faultsView();
    },
  );
  app.get('/operations', { ...PUBLIC, schema: { operationId: 'sandboxCloudListOperations', tags: ['sandbox'], summary: 'Cloud signing operations as the sandbox sees them', response: object } }, async () => ({
    operations: (await deps.operations.list()).map((o) => ({
      operationId: o.id,
      signerThumbprint: o.signerThumbprint,
      phone: o.phone,
      status: o.status,
      statusName: OPERATION_STATUS_NAMES[o.status] ?? null,
      signType: o.signType,
      wrongAttempts: o.wrongAttempts,
      files: o.files.map((f) => ({ fileId: f.fileId, fileName: f.fileName, kind: f.kind, resultId: f.resultId, error: f.error })),
      expiresAt: o.expiresAt.toISOString(),
      createdAt: o.createdAt.toISOString(),
    })),
  }));
  app.post(
    '/operations/:id/cancel',
    { ...PUBLIC, schema: { operationId: 'sandboxCloudCancelOperation', tags: ['sandbox'], summary: 'The certificate owner declines an operation waiting for its code (status 3, CanceledByUser)', response: object } },
    async (request) => {
      const cancelled = await deps.operations.cancel((request.params as { id: string }).id);
      return { operationId: cancelled.id, status: cancelled.status, statusName: OPERATION_STATUS_NAMES[cancelled.status] };
    },
  );
}
