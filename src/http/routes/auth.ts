import { Type } from 'typebox';
import type { App } from '../app.ts';
import { DateTimeValue, problems } from '../schemas.ts';
import { actor, SIGNED_IN, ADMIN, SESSION_COOKIE } from '../access.ts';
import { TOKEN_TTL_MS } from '../../services/auth.ts';
import { toPublicUser } from '../../services/users.ts';
import { UserSchema } from './users.ts';

const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

const TokenResponse = Type.Object({ token: Type.String(), expiresAt: DateTimeValue });

const ApiKeySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  username: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTimeValue,
  lastUsedAt: Type.Union([DateTimeValue, Type.Null()]),
  revokedAt: Type.Union([DateTimeValue, Type.Null()]),
});


/** Sign-in is rate limited per address on top of the per-user failure counter in the service. */
const SIGN_IN_RATE_LIMIT = { max: 30, timeWindow: '1 minute' };

export function authRoutes(app: App): void {
  const { auth, users } = app.ctx.services;

  app.post(
    '/auth/token',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        operationId: 'createToken',
        tags: ['auth'],
        summary: 'Exchange a user name and password for a bearer token (12 hours)',
        security: [],
        body: Credentials,
        response: { 200: TokenResponse, ...problems(400, 401, 429) },
      },
    },
    async (request) => {
      const user = await auth.login(request.body.username, request.body.password, request.ip, request.id);
      const issued = await auth.issueToken(user, 'token');
      return { token: issued.token, expiresAt: issued.expiresAt!.toISOString() };
    },
  );

  app.delete(
    '/auth/token',
    {
      config: { access: SIGNED_IN },
      schema: { operationId: 'revokeToken', tags: ['auth'], summary: 'Revoke the token or session this request carries', response: { 204: Type.Null(), ...problems(401) } },
    },
    async (request, reply) => {
      await auth.revoke(actor(request), request.principal!.tokenId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: SIGN_IN_RATE_LIMIT },
      schema: {
        operationId: 'login',
        tags: ['auth'],
        summary: 'Web sign-in: sets an httpOnly SameSite=Strict session cookie',
        security: [],
        body: Credentials,
        response: { 200: UserSchema, ...problems(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const user = await auth.login(request.body.username, request.body.password, request.ip, request.id);
      const issued = await auth.issueToken(user, 'session');
      reply.setCookie(SESSION_COOKIE, issued.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: TOKEN_TTL_MS / 1000,
      });
      return toPublicUser(user);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: SIGNED_IN },
      schema: { operationId: 'getCurrentUser', tags: ['auth'], summary: 'The signed-in user', response: { 200: UserSchema, ...problems(401) } },
    },
    async (request) => toPublicUser(request.principal!.user),
  );

  app.get(
    '/api-keys',
    {
      config: { access: ADMIN },
      schema: { operationId: 'listApiKeys', tags: ['auth'], summary: 'API keys of service accounts and users', response: { 200: Type.Array(ApiKeySchema), ...problems(401, 403) } },
    },
    async () => auth.listApiKeys(),
  );

  app.post(
    '/api-keys',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'createApiKey',
        tags: ['auth'],
        summary: 'A long-lived API key for a user (shown once)',
        body: Type.Object({ userId: Type.String({ format: 'uuid' }), name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Type.String(), name: Type.String(), token: Type.String() }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await users.get(request.body.userId);
      const key = await auth.createApiKey(actor(request), user, request.body.name);
      return reply.code(201).send({ id: key.id, name: key.name, token: key.token });
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'revokeApiKey',
        tags: ['auth'],
        summary: 'Revoke an API key',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await auth.revokeApiKey(actor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
