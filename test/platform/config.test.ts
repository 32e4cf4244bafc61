// The environment settings of the limits and the proxy: defaults, accepted values, and a wrong
// value that stops the start naming the variable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

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
});
