import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ADMIN } from '../access.ts';
import { StringEnum, problems } from '../schemas.ts';
import { CRYPTO_API_TRANSPORTS, SETTING_NAMES } from '../../services/settings.ts';

const SettingName = StringEnum(SETTING_NAMES);

const SettingsView = Type.Object({
  CryptoApiConnectionAddress: Type.String({ description: 'Cloud signature (Crypto API v3) address' }),
  CryptoApiTransport: StringEnum(CRYPTO_API_TRANSPORTS, { description: 'direct: Node http/https; gost-tunnel: GOST TLS through a local stunnel with the client certificate' }),
  CryptoAuthenticationCertificateThumbprint: Type.String({ description: 'Thumbprint of the client certificate for the Crypto API' }),
  KcrApiConnectionAddress: Type.String({ description: 'KCR API address' }),
  KcrApiKey: Type.String({ description: 'Masked: only the last four characters are shown' }),
  RestClientMaxTimeout: Type.Integer({ description: 'Milliseconds to wait for Kontur' }),
  ReestroApiConnectionAddress: Type.String({ description: 'Kontur Реестро address (paths realty/entity/v1, realty/crypto/v2 are appended)' }),
  ReestroApiKey: Type.String({ description: 'Masked: only the last four characters are shown' }),
  ReestroOrganizationId: Type.String({ description: 'The organization (portal.orgid) the module acts for at Реестро' }),
  defaults: Type.Array(SettingName, { description: 'Settings still at their default (the built-in sandbox)' }),
  sandboxMode: Type.Boolean(),
});

const SettingsChange = Type.Object(
  {
    CryptoApiConnectionAddress: Type.Optional(Type.String({ maxLength: 2000 })),
    CryptoApiTransport: Type.Optional(Type.String({ maxLength: 40 })),
    CryptoAuthenticationCertificateThumbprint: Type.Optional(Type.String({ maxLength: 100 })),
    KcrApiConnectionAddress: Type.Optional(Type.String({ maxLength: 2000 })),
    KcrApiKey: Type.Optional(Type.String({ maxLength: 200, description: 'Write-only' })),
    RestClientMaxTimeout: Type.Optional(Type.Integer()),
    ReestroApiConnectionAddress: Type.Optional(Type.String({ maxLength: 2000 })),
    ReestroApiKey: Type.Optional(Type.String({ maxLength: 200, description: 'Write-only' })),
    ReestroOrganizationId: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const CheckStep = Type.Object({
  step: StringEnum(['dns', 'tcp', 'tls', 'client-certificate', 'api-key', 'answer']),
  title: Type.String(),
  status: StringEnum(['ok', 'failed', 'skipped']),
  message: Type.String({ description: 'The verdict, in Russian' }),
  ms: Type.Optional(Type.Integer()),
});

const ConnectionCheck = Type.Object({
  ok: Type.Boolean(),
  checkedAt: Type.String({ format: 'date-time' }),
  apis: Type.Array(
    Type.Object({
      api: StringEnum(['kcr', 'cloud']),
      title: Type.String(),
      address: Type.String(),
      transport: StringEnum(CRYPTO_API_TRANSPORTS),
      ok: Type.Boolean(),
      steps: Type.Array(CheckStep),
    }),
  ),
});

export function settingsRoutes(app: App): void {
  const { settings, connectionCheck } = app.ctx.services;

  app.post(
    '/settings/check',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'checkConnection',
        tags: ['settings'],
        summary: 'Check the connection to each Kontur API through the configured transport: DNS, TCP, TLS handshake, client certificate or API key, answer time',
        querystring: Type.Object({ api: Type.Optional(StringEnum(['kcr', 'cloud'], { description: 'Only this API (default: all)' })) }, { additionalProperties: false }),
        response: { 200: ConnectionCheck, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const report = await connectionCheck.check(request.query.api);
      return { ...report, checkedAt: report.checkedAt.toISOString() };
    },
  );

  app.get(
    '/settings',
    {
      config: { access: ADMIN },
      schema: { operationId: 'getSettings', tags: ['settings'], summary: 'Kontur connection settings (the key masked)', response: { 200: SettingsView, ...problems(401, 403) } },
    },
    async () => settings.view(),
  );

  app.patch(
    '/settings',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'updateSettings',
        tags: ['settings'],
        summary: 'Change connection settings: all given values are checked, then all stored, or none',
        body: SettingsChange,
        response: { 200: SettingsView, ...problems(400, 401, 403) },
      },
    },
    async (request) => settings.update(actor(request), request.body),
  );

  app.delete(
    '/settings/:name',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'resetSetting',
        tags: ['settings'],
        summary: 'Return one setting to its default',
        params: Type.Object({ name: SettingName }),
        response: { 200: SettingsView, ...problems(400, 401, 403) },
      },
    },
    async (request) => settings.reset(actor(request), request.params.name),
  );
}
