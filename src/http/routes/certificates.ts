import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ADMIN } from '../access.ts';
import { DateTimeValue, Nullable, StringEnum, problems } from '../schemas.ts';

const StoredCertificate = Type.Object({
  kind: StringEnum(['trustedRoot', 'client'] as const),
  thumbprint: Type.String({ description: 'SHA-1 of the DER, uppercase hex' }),
  subject: Type.String(),
  issuer: Type.String(),
  serialNumber: Type.String(),
  validFrom: DateTimeValue,
  validTo: DateTimeValue,
  createdAt: DateTimeValue,
  format: Nullable(StringEnum(['pem', 'pfx'] as const)),
});

const ThumbprintParams = Type.Object({ thumbprint: Type.String({ pattern: '^[0-9A-Fa-f]{40}$' }) });

export function certificateRoutes(app: App): void {
  const { certificates } = app.ctx.services;

  app.get(
    '/settings/trusted-roots',
    {
      config: { access: ADMIN },
      schema: { operationId: 'listTrustedRoots', tags: ['settings'], summary: 'Trusted root CA certificates', response: { 200: Type.Array(StoredCertificate), ...problems(401, 403) } },
    },
    async () => certificates.list('trustedRoot'),
  );

  app.post(
    '/settings/trusted-roots',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'addTrustedRoot',
        tags: ['settings'],
        summary: 'Trust a root CA certificate (PEM text, or DER in base64)',
        body: Type.Object({ certificate: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
        response: { 201: StoredCertificate, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await certificates.addTrustedRoot(actor(request), request.body.certificate)),
  );

  app.delete(
    '/settings/trusted-roots/:thumbprint',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'removeTrustedRoot',
        tags: ['settings'],
        summary: 'Stop trusting a root CA certificate',
        params: ThumbprintParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await certificates.remove(actor(request), 'trustedRoot', request.params.thumbprint);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/settings/client-certificates',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'listClientCertificates',
        tags: ['settings'],
        summary: 'Client certificates for the cloud API (the one whose thumbprint is CryptoAuthenticationCertificateThumbprint is used)',
        response: { 200: Type.Array(StoredCertificate), ...problems(401, 403) },
      },
    },
    async () => certificates.list('client'),
  );

  app.post(
    '/settings/client-certificates',
    {
      config: { access: ADMIN },
      bodyLimit: 1024 * 1024,
      schema: {
        operationId: 'addClientCertificate',
        tags: ['settings'],
        summary: 'Store a client certificate with its private key: PEM pair, or PFX (base64) with its password. The key is encrypted at rest and never returned',
        body: Type.Union([
          Type.Object({ certificatePem: Type.String({ minLength: 1, maxLength: 200_000 }), privateKeyPem: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
          Type.Object({ pfxBase64: Type.String({ minLength: 1, maxLength: 700_000 }), password: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        ]),
        response: { 201: StoredCertificate, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await certificates.addClientCertificate(actor(request), request.body)),
  );

  app.delete(
    '/settings/client-certificates/:thumbprint',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'removeClientCertificate',
        tags: ['settings'],
        summary: 'Delete a client certificate and its key',
        params: ThumbprintParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await certificates.remove(actor(request), 'client', request.params.thumbprint);
      return reply.code(204).send(null);
    },
  );
}
