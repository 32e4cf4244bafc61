// The bridge without its sandbox (issue 12, item 4): a copy of the package with src/sandbox (and
// its migrations) left out type-checks, bundles with no sandbox entry, starts, and issues through
// a KCR address set in its settings — here a sandbox running as its own process (`kca sandbox`)
// from the full tree, so that the call crosses a real HTTP boundary between two installations.
// The copy shares node_modules, the built web client, the WebAssembly and the database template
// by symlinks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomInt } from 'node:crypto';
import { PACKAGE_ROOT } from '../../src/package-files.ts';
import { freePort, waitForHealthy } from '../support/process.ts';
import { DEFAULT_KCR_API_KEY } from '../../src/sandbox/config.ts';
import { validInn } from './harness.ts';

const ADMIN_PASSWORD = 'admin-password-1';

/** What the copy takes from the package: sources and build inputs, not outputs, data or the sandbox. */
function copyWithoutSandbox(target: string): void {
  const skip = [join('src', 'sandbox'), join('test', 'sandbox'), 'node_modules', 'dist', 'data', 'web', '.git'];
  for (const name of ['src', 'test', 'bench', 'scripts', 'bin', 'drizzle', 'package.json', 'package-lock.json', 'tsconfig.json', 'drizzle.config.ts']) {
    cpSync(join(PACKAGE_ROOT, name), join(target, name), { recursive: true, filter: (source) => !skip.includes(relative(PACKAGE_ROOT, source)) });
  }
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(target, 'node_modules'), 'dir');
  symlinkSync(join(PACKAGE_ROOT, 'web'), join(target, 'web'), 'dir');
  // Built files that are not the server bundle (the Streebog WebAssembly, the database template).
  mkdirSync(join(target, 'dist'));
  for (const name of readdirSync(join(PACKAGE_ROOT, 'dist'))) {
    if (name === 'wasm' || name === 'postgres-template') symlinkSync(join(PACKAGE_ROOT, 'dist', name), join(target, 'dist', name), 'dir');
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(cwd: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [join(cwd, 'bin', 'kca.js'), ...args], { cwd, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function stop(started: Started | undefined): Promise<void> {
  if (!started || started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  await exited;
}

describe('the bridge with src/sandbox deleted', () => {
  const work = mkdtempSync(join(tmpdir(), 'kca-apart-'));
  const copy = join(work, 'bridge');
  let sandbox: Started | undefined;
  let bridge: Started | undefined;

  before(() => {
    mkdirSync(copy);
    copyWithoutSandbox(copy);
  });
  after(async () => {
    await stop(bridge);
    await stop(sandbox);
    rmSync(work, { recursive: true, force: true });
  });

  it('has neither the sandbox nor its migrations (src/sandbox/migrations)', () => {
    assert.equal(existsSync(join(copy, 'src', 'sandbox')), false);
    assert.ok(existsSync(join(copy, 'src', 'sandbox-host.ts')));
    assert.ok(readdirSync(join(copy, 'drizzle')).some((name) => name.endsWith('.sql')), 'the bridge keeps its own migrations');
  });

  it('type-checks and bundles, with no sandbox entry in the bundle', () => {
    const tsc = spawnSync(process.execPath, [join(copy, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', copy], { cwd: copy, encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    const bundle = spawnSync(process.execPath, [join(copy, 'scripts', 'server-bundle.js'), '--force'], { cwd: copy, encoding: 'utf8' });
    assert.equal(bundle.status, 0, bundle.stdout + bundle.stderr);
    assert.ok(existsSync(join(copy, 'dist', 'server', 'kca.mjs')));
    assert.equal(existsSync(join(copy, 'dist', 'server', 'sandbox.mjs')), false);
  });

  it('runs from its bundle and creates an issue at the KCR address its settings name (a sandbox running apart)', async () => {
    const sandboxPort = await freePort();
    sandbox = start(PACKAGE_ROOT, ['sandbox'], { DATA_DIR: join(work, 'sandbox-data'), SANDBOX_PORT: String(sandboxPort), SANDBOX_ACTUALIZATION_MS: '50' });
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const bridgePort = await freePort();
    bridge = start(copy, ['serve'], { DATA_DIR: join(work, 'bridge-data'), PORT: String(bridgePort), ADMIN_PASSWORD, ISSUE_EVENTS_POLL_MS: '100' });
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    await Promise.all([waitForHealthy(sandboxUrl), waitForHealthy(bridgeUrl)]);
    assert.match(sandbox.output(), new RegExp(`sandbox: KCR API v1 \\(certificate issues\\) at ${sandboxUrl}/sandbox/kcr/`), 'kca sandbox says where it listens');
    assert.match(bridge.output(), /the built-in sandbox is not installed/);

    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const response = await fetch(bridgeUrl + path, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
    };
    // Nothing of the sandbox is served by this bridge.
    const gone = await call('GET', '/sandbox/kcr/v1/issues');
    assert.equal(gone.status, 404);
    assert.match(gone.type, /application\/problem\+json/);

    const { body: login } = await call('POST', '/api/v1/auth/token', { username: 'admin', password: ADMIN_PASSWORD });
    const token = login.token as string;
    const settings = await call('PATCH', '/api/v1/settings', { KcrApiConnectionAddress: `${sandboxUrl}/sandbox/kcr/`, KcrApiKey: DEFAULT_KCR_API_KEY }, token);
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    const employee = await call('POST', '/api/v1/employees', { lastName: 'Орлова', firstName: 'Вера', middleName: 'Ивановна', email: `v${randomInt(1e9)}@example.ru`, phone: `+79${String(randomInt(1e9)).padStart(9, '0')}`, inn: validInn() }, token);
    assert.equal(employee.status, 201, JSON.stringify(employee.body));
    const created = await call('POST', '/api/v1/issues', { employeeId: employee.body.id }, token);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const issueId = created.body.data.id as string;

    // The issue lives in the sandbox process, which the bridge reached over HTTP.
    const seen = await fetch(`${sandboxUrl}/sandbox/console/issues/${issueId}`);
    assert.equal(seen.status, 200);
    assert.equal(((await seen.json()) as { subjectInfo: { lastname: string } }).subjectInfo.lastname, 'Орлова');
    // And the bridge reads it back from there.
    const read = await call('GET', `/api/v1/issues/${issueId}`, undefined, token);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.data.status, 'preparing');

    // The sandbox's own database holds its schemas and nothing of the bridge's.
    const database = new pg.Client({ host: join(work, 'sandbox-data', 'sandbox', 'run'), user: 'postgres', database: 'postgres' });
    await database.connect();
    try {
      const { rows } = await database.query(`select distinct table_schema from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1`);
      const schemas = rows.map((r) => r.table_schema as string);
      assert.ok(schemas.includes('sandbox_kcr') && schemas.includes('sandbox_cloud'), schemas.join());
      assert.deepEqual(schemas.filter((schema) => !schema.startsWith('sandbox')), [], 'no table of the bridge (public) in the sandbox’s database');
    } finally {
      await database.end();
    }
  });
});
