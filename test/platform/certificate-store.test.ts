import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.ts';
import { generateKeyPair } from '../../src/crypto/gost3410.ts';
import { exportPrivateKeyPem } from '../../src/crypto/keys.ts';
import { certificateToPem, createSelfSignedRoot, issueEndEntityCertificate, naturalPersonSubject } from '../../src/crypto/x509.ts';

const root = generateKeyPair('cryptopro-A');
const rootCertificate = createSelfSignedRoot({ subject: { CN: 'Тестовый УЦ', O: 'Тест', C: 'RU' }, privateKey: root.privateKey, publicKey: root.publicKey });
const client = generateKeyPair('cryptopro-A');
const clientCertificate = issueEndEntityCertificate({
  subject: naturalPersonSubject({ lastName: 'Клиентов', firstName: 'Клиент' }),
  publicKey: client.publicKey,
  issuerCertificate: rootCertificate,
  issuerPrivateKey: root.privateKey,
});
const clientKeyPem = exportPrivateKeyPem(client.privateKey);

describe('certificate store in the settings', () => {
  let t: TestServer;
  let token: string;
  let workDir: string;
  before(async () => {
    t = await startTestServer();
    token = await t.token();
    workDir = await mkdtemp(join(tmpdir(), 'kca-certs-'));
  });
  after(async () => {
    await t.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('trusts a root CA given as PEM or base64 DER, once, and lists it', async () => {
    const added = await t.request('POST', '/api/v1/settings/trusted-roots', { token, body: { certificate: certificateToPem(rootCertificate) } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.match(added.body.thumbprint, /^[0-9A-F]{40}$/);
    assert.match(added.body.subject, /Тестовый УЦ/);
    const again = await t.request('POST', '/api/v1/settings/trusted-roots', { token, body: { certificate: Buffer.from(rootCertificate.der).toString('base64') } });
    assert.equal(again.status, 409);
    const listed = await t.request('GET', '/api/v1/settings/trusted-roots', { token });
    assert.deepEqual(listed.body.map((c: { thumbprint: string }) => c.thumbprint), [added.body.thumbprint]);
    const roots = await t.server.services.certificates.trustedRoots();
    assert.equal(roots.length, 1);
  });

  it('refuses an end-entity certificate as a root, and garbage, naming the field', async () => {
    const leaf = await t.request('POST', '/api/v1/settings/trusted-roots', { token, body: { certificate: certificateToPem(clientCertificate) } });
    assert.equal(leaf.status, 400);
    assert.equal(leaf.body.errors[0].field, 'certificate');
    const garbage = await t.request('POST', '/api/v1/settings/trusted-roots', { token, body: { certificate: 'bm90IGEgY2VydGlmaWNhdGU=' } });
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.errors[0].field, 'certificate');
  });

  it('stores a GOST client certificate with its key encrypted, and refuses a key of another pair', async () => {
    const wrongKey = exportPrivateKeyPem(generateKeyPair('cryptopro-A').privateKey);
    const mismatch = await t.request('POST', '/api/v1/settings/client-certificates', {
      token,
      body: { certificatePem: certificateToPem(clientCertificate), privateKeyPem: wrongKey },
    });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.errors[0].field, 'privateKeyPem');

    const added = await t.request('POST', '/api/v1/settings/client-certificates', {
      token,
      body: { certificatePem: certificateToPem(clientCertificate), privateKeyPem: clientKeyPem },
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.format, 'pem');
    assert.ok(!JSON.stringify(added.body).includes('PRIVATE KEY'));
    const material = await t.server.services.certificates.clientTlsMaterial(added.body.thumbprint.toLowerCase());
    assert.deepEqual(material, { cert: certificateToPem(clientCertificate), key: clientKeyPem });
    const rows = await t.server.database.sql.executeSql("select secret_envelope from stored_certificates where kind = 'client'");
    const keyBody = clientKeyPem.split('\n')[1];
    assert.ok(!rows.rows[0].secret_envelope.includes(keyBody));
  });

  it('opens a PFX with its password and says when the password is wrong', async () => {
    const key = join(workDir, 'k.pem');
    const cert = join(workDir, 'c.pem');
    const pfx = join(workDir, 'c.pfx');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=PFX client', '-days', '30'], { stdio: 'ignore' });
    execFileSync('openssl', ['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', pfx, '-passout', 'pass:pfx-secret'], { stdio: 'ignore' });
    const pfxBase64 = (await readFile(pfx)).toString('base64');
    const wrong = await t.request('POST', '/api/v1/settings/client-certificates', { token, body: { pfxBase64, password: 'nope' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.errors[0].field, 'password');
    const added = await t.request('POST', '/api/v1/settings/client-certificates', { token, body: { pfxBase64, password: 'pfx-secret' } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.format, 'pfx');
    const fingerprint = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha1']).toString();
    assert.equal(added.body.thumbprint, fingerprint.split('=')[1].trim().replace(/:/g, ''));
    const listed = await t.request('GET', '/api/v1/settings/client-certificates', { token });
    assert.equal(listed.body.length, 2);
    assert.equal((await t.request('DELETE', `/api/v1/settings/client-certificates/${added.body.thumbprint}`, { token })).status, 204);
    assert.equal((await t.request('DELETE', `/api/v1/settings/client-certificates/${added.body.thumbprint}`, { token })).status, 404);
  });
});
