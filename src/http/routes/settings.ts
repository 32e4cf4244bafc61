import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ADMIN } from '../access.ts';
import { StringEnum, problems } from '../schemas.ts';
import { SETTING_NAMES } from '../../services/settings.ts';

const SettingName = StringEnum(SETTING_NAMES);

const SettingsView = Type.Object({
  CryptoApiConnectionAddress: Type.String({ description: 'Cloud signature (Crypto API v3) address' }),
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

export function settingsRoutes(app: App): void {
  const { settings } = app.ctx.services;

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
