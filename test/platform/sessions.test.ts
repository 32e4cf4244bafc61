// Sessions end when what they were granted on changes (password, role, disabling), and a change
// made with the session cookie is carried out only when it comes from the server's own pages
// (Origin, or Referer): a page on another port of the same host cannot post with the cookie.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.ts';

describe('sessions', () => {
  let t: TestServer;
  let admin: string;

  /** A user with a bearer token and a web session (cookie). */
  async function userWithSessions(role: 'operator' | 'admin' = 'operator') {
    const username = `session-${randomBytes(4).toString('hex')}`;
    const created = await t.request('POST', '/api/v1/users', { token: admin, body: { username, role, password: 'first-password-1' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const token = await t.token(username, 'first-password-1');
    const cookie = await login(username, 'first-password-1');
    return { id: created.body.id as string, username, token, cookie };
  }

  async function login(username: string, password: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
    assert.equal(response.status, 200);
    return response.headers.get('set-cookie')!.split(';')[0];
  }

  const meWithToken = async (token: string) => (await t.request('GET', '/api/v1/auth/me', { token })).status;
  const meWithCookie = async (cookie: string) => (await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie } })).status;

  before(async () => {
    // The harness connects from the loopback address: it plays the proxy in the Secure test.
    t = await startTestServer({ TRUST_PROXY: '127.0.0.1' });
    admin = await t.token();
  });
  after(() => t.close());

  describe('end when the password, the role or the disabled flag changes', () => {
    for (const [what, change] of [
      ['a new password', { password: 'second-password-2' }],
      ['another role', { role: 'employee', employeeId: null }],
      ['disabling', { disabled: true }],
    ] as const) {
      it(`ends every session and token on ${what}`, async () => {
        const user = await userWithSessions();
        assert.equal(await meWithToken(user.token), 200);
        assert.equal(await meWithCookie(user.cookie), 200);
        let body: Record<string, unknown> = change;
        if ('role' in change) {
          const card = await t.request('POST', '/api/v1/employees', { token: admin, body: { lastName: 'Сменова', firstName: 'Роль', middleName: 'Тестовна', phone: '+79005550101' } });
          body = { role: 'employee', employeeId: card.body.id };
        }
        assert.equal((await t.request('PATCH', `/api/v1/users/${user.id}`, { token: admin, body })).status, 200);
        assert.equal(await meWithToken(user.token), 401);
        assert.equal(await meWithCookie(user.cookie), 401);
        if ('disabled' in change) {
          // Enabled again, the old sessions stay ended.
          assert.equal((await t.request('PATCH', `/api/v1/users/${user.id}`, { token: admin, body: { disabled: false } })).status, 200);
          assert.equal(await meWithToken(user.token), 401);
        }
      });
    }

    it('keeps sessions on other changes, and API keys on a new password', async () => {
      const user = await userWithSessions();
      const key = await t.request('POST', '/api/v1/api-keys', { token: admin, body: { userId: user.id, name: 'robot' } });
      assert.equal((await t.request('PATCH', `/api/v1/users/${user.id}`, { token: admin, body: { displayName: 'Новое имя', role: 'operator' } })).status, 200);
      assert.equal(await meWithToken(user.token), 200);
      assert.equal((await t.request('PATCH', `/api/v1/users/${user.id}`, { token: admin, body: { password: 'second-password-2' } })).status, 200);
      assert.equal(await meWithToken(user.token), 401);
      assert.equal(await meWithToken(key.body.token), 200);
      assert.equal(await meWithToken(await t.token(user.username, 'second-password-2')), 200);
    });

    it('keeps the session of an administrator who changes his own password, and ends his others', async () => {
      const self = await userWithSessions('admin');
      const other = await t.token(self.username, 'first-password-1');
      assert.equal((await t.request('PATCH', `/api/v1/users/${self.id}`, { token: self.token, body: { password: 'second-password-2' } })).status, 200);
      assert.equal(await meWithToken(self.token), 200);
      assert.equal(await meWithToken(other), 401);
      assert.equal(await meWithCookie(self.cookie), 401);
    });
  });

  describe('cookie-authenticated changes come only from the server\'s own pages', () => {
    const change = (cookie: string, headers: Record<string, string>, body = 'lastName=Иванов') =>
      fetch(`${t.url}/api/v1/employees`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain', ...headers }, body });

    it('refuses a text/plain post with the cookie and no Origin or Referer, and one from another port', async () => {
      const cookie = await login('admin', ADMIN_PASSWORD);
      const bare = await change(cookie, {});
      assert.equal(bare.status, 403);
      assert.match(bare.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = (await bare.json()) as { type: string; detail: string };
      assert.equal(problem.type, 'urn:kca:problem:cross-origin');
      assert.match(problem.detail, /Origin/);
      const port = Number(new URL(t.url).port);
      const otherPort = await change(cookie, { origin: `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}` });
      assert.equal(otherPort.status, 403);
      assert.equal((await change(cookie, { origin: 'null' })).status, 403);
      assert.equal((await change(cookie, { referer: 'http://evil.example/page' })).status, 403);
      const logout = await fetch(`${t.url}/api/v1/auth/token`, { method: 'DELETE', headers: { cookie, origin: 'http://evil.example' } });
      assert.equal(logout.status, 403);
      // Nothing was created, and the session still works.
      assert.equal(await meWithCookie(cookie), 200);
    });

    it('carries out changes from the own origin (Origin or Referer) and bearer calls without either', async () => {
      const cookie = await login('admin', ADMIN_PASSWORD);
      // Past the check, the route answers for itself: a text body is not the card's fields.
      for (const headers of [{ origin: t.url }, { referer: `${t.url}/employees/new` }] as Record<string, string>[]) {
        const answer = await change(cookie, headers);
        assert.equal(answer.status, 400);
        assert.equal(((await answer.json()) as { type: string }).type, 'urn:kca:problem:validation');
      }
      const created = await fetch(`${t.url}/api/v1/employees`, { method: 'POST', headers: { cookie, origin: t.url, 'content-type': 'application/json' }, body: JSON.stringify({ lastName: 'Своя', firstName: 'Страница', middleName: 'Тестовна', phone: '+79005550102' }) });
      assert.equal(created.status, 201);
      assert.equal((await t.request('POST', '/api/v1/employees', { token: admin, body: { lastName: 'Без', firstName: 'Куки', middleName: 'Тестович', phone: '+79005550103' } })).status, 201);
      // Reads need no origin.
      assert.equal(await meWithCookie(cookie), 200);
    });

    it('refuses a sign-in from a foreign page, and accepts a bare one', async () => {
      const foreign = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.headers.get('set-cookie'), null);
      await login('admin', ADMIN_PASSWORD);
      await login('admin', ADMIN_PASSWORD, { origin: t.url });
    });
  });

  it('marks the cookie Secure when the server is reached over HTTPS (through a trusted proxy)', async () => {
    const plain = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    assert.doesNotMatch(plain.headers.get('set-cookie')!, /;\s*Secure/i);
    const host = new URL(t.url).host;
    const https = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', origin: `https://${host}` },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    assert.equal(https.status, 200);
    assert.match(https.headers.get('set-cookie')!, /;\s*Secure/i);
    // Over HTTPS the own origin is the https one: the plain-http origin is foreign there.
    const cookie = https.headers.get('set-cookie')!.split(';')[0];
    const viaProxy = (origin: string) => fetch(`${t.url}/api/v1/auth/token`, { method: 'DELETE', headers: { cookie, origin, 'x-forwarded-proto': 'https' } });
    assert.equal((await viaProxy(`http://${host}`)).status, 403);
    assert.equal((await viaProxy(`https://${host}`)).status, 204);
  });
});
