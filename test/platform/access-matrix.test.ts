// Walks every route the server has, for every role: a route closed to a role answers 403
// (forbidden-role) for it, 401 without credentials, and neither for the roles it admits; and what
// each route admits is checked against a table written out here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROLES, type Role } from '../../src/domain/roles.ts';

const ADMIN: readonly Role[] = ['admin'];
const STAFF: readonly Role[] = ['admin', 'operator'];
const ANY_USER: readonly Role[] = ['admin', 'operator', 'employee'];
const SIGNED_IN: readonly Role[] = ['admin', 'operator', 'employee', 'sandbox'];
/** Self-service: the server answers only the caller's own data. */
const EMPLOYEE: readonly Role[] = ['employee'];

/**
 * Who may call each non-public route, written out here rather than read from the routes' own
 * declarations: a route opened to a role by mistake fails this table even though it enforces
 * what it declares. A new route needs a row.
 */
const EXPECTED_ACCESS: Record<string, readonly Role[]> = {
  'GET /api/v1/api-keys': ADMIN,
  'POST /api/v1/api-keys': ADMIN,
  'DELETE /api/v1/api-keys/:id': ADMIN,
  'GET /api/v1/audit': ADMIN,
  'GET /api/v1/audit/export': ADMIN,
  'GET /api/v1/auth/me': SIGNED_IN,
  'DELETE /api/v1/auth/token': SIGNED_IN,
  'GET /api/v1/certificate-forms': STAFF,
  'POST /api/v1/certificate-forms': STAFF,
  'GET /api/v1/certificate-forms/:id': STAFF,
  'PATCH /api/v1/certificate-forms/:id': STAFF,
  'GET /api/v1/certificate-forms/:id/certificate': STAFF,
  'GET /api/v1/certificate-forms/:id/certificate/content': STAFF,
  'POST /api/v1/certificate-forms/:id/release': STAFF,
  'GET /api/v1/certificate-forms/:id/statement': STAFF,
  'GET /api/v1/certificates': STAFF,
  'GET /api/v1/certificates/:id/condition': ANY_USER,
  'POST /api/v1/certificates/:id/recall': STAFF,
  'POST /api/v1/certificates/:id/recall-requests': STAFF,
  'POST /api/v1/certificates/:id/refresh': STAFF,
  'POST /api/v1/certificates/:id/renewal': STAFF,
  'GET /api/v1/certificates/:id/revocation': ANY_USER,
  'GET /api/v1/certificates/summary': STAFF,
  'GET /api/v1/cloud-certificates': ANY_USER,
  'GET /api/v1/documents': ANY_USER,
  'POST /api/v1/documents': ANY_USER,
  'DELETE /api/v1/documents/:id': ANY_USER,
  'GET /api/v1/documents/:id': ANY_USER,
  'GET /api/v1/documents/:id/content': ANY_USER,
  'GET /api/v1/documents/:id/signatures/:signatureId/content': ANY_USER,
  'GET /api/v1/documents/:id/signatures/:signatureId/stamped': ANY_USER,
  'POST /api/v1/documents/:id/signatures/:signatureId/verification': ANY_USER,
  'GET /api/v1/employees': STAFF,
  'POST /api/v1/employees': STAFF,
  'GET /api/v1/employees/:id': ANY_USER,
  'PATCH /api/v1/employees/:id': STAFF,
  'GET /api/v1/employees/:id/certificate-notices': ANY_USER,
  'GET /api/v1/employees/:id/certificates': ANY_USER,
  'DELETE /api/v1/employees/:id/dismissal': STAFF,
  'POST /api/v1/employees/:id/dismissal': STAFF,
  'POST /api/v1/employees/import': STAFF,
  'GET /api/v1/events': ANY_USER,
  'GET /api/v1/issue-events': STAFF,
  'GET /api/v1/issues': STAFF,
  'POST /api/v1/issues': STAFF,
  'DELETE /api/v1/issues/:id': STAFF,
  'GET /api/v1/issues/:id': STAFF,
  'PATCH /api/v1/issues/:id': STAFF,
  'GET /api/v1/issues/:id/certificate': STAFF,
  'POST /api/v1/issues/:id/certificate/assign': STAFF,
  'PUT /api/v1/issues/:id/documents/:documentType': STAFF,
  'DELETE /api/v1/issues/:id/documents/:documentType/pages/:pageId': STAFF,
  'POST /api/v1/issues/:id/documents/:documentType/scans': STAFF,
  'POST /api/v1/issues/:id/forward-to-cabinet': STAFF,
  'GET /api/v1/issues/:id/history': STAFF,
  'POST /api/v1/issues/:id/release-statement/esia-confirmation': STAFF,
  'POST /api/v1/issues/:id/release-statement/sign': STAFF,
  'POST /api/v1/issues/:id/release-statement/sms-confirmation': STAFF,
  'PUT /api/v1/issues/:id/subject-identification': STAFF,
  'GET /api/v1/issues/:id/templates/:templateType': STAFF,
  'POST /api/v1/issues/:id/validation': STAFF,
  'GET /api/v1/mail/outbox': ADMIN,
  'GET /api/v1/mail/outbox/:id': ADMIN,
  'DELETE /api/v1/mail/settings': ADMIN,
  'GET /api/v1/mail/settings': ADMIN,
  'PUT /api/v1/mail/settings': ADMIN,
  'POST /api/v1/mail/test': ADMIN,
  'GET /api/v1/me/certificates': EMPLOYEE,
  'GET /api/v1/me/certificates/:thumbprint/file': EMPLOYEE,
  'GET /api/v1/me/issues': EMPLOYEE,
  'POST /api/v1/me/issues/:id/release-statement/sign': EMPLOYEE,
  'POST /api/v1/me/issues/:id/release-statement/sms-confirmation': EMPLOYEE,
  'GET /api/v1/me/notifications': ANY_USER,
  'PUT /api/v1/me/notifications': ANY_USER,
  'GET /api/v1/reestro-representatives': STAFF,
  'POST /api/v1/reestro-representatives': STAFF,
  'GET /api/v1/reestro-subjects': STAFF,
  'POST /api/v1/reestro-subjects': STAFF,
  'GET /api/v1/reestro-subjects/:id': STAFF,
  'GET /api/v1/reestro-subjects/:id/egrul': STAFF,
  'GET /api/v1/renewal-policies': STAFF,
  'PUT /api/v1/renewal-policies/:certificateTemplate': ADMIN,
  'GET /api/v1/settings': ADMIN,
  'PATCH /api/v1/settings': ADMIN,
  'DELETE /api/v1/settings/:name': ADMIN,
  'POST /api/v1/settings/check': ADMIN,
  'GET /api/v1/settings/client-certificates': ADMIN,
  'POST /api/v1/settings/client-certificates': ADMIN,
  'DELETE /api/v1/settings/client-certificates/:thumbprint': ADMIN,
  'GET /api/v1/settings/trusted-roots': ADMIN,
  'POST /api/v1/settings/trusted-roots': ADMIN,
  'DELETE /api/v1/settings/trusted-roots/:thumbprint': ADMIN,
  'POST /api/v1/sign-operations': ANY_USER,
  'GET /api/v1/sign-operations/:id': ANY_USER,
  'POST /api/v1/sign-operations/:id/confirmation': ANY_USER,
  'GET /api/v1/sign-operations/:id/result': ANY_USER,
  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'PATCH /api/v1/users/:id': ADMIN,
  'GET /api/v1/webhooks': ADMIN,
  'POST /api/v1/webhooks': ADMIN,
  'DELETE /api/v1/webhooks/:id': ADMIN,
  'PATCH /api/v1/webhooks/:id': ADMIN,
  'GET /api/v1/webhooks/:id/deliveries': ADMIN,
};

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

  it('every route admits exactly the roles of the expected table', () => {
    const declared = Object.fromEntries(t.server.routes!.filter((route) => route.access !== 'public').map((route) => [`${route.method} ${route.url}`, [...(route.access as readonly Role[])].sort()]));
    const expected = Object.fromEntries(Object.entries(EXPECTED_ACCESS).map(([route, roles]) => [route, [...roles].sort()]));
    assert.deepEqual(declared, expected);
  });

  it('public routes are only the service endpoints, sign-in and documentation', () => {
    const allowedPublic = /^(\/healthz|\/readyz|\/metrics|\/api\/openapi\.json|\/api\/docs.*|\/api\/v1\/auth\/(token|login)|\/sandbox\/.*|\/|\/\*)$/;
    const unexpected = t.server.routes!.filter((route) => route.access === 'public' && !allowedPublic.test(route.url));
    assert.deepEqual(unexpected, []);
  });
});
