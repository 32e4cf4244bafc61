// `kca check-connection` as an operator runs it: a process of its own, with its own (fresh)
// settings, against a running server's built-in sandbox (the settings default to the sandbox at
// PORT), and against a port where nothing listens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.ts';
import { freePort, runKca } from '../support/process.ts';

describe('kca check-connection', () => {
  let t: TestServer;
  // One data directory for the command's runs (one after the other): its embedded database is made once.
  const dataDir = mkdtempSync(join(tmpdir(), 'kca-check-'));
  // Only what the command needs: no DATABASE_URL or MASTER_KEY of the caller's.
  const env = (port: number) => ({ DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', MASTER_KEY: '', LOG_LEVEL: 'warn' });
  before(async () => {
    t = await startTestServer();
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports every step of both APIs and exits 0 when they all pass', async () => {
    const { code, output } = await runKca(['check-connection'], env(Number(new URL(t.url).port)));
    assert.equal(code, 0, output);
    assert.match(output, /KCR API \(заявки на сертификаты\): http:\/\/127\.0\.0\.1:\d+\/sandbox\/kcr\/ \(напрямую\)/);
    assert.match(output, /✓ Соединение TCP: Соединение с 127\.0\.0\.1:\d+ установлено/);
    assert.match(output, /– Рукопожатие TLS: Не используется: адрес http:\/\//);
    assert.match(output, /✓ API-ключ: API-ключ принят/);
    assert.match(output, /✓ Клиентский сертификат: Клиент опознан по параметру certificate/);
    assert.match(output, /✓ Ответ API: Ответ 200 за \d+ мс/);
    assert.match(output, /Итог: подключение работает/);
  });

  it('names the failed step, skips the rest and exits 1; --json and --api give the same in JSON for one API', async () => {
    const port = await freePort();
    const text = await runKca(['check-connection'], env(port));
    assert.equal(text.code, 1, text.output);
    assert.match(text.output, new RegExp(`✗ Соединение TCP: Нет соединения с 127\\.0\\.0\\.1:${port}: соединение отвергнуто \\(ECONNREFUSED\\)`));
    assert.match(text.output, /– Ответ API: Не проверялось: не пройден шаг «Соединение TCP»/);
    const json = await runKca(['check-connection', '--json', '--api', 'cloud'], env(port));
    assert.equal(json.code, 1);
    const report = JSON.parse(json.output.slice(json.output.indexOf('{')));
    assert.equal(report.ok, false);
    assert.deepEqual(report.apis.map((api: { api: string }) => api.api), ['cloud']);
    assert.deepEqual(report.apis[0].steps.map((step: { status: string }) => step.status), ['ok', 'failed', 'skipped', 'skipped', 'skipped']);
  });
});
