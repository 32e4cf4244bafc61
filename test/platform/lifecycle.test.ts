// The server as a process: configuration errors, first start, graceful SIGTERM, restart.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runKca, startKca, waitForHealthy } from '../support/process.ts';
import { mobilePhone } from '../support/people.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kca-life-'));
  dirs.push(dir);
  return dir;
}

async function token(url: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

describe('server process', () => {
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  for (const [variable, value, expected] of [
    ['PORT', 'abc', /^kca: configuration error: PORT: must be a port number/m],
    ['DATABASE_URL', 'mysql://x', /^kca: configuration error: DATABASE_URL: must start with postgres:\/\//m],
    ['LOG_LEVEL', 'loud', /^kca: configuration error: LOG_LEVEL: must be one of/m],
    ['MASTER_KEY', 'short', /^kca: configuration error: MASTER_KEY: must be 32 bytes/m],
    ['SANDBOX_ACTUALIZATION_MS', 'soon', /^kca: configuration error: SANDBOX_ACTUALIZATION_MS: must be a number of milliseconds/m],
  ] as const) {
    it(`stops with one clear line for a wrong ${variable}`, async () => {
      const result = await runKca(['serve'], { DATA_DIR: await tempDir(), [variable]: value });
      assert.equal(result.code, 2);
      assert.match(result.output, expected);
      assert.equal(result.output.trim().split('\n').length, 1);
    });
  }

  it('prints a generated admin password once, finishes in-flight work on SIGTERM, and keeps data across restarts', async () => {
    const dataDir = await tempDir();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };

    const first = startKca(['serve'], env);
    await waitForHealthy(url);
    const password = /password\s+(\S+)/.exec(first.output())?.[1];
    assert.ok(password, `no generated password in: ${first.output()}`);
    assert.equal((await stat(join(dataDir, 'master.key'))).mode & 0o777, 0o600);
    const adminToken = await token(url, password);

    // A large import is in flight when SIGTERM arrives: it must complete, then the process exits 0.
    const rows = ['Фамилия,Имя,Телефон'];
    for (let i = 0; i < 3000; i++) rows.push(`Сигнальный,Сотрудник,${mobilePhone(500_000 + i)}`);
    const inFlight = fetch(`${url}/api/v1/employees/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'text/csv' },
      body: rows.join('\n'),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    first.child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { created: number }).created, 3000);
    assert.equal(await first.exited, 0);

    const second = startKca(['serve'], env);
    await waitForHealthy(url);
    assert.doesNotMatch(second.output(), /password/, 'the password is printed only on the first start');
    const again = await token(url, password);
    const search = await fetch(`${url}/api/v1/employees?query=Сигнальный&limit=1`, { headers: { authorization: `Bearer ${again}` } });
    assert.equal(((await search.json()) as { total: number }).total, 3000);
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('creates users from the command line and applies migrations on demand', async () => {
    const dataDir = await tempDir();
    const env = { DATA_DIR: dataDir };
    const migrate = await runKca(['migrate'], env);
    assert.equal(migrate.code, 0, migrate.output);
    assert.match(migrate.output, /migrations applied/);
    const created = await runKca(['user', 'create', 'hr-operator', '--role', 'operator', '--password', 'operator-pass-1'], env);
    assert.equal(created.code, 0, created.output);
    assert.match(created.output, /created user hr-operator \(operator\)/);
    const duplicate = await runKca(['user', 'create', 'hr-operator', '--role', 'operator', '--password', 'operator-pass-1'], env);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.output, /уже есть/);
    const badRole = await runKca(['user', 'create', 'x', '--role', 'root'], env);
    assert.equal(badRole.code, 2);
    const usage = await runKca(['nonsense'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.output, /unknown command/);
  });
});
