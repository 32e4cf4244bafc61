// The sandbox certification authority's public services at /sandbox/ca — its root and
// time-stamp authority certificates, the CRL, OCSP (RFC 6960, POST and GET) and time-stamps
// (RFC 3161) — and its console at /sandbox/console/ca (revoking a certificate). One part of the
// sandbox (index.ts mounts it); KCR releases and the cloud signs with the same CA.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { guardConsole } from './console-access.ts';
import { isCrlReason, type CrlReason } from '../crypto/crl.ts';
import { CaInputError, type SandboxCa } from './ca.ts';
import type { SandboxPart } from './part.ts';
import { PUBLIC } from './public-route.ts';

/** OCSP and time-stamp requests are small; anything bigger is not one. */
const MAX_REQUEST_BYTES = 64 * 1024;

const binary = (type: string, summary: string, operationId: string, extra: Record<string, unknown> = {}) => ({
  ...PUBLIC,
  schema: {
    operationId,
    tags: ['sandbox'],
    summary: `Sandbox CA: ${summary}`,
    ...extra,
    response: { 200: { description: type, content: { [type]: { schema: { type: 'string', format: 'binary' } } } } },
  },
});

function requestBytes(request: FastifyRequest): Uint8Array {
  return Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : new Uint8Array(0);
}

export function caRoutes(app: FastifyInstance, ca: SandboxCa): void {
  app.get('/root.cer', binary('application/pkix-cert', 'the root certificate (DER)', 'sandboxCaRoot'), async (_request, reply) =>
    reply.type('application/pkix-cert').header('content-disposition', 'attachment; filename="sandbox-root.cer"').send(Buffer.from(await ca.root())));

  app.get('/tsa.cer', binary('application/pkix-cert', 'the time-stamp authority certificate (DER)', 'sandboxCaTsaCertificate'), async (_request, reply) =>
    reply.type('application/pkix-cert').header('content-disposition', 'attachment; filename="sandbox-tsa.cer"').send(Buffer.from((await ca.timeStampAuthority()).certificate.der)));

  app.get('/crl', binary('application/pkix-crl', 'the current CRL (DER)', 'sandboxCaCrl'), async (_request, reply) => {
    const crl = await ca.crl();
    return reply
      .type('application/pkix-crl')
      .header('content-disposition', 'attachment; filename="sandbox-root.crl"')
      .header('last-modified', crl.thisUpdate.toUTCString())
      .header('expires', crl.nextUpdate!.toUTCString())
      .send(Buffer.from(crl.der));
  });

  // RFC 6960 A.1: POST with the DER request, or GET with it in base64 (URL-encoded) in the path.
  app.post('/ocsp', binary('application/ocsp-response', 'OCSP (RFC 6960)', 'sandboxCaOcsp', { body: { description: 'the OCSPRequest in DER' } }), async (request, reply) =>
    reply.type('application/ocsp-response').send(Buffer.from(await ca.answerOcspRequest(requestBytes(request)))));
  // The same with the request base64 and URL-encoded in the path (RFC 6960 A.1): a wildcard,
  // because a request is longer than a route parameter may be. Documented as the POST above.
  app.get('/ocsp/*', { ...PUBLIC, schema: { hide: true } }, async (request, reply) => {
    const encoded = decodeURIComponent((request.params as { '*': string })['*']);
    return reply.type('application/ocsp-response').send(Buffer.from(await ca.answerOcspRequest(new Uint8Array(Buffer.from(encoded, 'base64')))));
  });

  app.post('/tsp', binary('application/timestamp-reply', 'time-stamps (RFC 3161)', 'sandboxCaTimeStamp', { body: { description: 'the TimeStampReq in DER' } }), async (request, reply) =>
    reply.type('application/timestamp-reply').send(Buffer.from(await ca.answerTimeStampRequest(requestBytes(request)))));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function revocationView(revocation: { serialNumber: string; revokedAt: Date; reason: CrlReason }) {
  return { serialNumber: revocation.serialNumber, revokedAt: revocation.revokedAt.toISOString(), reason: revocation.reason };
}

export function caConsoleRoutes(app: FastifyInstance, ca: SandboxCa): void {
  const object = { 200: { type: 'object', additionalProperties: true }, 201: { type: 'object', additionalProperties: true } };
  // Short-lived certificates on request, so that a certificate's whole life can be walked in minutes.
  app.get('/validity', { ...PUBLIC, schema: { operationId: 'sandboxCaReleaseValidity', tags: ['sandbox'], summary: 'Validity (days) of the certificates the sandbox CA releases; null: the template\'s own', response: object } }, async () => ({
    days: ca.releaseValidityDays ?? null,
  }));
  app.put(
    '/validity',
    { ...PUBLIC, schema: { operationId: 'sandboxCaSetReleaseValidity', tags: ['sandbox'], summary: 'Set the validity (days, 1 to 3650; null: the template\'s own) of the certificates released from now on by this process', body: { type: 'object', additionalProperties: true }, response: object } },
    async (request) => {
      const days = isObject(request.body) ? request.body.days : undefined;
      if (days !== null && typeof days !== 'number') throw new CaInputError(400, 'days', 'Срок действия: целое число дней от 1 до 3650 или null');
      ca.setReleaseValidityDays(days ?? undefined);
      return { days: ca.releaseValidityDays ?? null };
    },
  );

  app.get('/revocations', { ...PUBLIC, schema: { operationId: 'sandboxCaListRevocations', tags: ['sandbox'], summary: 'Certificates the sandbox CA revoked', response: object } }, async () => ({
    revocations: (await ca.revocations()).map(revocationView),
  }));

  app.post(
    '/revocations',
    { ...PUBLIC, schema: { operationId: 'sandboxCaRevoke', tags: ['sandbox'], summary: 'Revoke a certificate of the sandbox CA (by serial number or thumbprint)', body: { type: 'object', additionalProperties: true }, response: object } },
    async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const text = (name: string) => {
        const value = body[name];
        if (value !== undefined && typeof value !== 'string') throw new CaInputError(400, name, 'Ожидается строка');
        return value as string | undefined;
      };
      const serialNumber = text('serialNumber');
      const thumbprint = text('thumbprint');
      if ((serialNumber === undefined) === (thumbprint === undefined)) throw new CaInputError(400, 'serialNumber', 'Укажите серийный номер или отпечаток сертификата (одно из двух)');
      const reason = body.reason ?? 'unspecified';
      if (!isCrlReason(reason)) throw new CaInputError(400, 'reason', 'Причина отзыва: unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn или aACompromise');
      const rawDate = text('revokedAt');
      const revokedAt = rawDate === undefined ? undefined : new Date(rawDate);
      if (revokedAt && Number.isNaN(revokedAt.getTime())) throw new CaInputError(400, 'revokedAt', 'Дата отзыва: дата и время ISO 8601');
      const { revocation, created } = await ca.revoke({ serialNumber, thumbprint, reason, revokedAt });
      return reply.code(created ? 201 : 200).send(revocationView(revocation));
    },
  );
}

function sendConsoleProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors?: { field: string; message: string }[]) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: `urn:kca:problem:sandbox-${code}`, title: 'Ошибка песочницы', status, detail, errors, instance: request.url.split('?')[0], requestId: request.id });
}

export const caSandbox: SandboxPart = {
  name: 'ca',
  title: 'certification authority (CRL, OCSP, time-stamps)',
  apiPath: '/sandbox/ca/',
  async register(app, context) {
    await app.register(
      async (scope) => {
        // Requests are DER of any declared type (clients differ); the routes read the bytes.
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES }, (_request, body, done) => done(null, body));
        caRoutes(scope, context.ca);
      },
      { prefix: '/sandbox/ca' },
    );
    await app.register(
      async (scope) => {
        scope.setErrorHandler((error: FastifyError, request, reply) => {
          if (error instanceof CaInputError) return sendConsoleProblem(request, reply, error.statusCode, 'ca', error.message, [{ field: error.field, message: error.message }]);
          const status = error.statusCode ?? 500;
          if (status >= 500) request.log.error({ err: error }, 'sandbox CA console error');
          return sendConsoleProblem(request, reply, status, String(error.code ?? 'error'), status >= 500 ? 'Внутренняя ошибка песочницы' : error.message);
        });
        guardConsole(scope, context.consoleGuard);
        caConsoleRoutes(scope, context.ca);
      },
      { prefix: '/sandbox/console/ca' },
    );
  },
};
