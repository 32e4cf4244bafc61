// The module on `gost-tunnel` against the sandbox served over GOST TLS (SANDBOX_CLOUD_GOST_TLS_PORT),
// with real GOST handshakes through Debian's stunnel4 and the OpenSSL GOST engine:
// - the whole signing flow, the handshake on a GOST cipher suite, the client identified by its
//   certificate alone;
// - a wrong client certificate, an untrusted server certificate and a dead tunnel each give a 502
//   naming the cause, the connection check reports each step, and the operation is not lost: it
//   finishes once the tunnel works again;
// - nothing secret in the logs, the client key never left on disk, nothing left after the stop.
// The sandbox's client certificate goes in as a PFX with a GOST key, the stranger's as a PEM pair.
// Skipped with the reason when stunnel or the engine is missing (failed under CI).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus, waitFor } from '../issuance/helpers.ts';
import { signerWithCloudCertificate, smallPdf, smsCode, startSigning, uploadDocument, waitForFinalStatus, type Signer } from './helpers.ts';
import { findGostTlsTools, GostTlsUnavailableError } from '../../src/crypto/gost-openssl.ts';
import { gostOpenssl } from '../crypto/openssl.ts';
import { generateKeyPair } from '../../src/crypto/gost3410.ts';
import { exportPrivateKeyPem } from '../../src/crypto/keys.ts';
import { OID } from '../../src/crypto/oids.ts';
import { certificateThumbprint, certificateToPem, createSelfSignedRoot, issueEndEntityCertificate } from '../../src/crypto/x509.ts';

function toolsMissing(): string | undefined {
  try {
    findGostTlsTools();
    return undefined;
  } catch (error) {
    if (error instanceof GostTlsUnavailableError) return error.message;
    throw error;
  }
}

/** A CA of the test's own, and a GOST client certificate it issued: nothing the sandbox knows. */
function strangers() {
  const rootPair = generateKeyPair('cryptopro-A');
  const root = createSelfSignedRoot({ subject: { CN: 'Посторонний УЦ', C: 'RU' }, privateKey: rootPair.privateKey, publicKey: rootPair.publicKey });
  const pair = generateKeyPair('cryptopro-A');
  const client = issueEndEntityCertificate({
    subject: { CN: 'Посторонний клиент', C: 'RU' },
    publicKey: pair.publicKey,
    issuerCertificate: root,
    issuerPrivateKey: rootPair.privateKey,
    keyUsage: ['digitalSignature', 'keyEncipherment', 'keyAgreement'],
    extendedKeyUsage: [OID.ekuClientAuth],
  });
  return {
    rootPem: certificateToPem(root),
    client: { certificatePem: certificateToPem(client), privateKeyPem: exportPrivateKeyPem(pair.privateKey), thumbprint: certificateThumbprint(client) },
  };
}

const missing = toolsMissing();

describe('cloud signing over GOST TLS through the managed stunnel', { skip: missing && !process.env.CI ? `GOST TLS needs stunnel and the GOST engine: ${missing}` : false }, () => {
  let t: TestServer;
  let admin: string;
  let signer: Signer;
  let sandboxTls: { address: string; clientCertificate: { thumbprint: string; certificatePem: string; privateKeyPem: string } };
  let sandboxRootThumbprint: string;
  const logLines: string[] = [];
  const other = strangers();

  const tunnel = () => t.server.services.cloudConnections.tunnel;
  const check = async () => (await expectStatus(t, 200, 'POST', '/api/v1/settings/check', { token: admin })).body;
  const cloudSteps = async () => {
    const report = await check();
    const cloud = report.apis.find((api: { api: string }) => api.api === 'cloud');
    return Object.fromEntries(cloud.steps.map((step: { step: string }) => [step.step, step])) as Record<string, { status: string; message: string; title: string }>;
  };
  const useClientCertificate = (thumbprint: string) => expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token: admin, body: { CryptoAuthenticationCertificateThumbprint: thumbprint } });
  const confirm = (operationId: string, code: string) => t.request('POST', `/api/v1/sign-operations/${operationId}/confirmation`, { token: signer.token, body: { code } });
  const operationState = async (operationId: string) => (await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${operationId}`, { token: signer.token })).body.data.state;

  before(async () => {
    if (missing) assert.fail(`GOST TLS tests are required in CI: ${missing}`);
    t = await startTestServer(
      { SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100', SANDBOX_CLOUD_GOST_TLS_PORT: '0', LOG_LEVEL: 'debug' },
      { logDestination: { write: (line: string) => { logLines.push(line); if (process.env.DEBUG_GOST && /gost|tunnel|stunnel|cloud/i.test(line)) process.stderr.write(line); } } },
    );
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);

    // What an administrator does for production, with the sandbox's values: the CA's root, the client certificate Kontur issued, the settings.
    sandboxTls = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/gost-tls', { token: admin })).body;
    assert.match(sandboxTls.address, /^https:\/\/127\.0\.0\.1:\d+\/v3\/$/);
    const root = Buffer.from(await (await fetch(`${t.url}/sandbox/ca/root.cer`)).arrayBuffer());
    sandboxRootThumbprint = (await expectStatus(t, 201, 'POST', '/api/v1/settings/trusted-roots', { token: admin, body: { certificate: root.toString('base64') } })).body.thumbprint;
    // As Kontur hands it out: a PFX with a GOST key (Node's OpenSSL cannot read it; the system's OpenSSL with the GOST engine does).
    const openssl = gostOpenssl();
    if ('unavailable' in openssl) assert.fail(openssl.unavailable);
    try {
      writeFileSync(openssl.path('client.pem'), sandboxTls.clientCertificate.certificatePem);
      writeFileSync(openssl.path('client.key'), sandboxTls.clientCertificate.privateKeyPem);
      openssl.ok(['pkcs12', '-export', '-in', 'client.pem', '-inkey', 'client.key', '-passout', 'pass:pfx-password-1', '-out', 'client.pfx']);
      const pfxBase64 = readFileSync(openssl.path('client.pfx')).toString('base64');
      const wrong = await t.request('POST', '/api/v1/settings/client-certificates', { token: admin, body: { pfxBase64, password: 'wrong-password' } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.errors[0].field, 'password');
      const stored = await expectStatus(t, 201, 'POST', '/api/v1/settings/client-certificates', { token: admin, body: { pfxBase64, password: 'pfx-password-1' } });
      assert.equal(stored.body.thumbprint, sandboxTls.clientCertificate.thumbprint);
      assert.equal(stored.body.format, 'pfx');
    } finally {
      openssl.cleanup();
    }
    await expectStatus(t, 201, 'POST', '/api/v1/settings/client-certificates', { token: admin, body: { certificatePem: other.client.certificatePem, privateKeyPem: other.client.privateKeyPem } });
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', {
      token: admin,
      body: { CryptoApiTransport: 'gost-tunnel', CryptoApiConnectionAddress: sandboxTls.address, CryptoAuthenticationCertificateThumbprint: sandboxTls.clientCertificate.thumbprint },
    });
  });
  after(async () => {
    await t?.close();
  });

  it('refuses gost-tunnel with an http address', async () => {
    const response = await t.request('PATCH', '/api/v1/settings', { token: admin, body: { CryptoApiConnectionAddress: 'http://127.0.0.1:1/v3/' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].field, 'CryptoApiConnectionAddress');
    assert.match(response.body.errors[0].message, /https/);
  });

  it('signs a document through the tunnel: a GOST cipher suite, the client known by its certificate alone', async () => {
    const document = await uploadDocument(t, signer.token, 'Договор ГОСТ TLS.pdf', smallPdf(), 'application/pdf');
    const started = await startSigning(t, signer, document.id);
    assert.equal(started.signStatusName, 'WaitingUser');
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(t, admin, signer.phone) } });
    const final = await waitForFinalStatus(t, signer.token, started.operationId);
    assert.equal(final.state, 'complete', JSON.stringify(final));

    // The handshake, as the tunnel's log tells it (the connection check reads it).
    const steps = await cloudSteps();
    assert.equal(steps.tls.status, 'ok', steps.tls.message);
    assert.match(steps.tls.message, /TLSv1\.2, GOST2012-(KUZNYECHIK-KUZNYECHIKOMAC|MAGMA-MAGMAOMAC); сертификат сервера: .*CN=127\.0\.0\.1/);
    assert.equal(steps['client-certificate'].status, 'ok');
    assert.match(steps['client-certificate'].message, /по сертификату TLS/);
    assert.equal(steps.answer.status, 'ok');

    // The sandbox knows the client by the certificate alone: a call through the tunnel with no certificate parameter at all.
    const { port } = tunnel().status();
    assert.ok(port);
    const konturOperations = (await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: admin })).body.operations;
    const response = await fetch(`http://127.0.0.1:${port}/v3/GetStatus?operationId=${konturOperations[0].operationId}`);
    assert.equal(response.status, 200);
    // Over plain http the same call without the parameter is refused.
    assert.equal((await fetch(`${t.url}/sandbox/cloud/v3/GetStatus?operationId=${konturOperations[0].operationId}`)).status, 401);
  });

  it('a client certificate the server refuses: 502 naming it, the operation waits, and finishes with the right certificate', async () => {
    const document = await uploadDocument(t, signer.token, 'Акт.pdf', smallPdf(), 'application/pdf');
    const started = await startSigning(t, signer, document.id);
    const code = await smsCode(t, admin, signer.phone);

    await useClientCertificate(other.client.thumbprint);
    const refused = await confirm(started.operationId, code);
    assert.equal(refused.status, 502, JSON.stringify(refused.body));
    assert.equal(refused.body.type, 'urn:kca:problem:gost-tunnel-client-certificate-rejected');
    assert.match(refused.body.detail, new RegExp(`отклонил клиентский сертификат ${other.client.thumbprint}.*alert`));
    assert.equal(await operationState(started.operationId), 'waitingUser');

    const steps = await cloudSteps();
    assert.equal(steps.dns.status, 'ok');
    assert.equal(steps.tcp.status, 'ok');
    assert.equal(steps.tls.status, 'ok');
    assert.equal(steps['client-certificate'].status, 'failed');
    assert.match(steps['client-certificate'].message, /отклонил клиентский сертификат/);
    assert.equal(steps.answer.status, 'skipped');

    await useClientCertificate(sandboxTls.clientCertificate.thumbprint);
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } });
    assert.equal((await waitForFinalStatus(t, signer.token, started.operationId)).state, 'complete');
  });

  it('a server certificate that no trusted root vouches for: 502 naming it, and the check says why', async () => {
    const document = await uploadDocument(t, signer.token, 'Счёт.pdf', smallPdf(), 'application/pdf');
    const started = await startSigning(t, signer, document.id);
    const code = await smsCode(t, admin, signer.phone);

    const stranger = (await expectStatus(t, 201, 'POST', '/api/v1/settings/trusted-roots', { token: admin, body: { certificate: other.rootPem } })).body.thumbprint;
    await expectStatus(t, 204, 'DELETE', `/api/v1/settings/trusted-roots/${sandboxRootThumbprint}`, { token: admin });
    const refused = await confirm(started.operationId, code);
    assert.equal(refused.status, 502, JSON.stringify(refused.body));
    assert.equal(refused.body.type, 'urn:kca:problem:gost-tunnel-server-certificate-untrusted');
    // The sandbox sends its chain, so OpenSSL stops at the root it does not trust.
    assert.match(refused.body.detail, /Сертификат сервера облачной подписи 127\.0\.0\.1:\d+ не прошёл проверку: самоподписанный сертификат не входит в доверенные \(self-signed certificate in certificate chain\); отвергнут: .*CN=Тестовый УЦ Контур/);
    assert.equal(await operationState(started.operationId), 'waitingUser');

    const steps = await cloudSteps();
    assert.equal(steps.tcp.status, 'ok');
    assert.equal(steps.tls.status, 'failed');
    assert.match(steps.tls.message, /не прошёл проверку/);
    assert.equal(steps['client-certificate'].status, 'skipped');

    // (The console is admin-only now that the settings point away from the built-in sandbox.)
    const root = Buffer.from(await (await fetch(`${t.url}/sandbox/ca/root.cer`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer());
    sandboxRootThumbprint = (await expectStatus(t, 201, 'POST', '/api/v1/settings/trusted-roots', { token: admin, body: { certificate: root.toString('base64') } })).body.thumbprint;
    await expectStatus(t, 204, 'DELETE', `/api/v1/settings/trusted-roots/${stranger}`, { token: admin });
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } });
    assert.equal((await waitForFinalStatus(t, signer.token, started.operationId)).state, 'complete');
  });

  it('a dead tunnel is restarted (a bounded number of times); then a 502 naming it, and the operation finishes once it is back', async () => {
    const document = await uploadDocument(t, signer.token, 'Приказ.pdf', smallPdf(), 'application/pdf');
    const started = await startSigning(t, signer, document.id);
    const code = await smsCode(t, admin, signer.phone);

    // Killed: restarted by itself. Killed again and again: after three restarts within a minute it stays down.
    for (let kill = 1; kill <= 4; kill++) {
      const { pid, state } = await waitFor(`the tunnel running before kill ${kill}`, async () => (tunnel().status().state === 'running' ? tunnel().status() : false));
      assert.equal(state, 'running');
      process.kill(pid!, 'SIGKILL');
      await waitFor(`the tunnel to notice kill ${kill}`, async () => tunnel().status().pid !== pid || tunnel().status().state !== 'running');
    }
    await waitFor('the tunnel to stay down', async () => tunnel().status().state === 'failed');
    assert.ok(logLines.some((line) => line.includes('stunnel restarted')), 'restarts are logged');
    assert.ok(logLines.some((line) => line.includes('stunnel keeps exiting')), 'giving up is logged');

    const refused = await confirm(started.operationId, code);
    assert.equal(refused.status, 502, JSON.stringify(refused.body));
    assert.equal(refused.body.type, 'urn:kca:problem:gost-tunnel-not-running');
    assert.match(refused.body.detail, /ГОСТ-туннель к облачной подписи не работает: процесс stunnel получил сигнал SIGKILL; перезапуски исчерпаны/);
    assert.equal(await operationState(started.operationId), 'waitingUser');
    const steps = await cloudSteps();
    assert.equal(steps.tcp.status, 'ok');
    assert.equal(steps.tls.status, 'failed');
    assert.match(steps.tls.message, /не работает/);

    // A change of the trusted roots re-creates the tunnel; the waiting operation goes on.
    const extra = (await expectStatus(t, 201, 'POST', '/api/v1/settings/trusted-roots', { token: admin, body: { certificate: other.rootPem } })).body.thumbprint;
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.operationId}/confirmation`, { token: signer.token, body: { code } });
    assert.equal((await waitForFinalStatus(t, signer.token, started.operationId)).state, 'complete');
    await expectStatus(t, 204, 'DELETE', `/api/v1/settings/trusted-roots/${extra}`, { token: admin });
  });

  it('keeps the client key off the disk and out of the logs, and leaves nothing behind when stopped', async () => {
    const { state, pid } = await waitFor('a running tunnel', async () => {
      await check();
      return tunnel().status().state === 'running' ? tunnel().status() : false;
    });
    assert.equal(state, 'running');
    const runDir = join(t.dataDir, 'run');
    const tunnelDir = join(runDir, `gost-tunnel-${process.pid}`);
    assert.equal(statSync(tunnelDir).mode & 0o777, 0o700);
    for (const name of readdirSync(tunnelDir)) assert.equal(statSync(join(tunnelDir, name)).mode & 0o077, 0, `${name} is private`);
    assert.ok(!existsSync(join(tunnelDir, 'client.key')), 'the key file is gone once stunnel has read it');

    const keyBody = (pem: string) => pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
    const log = logLines.join('');
    for (const secret of [keyBody(sandboxTls.clientCertificate.privateKeyPem), keyBody(other.client.privateKeyPem)]) {
      assert.ok(!log.includes(secret.slice(0, 40)), 'no private key in the logs');
    }
    assert.ok(!/PRIVATE KEY/.test(log), 'no PEM key in the logs');

    await t.stop();
    assert.ok(!existsSync(tunnelDir), 'the tunnel directory is removed');
    assert.deepEqual(readdirSync(runDir).filter((name) => /gost/.test(name)), [], 'nothing of either tunnel is left');
    assert.throws(() => process.kill(pid!, 0), /ESRCH/, 'stunnel has exited');
  });
});
