// Who may call what. Every route declares `config.access`: 'public' or the roles allowed.
// A route without a declaration stops the server from starting.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../domain/roles.ts';
import { actorOf, type AuthService, type Principal } from '../services/auth.ts';
import type { Actor } from '../services/actor.ts';
import { ForbiddenError, UnauthorizedError } from '../services/errors.ts';

export type Access = 'public' | readonly Role[];

export const SESSION_COOKIE = 'kca_session';

export const ADMIN: readonly Role[] = ['admin'];
export const STAFF: readonly Role[] = ['admin', 'operator'];
export const ANY_USER: readonly Role[] = ['admin', 'operator', 'employee'];
/** Every signed-in user, the sandbox role too: who am I, sign out. */
export const SIGNED_IN: readonly Role[] = ['admin', 'operator', 'employee', 'sandbox'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** The acting user of an authenticated request. */
export function actor(request: FastifyRequest): Actor {
  if (!request.principal) throw new UnauthorizedError();
  return actorOf(request.principal, request.id);
}

function secretOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return request.cookies?.[SESSION_COOKIE];
}

export function registerAccessControl(app: FastifyInstance, auth: AuthService, routes: { method: string; url: string; access: Access }[]): void {
  app.addHook('onRoute', (route) => {
    // Routes added by plugins (API docs, static files) are public pages.
    const access = route.config?.access ?? (route.url.startsWith('/api/docs') ? 'public' : undefined);
    if (access === undefined) throw new Error(`route ${route.method} ${route.url} does not declare who may call it (config.access)`);
    route.config = { ...route.config, access };
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access });
    }
  });

  // onRequest: before the body is read or validated, so strangers learn nothing about the schemas.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access ?? 'public';
    const secret = secretOf(request);
    if (secret) request.principal = await auth.authenticate(secret);
    if (access === 'public') return;
    if (!request.principal) throw new UnauthorizedError(secret ? 'Сессия истекла или ключ отозван: войдите снова' : 'Требуется вход в систему');
    if (!access.includes(request.principal.user.role)) throw new ForbiddenError('Недостаточно прав для этого действия', 'forbidden-role');
  });
}
