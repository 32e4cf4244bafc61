// The environment settings of the limits and the proxy: defaults, accepted values, and a wrong
// value that stops the start naming the variable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { SERVER_SETTINGS } from '../../scripts/test-environment.js';

describe('configuration of limits, proxies and origins', () => {
  let dataDir: string;
  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, ...env });
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kca-config-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('has defaults a bank would accept, independent of the caller\'s environment', () => {
    const config = load({});
    assert.deepEqual(config.smsLimits, { openSignOperations: 3, signPerHour: 10, statementCodesPerHour: 5 });
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.allowedOrigins, []);
  });

  it('reads the values given', () => {
    const config = load({
      SMS_LIMIT_OPEN_SIGN_OPERATIONS: '1',
      SMS_LIMIT_SIGN_PER_HOUR: '20',
      SMS_LIMIT_STATEMENT_CODES_PER_HOUR: '7',
      TRUST_PROXY: '10.0.0.1, 192.168.0.0/16',
      ALLOWED_ORIGINS: 'https://portal.example.ru, http://10.0.0.5:3000/',
    });
    assert.deepEqual(config.smsLimits, { openSignOperations: 1, signPerHour: 20, statementCodesPerHour: 7 });
    assert.deepEqual(config.trustProxy, ['10.0.0.1', '192.168.0.0/16']);
    assert.deepEqual(config.allowedOrigins, ['https://portal.example.ru', 'http://10.0.0.5:3000']);
    assert.equal(load({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(load({ TRUST_PROXY: '2' }).trustProxy, 2);
  });

  it('refuses a wrong value naming the variable', () => {
    for (const [variable, value] of [
      ['SMS_LIMIT_OPEN_SIGN_OPERATIONS', '0'],
      ['SMS_LIMIT_SIGN_PER_HOUR', '1e3'],
      ['SMS_LIMIT_STATEMENT_CODES_PER_HOUR', '-1'],
      ['TRUST_PROXY', 'proxy.example'],
      ['ALLOWED_ORIGINS', 'https://portal.example.ru/path'],
      ['ALLOWED_ORIGINS', 'portal.example.ru'],
    ]) {
      assert.throws(() => load({ [variable]: value }), (error: unknown) => error instanceof ConfigError && error.variable === variable, `${variable}=${value}`);
    }
  });

  it('keeps every setting the server reads out of what the test files inherit (scripts/test-environment.js)', () => {
    const read = new Set<string>();
    const recording = new Proxy({ DATA_DIR: dataDir } as Record<string, string | undefined>, {
      get(target, name) {
        if (typeof name === 'string') read.add(name);
        return target[name as string];
      },
    });
    loadConfig(recording);
    assert.ok(read.has('ADMIN_PASSWORD') && read.has('KONTUR_DEADLINE_MS'), [...read].join(', '));
    const inherited = [...read].filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name) && !SERVER_SETTINGS.test(name));
    assert.deepEqual(inherited, [], `settings the test files would inherit from the caller: ${inherited.join(', ')}`);
  });
});
