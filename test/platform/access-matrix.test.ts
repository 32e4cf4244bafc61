// Walks every route the server has, for every role: a route closed to a role answers 403
// (forbidden-role) for it, 401 without credentials, and neither for the roles it admits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';

/** Sample values for path parameters that are not ids. */
const PARAMETER_SAMPLES: Record<string, string> = { name: 'RestClientMaxTimeout' };

function concretePath(url: string): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => PARAMETER_SAMPLES[name] ?? randomUUID()).replace(/\*$/, 'x');
}

async function call(t: TestServer, method: string, path: string, key?: string): Promise<{ status: number; type?: string }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
  if (hasBody) headers['content-type'] = 'application/json';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(t.url + path, { method, headers, body: hasBody ? '{}' : undefined, signal: controller.signal });
    const contentType = response.headers.get('content-type') ?? '';
    // Streams (server-sent events, files) are not read: the status is what counts here.
    const body = contentType.includes('json') ? await response.json() : (await response.body?.cancel(), undefined);
    return { status: response.status, type: (body as { type?: string } | undefined)?.type };
  } finally {
    clearTimeout(timer);
  }
}

describe('role × route access matrix', () => {
  let t: TestServer;
  const keys = {} as Record<Role, string>;

  before(async () => {
    t = await startTestServer();
    const admin = await t.token();
    for (const role of ROLES) {
      const user = role === 'admin' ? { userId: (await t.request('GET', '/api/v1/auth/me', { token: admin })).body.id } : await t.userWithRole(role);
      // API keys: sign-in is rate limited, and this test makes many calls.
      const key = await t.request('POST', '/api/v1/api-keys', { token: admin, body: { userId: user.userId, name: `matrix-${role}` } });
      assert.equal(key.status, 201);
      keys[role] = key.body.token;
    }
  });
  after(() => t.close());

  it('every route declares its access and enforces it for every role', async () => {
    const routes = t.server.routes!
      .filter((route) => route.access !== 'public')
      // Revoking one's own credentials goes last so that it does not disturb the others.
      .sort((a, b) => Number(a.method === 'DELETE' && a.url.endsWith('/auth/token')) - Number(b.method === 'DELETE' && b.url.endsWith('/auth/token')));
    assert.ok(routes.length >= 15, `expected the API's routes, found ${routes.length}`);
    const failures: string[] = [];
    for (const route of routes) {
      const path = concretePath(route.url);
      const anonymous = await call(t, route.method, path);
      if (anonymous.status !== 401) failures.push(`${route.method} ${route.url} without credentials: ${anonymous.status}, expected 401`);
      for (const role of ROLES) {
        const allowed = (route.access as readonly Role[]).includes(role);
        const result = await call(t, route.method, path, keys[role]);
        const deniedByRole = result.status === 403 && result.type === 'urn:kca:problem:forbidden-role';
        if (allowed && (result.status === 401 || deniedByRole || result.status >= 500)) {
          failures.push(`${route.method} ${route.url} as ${role}: ${result.status} ${result.type ?? ''}, expected access`);
        }
        if (!allowed && !deniedByRole) failures.push(`${route.method} ${route.url} as ${role}: ${result.status}, expected 403 forbidden-role`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it("self-service routes admit only employees (the server answers only the caller's own data), mail settings only administrators", () => {
    const accessOf = (method: string, url: string) => t.server.routes!.find((route) => route.method === method && route.url === url)?.access;
    for (const [method, url] of [
      ['GET', '/api/v1/me/issues'],
      ['POST', '/api/v1/me/issues/:id/release-statement/sms-confirmation'],
      ['POST', '/api/v1/me/issues/:id/release-statement/sign'],
      ['GET', '/api/v1/me/certificates'],
      ['GET', '/api/v1/me/certificates/:thumbprint/file'],
    ]) {
      assert.deepEqual(accessOf(method, url), ['employee'], `${method} ${url}`);
    }
    // Everyone with an account switches her own notices.
    assert.deepEqual(accessOf('PUT', '/api/v1/me/notifications'), ['admin', 'operator', 'employee']);
    for (const [method, url] of [
      ['GET', '/api/v1/mail/settings'],
      ['PUT', '/api/v1/mail/settings'],
      ['DELETE', '/api/v1/mail/settings'],
      ['POST', '/api/v1/mail/test'],
      ['GET', '/api/v1/mail/outbox'],
      ['GET', '/api/v1/mail/outbox/:id'],
    ]) {
      assert.deepEqual(accessOf(method, url), ['admin'], `${method} ${url}`);
    }
  });

  it('public routes are only the service endpoints, sign-in and documentation', () => {
    const allowedPublic = /^(\/healthz|\/readyz|\/metrics|\/api\/openapi\.json|\/api\/docs.*|\/api\/v1\/auth\/(token|login)|\/sandbox\/.*|\/|\/\*)$/;
    const unexpected = t.server.routes!.filter((route) => route.access === 'public' && !allowedPublic.test(route.url));
    assert.deepEqual(unexpected, []);
  });
});
