import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestServer, usesPostgres, type TestServer } from '../support/server.ts';
import { SETTING_NAMES } from '../../src/services/settings.ts';

const SECRET_KEY = 'f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b';

async function filesContaining(dir: string, needle: Buffer): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    // The running database removes files of its own (pg_internal.init) between listing and reading.
    const content = await readFile(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(error)));
    if (content.includes(needle)) found.push(path);
  }
  return found;
}

describe('connection settings', () => {
  let t: TestServer;
  let token: string;
  const logLines: string[] = [];
  before(async () => {
    t = await startTestServer({ LOG_LEVEL: 'trace' }, { logDestination: { write: (line) => void logLines.push(line) } });
    token = await t.token();
  });
  after(() => t.close());

  it('defaults to the built-in sandbox', async () => {
    const response = await t.request('GET', '/api/v1/settings', { token });
    assert.equal(response.status, 200);
    const port = new URL(t.url).port;
    assert.equal(response.body.KcrApiConnectionAddress, `http://127.0.0.1:${port}/sandbox/kcr/`);
    assert.equal(response.body.CryptoApiConnectionAddress, `http://127.0.0.1:${port}/sandbox/cloud/v3/`);
    assert.equal(response.body.RestClientMaxTimeout, 60000);
    assert.equal(response.body.sandboxMode, true);
    assert.equal(response.body.defaults.length, SETTING_NAMES.length);
  });

  it('validates every value and stores nothing when one is wrong', async () => {
    const response = await t.request('PATCH', '/api/v1/settings', {
      token,
      body: {
        KcrApiConnectionAddress: 'https://api.kontur.ru/kcr',
        CryptoAuthenticationCertificateThumbprint: 'not-hex',
        RestClientMaxTimeout: 999,
        CryptoApiConnectionAddress: 'ftp://example',
      },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(
      response.body.errors.map((e: { field: string }) => e.field).sort(),
      ['CryptoApiConnectionAddress', 'CryptoAuthenticationCertificateThumbprint', 'RestClientMaxTimeout'],
    );
    const unchanged = await t.request('GET', '/api/v1/settings', { token });
    assert.equal(unchanged.body.defaults.length, SETTING_NAMES.length);
    const unknown = await t.request('PATCH', '/api/v1/settings', { token, body: { Something: 1 } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0].field, 'Something');
  });

  it('stores valid values, normalizes them, and leaves sandbox mode when pointed at Kontur', async () => {
    const response = await t.request('PATCH', '/api/v1/settings', {
      token,
      body: {
        KcrApiConnectionAddress: 'https://api.kontur.ru/kcr',
        CryptoAuthenticationCertificateThumbprint: 'ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01',
        RestClientMaxTimeout: 30000,
      },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.KcrApiConnectionAddress, 'https://api.kontur.ru/kcr/');
    assert.equal(response.body.CryptoAuthenticationCertificateThumbprint, 'ABCDEF0123456789ABCDEF0123456789ABCDEF01');
    assert.equal(response.body.sandboxMode, false);
    const reset = await t.request('DELETE', '/api/v1/settings/KcrApiConnectionAddress', { token });
    assert.equal(reset.body.sandboxMode, true);
  });

  it('never shows, logs or stores the KCR API key in clear text', async () => {
    const response = await t.request('PATCH', '/api/v1/settings', { token, body: { KcrApiKey: SECRET_KEY } });
    assert.equal(response.status, 200);
    assert.equal(response.body.KcrApiKey, '****4a5b');
    assert.ok(!JSON.stringify(response.body).includes(SECRET_KEY));
    const read = await t.request('GET', '/api/v1/settings', { token });
    assert.ok(!JSON.stringify(read.body).includes(SECRET_KEY));
    const audit = await t.request('GET', '/api/v1/audit?action=updateSettings', { token });
    assert.ok(audit.body.entries.length >= 1);
    assert.ok(!JSON.stringify(audit.body).includes(SECRET_KEY));

    // The services get it back in clear: it is encrypted, not lost.
    assert.equal((await t.server.services.settings.connection()).KcrApiKey, SECRET_KEY);

    const rows = await t.server.database.sql.executeSql("select value, encrypted from settings where key = 'KcrApiKey'");
    assert.equal(rows.rows[0].encrypted, true);
    assert.ok(!rows.rows[0].value.includes(SECRET_KEY));
    if (!usesPostgres) {
      // Force the embedded database to write its pages, then look at every file on disk.
      await t.server.database.sql.executeSql('checkpoint');
      assert.deepEqual(await filesContaining(t.dataDir, Buffer.from(SECRET_KEY)), []);
    }
    assert.ok(logLines.length > 10, 'trace logging was on');
    assert.ok(!logLines.some((line) => line.includes(SECRET_KEY)), 'the key is in a log line');
    assert.ok(!logLines.some((line) => line.includes(token)), 'a bearer token is in a log line');
  });

  it('rejects an empty or spaced key and closes the settings to non-admins', async () => {
    const bad = await t.request('PATCH', '/api/v1/settings', { token, body: { KcrApiKey: 'a b' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].field, 'KcrApiKey');
    const operator = await t.userWithRole('operator');
    assert.equal((await t.request('GET', '/api/v1/settings', { token: operator.token })).status, 403);
  });
});
