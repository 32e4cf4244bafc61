import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, ADMIN_PASSWORD, type TestServer } from '../support/server.ts';
import { MAX_FAILURES_PER_USER } from '../../src/services/auth.ts';
import { eq } from 'drizzle-orm';
import { scryptSync } from 'node:crypto';
import { users } from '../../src/store/schema/index.ts';

describe('authentication', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  it('issues a bearer token for admin with the right password', async () => {
    const response = await t.request('POST', '/api/v1/auth/token', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    assert.equal(response.status, 200);
    assert.match(response.body.token, /^kca_[\w-]{40,}$/);
    const expiresAt = new Date(response.body.expiresAt).getTime();
    assert.ok(expiresAt > Date.now() + 3600_000);
    const me = await t.request('GET', '/api/v1/auth/me', { token: response.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'admin');
    assert.equal(me.body.role, 'admin');
    assert.equal(me.body.passwordHash, undefined);
  });

  it('replaces a hash made with earlier scrypt settings at the next successful login', async () => {
    const admin = await t.token();
    await t.request('POST', '/api/v1/users', { token: admin, body: { username: 'old-hash', role: 'operator', password: 'placeholder-password' } });
    const salt = Buffer.from('0123456789abcdef');
    const oldHash = ['scrypt', 2 ** 13, 8, 10, salt.toString('base64url'), scryptSync('old-password-1', salt, 32, { N: 2 ** 13, r: 8, p: 10 }).toString('base64url')].join('$');
    const { db } = t.server.database;
    await db.update(users).set({ passwordHash: oldHash }).where(eq(users.username, 'old-hash'));
    const stored = async () => (await db.select({ hash: users.passwordHash }).from(users).where(eq(users.username, 'old-hash')))[0].hash!;

    assert.equal((await t.request('POST', '/api/v1/auth/token', { body: { username: 'old-hash', password: 'wrong-password' } })).status, 401);
    assert.equal(await stored(), oldHash, 'a failed login changes nothing');
    assert.equal((await t.request('POST', '/api/v1/auth/token', { body: { username: 'old-hash', password: 'old-password-1' } })).status, 200);
    const renewed = await stored();
    assert.match(renewed, /^scrypt\$32768\$8\$3\$/);
    assert.equal((await t.request('POST', '/api/v1/auth/token', { body: { username: 'old-hash', password: 'old-password-1' } })).status, 200, 'the same password works with the new hash');
    assert.equal(await stored(), renewed);
  });

  it('answers a wrong password with 401 and a missing field with 400 naming it', async () => {
    const wrong = await t.request('POST', '/api/v1/auth/token', { body: { username: 'admin', password: 'not-the-password' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.detail, 'Неверное имя пользователя или пароль');
    const missing = await t.request('POST', '/api/v1/auth/token', { body: { username: 'admin' } });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.errors.map((e: { field: string }) => e.field), ['password']);
  });

  it('answers 429 after repeated wrong attempts, even with the right password', async () => {
    const username = 'victim';
    const admin = await t.token();
    await t.request('POST', '/api/v1/users', { token: admin, body: { username, role: 'operator', password: 'right-password' } });
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILURES_PER_USER + 1; i++) {
      statuses.push((await t.request('POST', '/api/v1/auth/token', { body: { username, password: `guess-${i}` } })).status);
    }
    assert.deepEqual(statuses, [...Array(MAX_FAILURES_PER_USER).fill(401), 429]);
    const right = await t.request('POST', '/api/v1/auth/token', { body: { username, password: 'right-password' } });
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get('retry-after')) > 0);
    const audit = await t.request('GET', `/api/v1/audit?actor=${username}&outcome=denied`, { token: admin });
    assert.ok(audit.body.entries.length >= 1);
  });

  it('signs in the web client with an httpOnly SameSite=Strict session cookie', async () => {
    const response = await fetch(`${t.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie')!;
    assert.match(cookie, /^kca_session=/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    const session = cookie.split(';')[0];
    const me = await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie: session } });
    assert.equal(me.status, 200);
    // A change with the cookie comes from the server's own pages (see sessions.test.ts).
    const logout = await fetch(`${t.url}/api/v1/auth/token`, { method: 'DELETE', headers: { cookie: session, origin: t.url } });
    assert.equal(logout.status, 204);
    const after = await fetch(`${t.url}/api/v1/auth/me`, { headers: { cookie: session } });
    assert.equal(after.status, 401);
  });

  it('revokes tokens and keeps only their hashes', async () => {
    const token = await t.token();
    assert.equal((await t.request('DELETE', '/api/v1/auth/token', { token })).status, 204);
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token })).status, 401);
    const rows = await t.server.database.sql.executeSql('select token_hash from access_tokens');
    assert.ok(rows.rows.length > 0);
    assert.ok(rows.rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash) && row.token_hash !== token));
  });

  it('gives service accounts long-lived API keys that can be revoked', async () => {
    const admin = await t.token();
    const account = await t.request('POST', '/api/v1/users', { token: admin, body: { username: 'erp-robot', role: 'operator', serviceAccount: true } });
    assert.equal(account.status, 201);
    assert.equal(account.body.serviceAccount, true);
    const passwordLogin = await t.request('POST', '/api/v1/auth/token', { body: { username: 'erp-robot', password: 'anything-at-all' } });
    assert.equal(passwordLogin.status, 401);

    const key = await t.request('POST', '/api/v1/api-keys', { token: admin, body: { userId: account.body.id, name: '1С ЗУП' } });
    assert.equal(key.status, 201);
    assert.match(key.body.token, /^kca_key_/);
    assert.equal((await t.request('GET', '/api/v1/employees', { token: key.body.token })).status, 200);
    const listed = await t.request('GET', '/api/v1/api-keys', { token: admin });
    const entry = listed.body.find((k: { id: string }) => k.id === key.body.id);
    assert.equal(entry.name, '1С ЗУП');
    assert.equal(entry.token, undefined);
    assert.ok(entry.lastUsedAt);

    assert.equal((await t.request('DELETE', `/api/v1/api-keys/${key.body.id}`, { token: admin })).status, 204);
    assert.equal((await t.request('GET', '/api/v1/employees', { token: key.body.token })).status, 401);
  });

  it('locks out disabled users at once', async () => {
    const admin = await t.token();
    const user = await t.userWithRole('operator');
    assert.equal((await t.request('PATCH', `/api/v1/users/${user.userId}`, { token: admin, body: { disabled: true } })).status, 200);
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token: user.token })).status, 401);
  });

  it('refuses to demote the built-in admin and validates new users field by field', async () => {
    const admin = await t.token();
    const me = await t.request('GET', '/api/v1/auth/me', { token: admin });
    const demote = await t.request('PATCH', `/api/v1/users/${me.body.id}`, { token: admin, body: { role: 'operator' } });
    assert.equal(demote.status, 400);
    assert.equal(demote.body.errors[0].field, 'role');
    const bad = await t.request('POST', '/api/v1/users', { token: admin, body: { username: 'x', role: 'employee', password: 'short' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['employeeId', 'password', 'username']);
    const duplicate = await t.request('POST', '/api/v1/users', { token: admin, body: { username: 'admin', role: 'admin', password: 'password-123' } });
    assert.equal(duplicate.status, 409);
  });
});
