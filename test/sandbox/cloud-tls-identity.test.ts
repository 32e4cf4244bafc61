// A client of the cloud API that sends no `certificate` parameter is identified by its TLS client
// certificate (docs/kontur-api.md §6: clients behind a GOST TLS tunnel do so). Here the sandbox is
// served over ordinary TLS by Node (GOST TLS is the tunnel's business) and the identity is the
// SHA-1 thumbprint of the certificate the client presented.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { gostOpenssl, opensslOrSkip, type GostOpenssl } from '../crypto/openssl.ts';
import { startSandbox, type SandboxUnderTest } from './harness.ts';

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

describe('the cloud sandbox identifies a client by its TLS certificate', () => {
  let runner: GostOpenssl | { unavailable: string };
  let sandbox: SandboxUnderTest | undefined;
  const pem: Record<string, string> = {};

  function call(path: string, client?: 'client' | 'stranger'): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const options = { method: 'POST', rejectUnauthorized: false, ...(client ? { key: pem[`${client}.key`], cert: pem[`${client}.pem`] } : {}) };
      const req = request(`${sandbox!.url}/sandbox/cloud/v3/${path}`, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: text && (response.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  before(async () => {
    runner = gostOpenssl();
    if ('unavailable' in runner) return;
    for (const name of ['server', 'client', 'stranger']) {
      runner.ok(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`]);
      pem[`${name}.key`] = readFileSync(runner.path(`${name}.key`), 'utf8');
      pem[`${name}.pem`] = readFileSync(runner.path(`${name}.pem`), 'utf8');
    }
    const thumbprint = createHash('sha1').update(pemToDer(pem['client.pem'])).digest('hex').toUpperCase();
    sandbox = await startSandbox({ SANDBOX_CLOUD_CLIENT_THUMBPRINT: thumbprint }, { https: { key: pem['server.key'], cert: pem['server.pem'] } });
  });
  after(async () => {
    await sandbox?.close();
    if (runner && !('unavailable' in runner)) runner.cleanup();
  });

  it('takes the client certificate instead of the parameter; no certificate is 401, another one 403', async (t) => {
    if (!opensslOrSkip(t, runner)) return;
    const create = 'CreateFile?md5=9dd4e461268c8034f5c8564e155c67a6&length=1&fileName=x.txt';
    const accepted = await call(create, 'client');
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(typeof accepted.body.FileId, 'string');
    const anonymous = await call(create);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.Code, 'Unauthorized');
    const stranger = await call(create, 'stranger');
    assert.equal(stranger.status, 403);
    assert.equal(stranger.body.Code, 'Forbidden');
    // The parameter still works, and wins over the TLS certificate.
    const thumbprint = createHash('sha1').update(pemToDer(pem['client.pem'])).digest('hex');
    assert.equal((await call(`${create}&certificate=${thumbprint}`, 'stranger')).status, 200);
  });
});
