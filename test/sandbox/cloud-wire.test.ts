// Conformance of the cloud-signature sandbox with what public clients of Kontur's Crypto API v3
// send (docs/kontur-api.md §6): Hello, the client identity (thumbprint in any spelling, a GUID),
// Sign bodies with null members, without a Content-Type or as text/plain, enum values as
// numbers, numeric strings or names, CreateFile sent with the file in its body and an upper-case
// MD5, chunks without a Content-Type or as application/pdf, Confirm answering JSON, a code sent
// as a number. Over HTTP, with no bridge code involved.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEFAULT_CLOUD_CLIENT_ID, DEFAULT_CLOUD_CLIENT_THUMBPRINT } from '../../src/sandbox/config.ts';
import { startSandbox, type SandboxUnderTest } from './harness.ts';
import { cloud, cloudSigner, completed, confirm, declineWaiting, getStatus, md5Hex, result, signHash, streebogHex, type CloudSigner } from './cloud-helpers.ts';

describe('the cloud sandbox takes what public clients send', () => {
  let sandbox: SandboxUnderTest;
  let signer: CloudSigner;
  before(async () => {
    sandbox = await startSandbox();
    signer = await cloudSigner(sandbox);
  });
  after(async () => {
    await sandbox?.close();
  });

  it('answers GET /v3/Hello (a connectivity check, also without an identity)', async () => {
    for (const certificate of [undefined, null]) {
      const hello = await cloud(sandbox, 'GET', 'Hello', { certificate });
      assert.equal(hello.status, 200);
      assert.equal(hello.bytes.toString('utf8'), 'Hello');
    }
  });

  it('identifies the client by the certificate parameter: a thumbprint in any spelling or its GUID; else 401/403 in Kontur\'s shape', async () => {
    const query = { md5: md5Hex(Buffer.from('x')), length: 1, fileName: 'x.txt' };
    const spellings = [
      DEFAULT_CLOUD_CLIENT_THUMBPRINT,
      DEFAULT_CLOUD_CLIENT_THUMBPRINT.toLowerCase().match(/../g)!.join(':'),
      DEFAULT_CLOUD_CLIENT_ID,
      `{${DEFAULT_CLOUD_CLIENT_ID.toUpperCase()}}`,
    ];
    const files = new Set<string>();
    for (const certificate of spellings) {
      const created = await cloud(sandbox, 'POST', 'CreateFile', { query, certificate });
      assert.equal(created.status, 200, `${certificate}: ${JSON.stringify(created.body)}`);
      files.add(created.body.FileId);
    }
    assert.equal(files.size, 1, 'every spelling is the same client (the same unfinished file is resumed)');
    const missing = await cloud(sandbox, 'POST', 'CreateFile', { query, certificate: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.Code, 'Unauthorized');
    const wrong = await cloud(sandbox, 'POST', 'CreateFile', { query, certificate: '11111111-2222-3333-4444-555555555555' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.Code, 'Forbidden');
  });

  it('reads Sign bodies with null members (Python client): Thumbprint or CertificateBase64 null, unused file lists null', async () => {
    const hash = streebogHex(Buffer.from('python client'));
    const byThumbprint = await cloud(sandbox, 'POST', 'Sign', {
      json: {
        Thumbprint: signer.thumbprint.toLowerCase(), CertificateBase64: null,
        FileIds: null, SerializedFiles: null, FileHashes: [{ FileName: 'contract', HashContent: hash }],
        ConfirmMessage: { Template: 0 }, DisableCertificateConfirm: false, DisableServerSign: true, SignType: 0,
      },
    });
    assert.equal(byThumbprint.status, 200, JSON.stringify(byThumbprint.body));
    await declineWaiting(sandbox);
    const byCertificate = await cloud(sandbox, 'POST', 'Sign', {
      json: { Thumbprint: null, CertificateBase64: signer.certificateDer.toString('base64'), FileIds: null, SerializedFiles: [{ Id: 'a1', FileName: 'a.txt', ContentBase64: Buffer.from('serialized').toString('base64') }], FileHashes: null, SignType: 0 },
    });
    assert.equal(byCertificate.status, 200, JSON.stringify(byCertificate.body));
    await declineWaiting(sandbox);
    const neither = await cloud(sandbox, 'POST', 'Sign', { json: { Thumbprint: null, CertificateBase64: null, FileHashes: [{ FileName: 'x', HashContent: hash }] } });
    assert.equal(neither.status, 400);
    assert.equal(neither.body.Code, 'SignerMissing');
    const twoLists = await cloud(sandbox, 'POST', 'Sign', { json: { Thumbprint: signer.thumbprint, FileIds: ['x'], FileHashes: [{ FileName: 'x', HashContent: hash }] } });
    assert.equal(twoLists.status, 400);
    assert.equal(twoLists.body.Code, 'InvalidFiles');
  });

  it('reads a Sign body that is JSON without a Content-Type (C# HttpWebRequest), as text/plain, and with a byte order mark', async () => {
    const body = JSON.stringify({ CertificateBase64: signer.certificateDer.toString('base64'), FileHashes: [{ FileName: 'c-sharp', HashContent: streebogHex(Buffer.from('c#')) }], SignType: 0, DisableServerSign: true });
    for (const [raw, headers] of [
      [Buffer.from(body), {}],
      [body, { 'content-type': 'text/plain; charset=utf-8' }],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), { 'content-type': 'application/json' }],
    ] as const) {
      const signed = await cloud(sandbox, 'POST', 'Sign', { raw, headers });
      assert.equal(signed.status, 200, `${JSON.stringify(headers)}: ${JSON.stringify(signed.body)}`);
      assert.equal(typeof signed.body.OperationId, 'string');
      await declineWaiting(sandbox);
    }
    const broken = await cloud(sandbox, 'POST', 'Sign', { raw: '{"Thumbprint": ', headers: { 'content-type': 'text/plain' } });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.Code, 'InvalidBody');
  });

  it('reads enum values as numbers, numeric strings or names; refuses values outside the enumeration, naming the field', async () => {
    for (const [signType, template, expected] of [[2, 1, 2], ['3', '2', 3], ['DetachedCAdEST', 3, 2], ['rawsign', '0', 1]] as const) {
      const signed = await signHash(sandbox, signer, randomBytes(16), { SignType: signType, ConfirmMessage: { Template: template } });
      const listed = await sandbox.console('GET', 'cloud/operations');
      assert.equal(listed.body.operations.find((o: { operationId: string }) => o.operationId === signed.OperationId).signType, expected, String(signType));
      await declineWaiting(sandbox);
    }
    for (const [field, value, target] of [['SignType', 4, 'SignType'], ['SignType', 'Attached', 'SignType'], ['ConfirmMessage', { Template: 9 }, 'ConfirmMessage.Template']] as const) {
      const refused = await cloud(sandbox, 'POST', 'Sign', { json: { Thumbprint: signer.thumbprint, FileHashes: [{ FileName: 'x', HashContent: '00'.repeat(32) }], [field]: value } });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.equal(refused.body.Code, 'InvalidEnumValue');
      assert.equal(refused.body.Target, target);
    }
  });

  it('takes CreateFile with the file in its body and an upper-case MD5, and chunks without a Content-Type or as application/pdf', async () => {
    const content = randomBytes(300_000);
    const md5 = md5Hex(content).toUpperCase();
    const created = await cloud(sandbox, 'POST', 'CreateFile', { query: { md5, length: content.length, fileName: 'secret_file' }, raw: content });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body, { FileId: created.body.FileId, Length: 0 }, 'the bytes in the CreateFile body are not taken as uploaded');
    const first = await cloud(sandbox, 'POST', 'UploadChunk', { query: { fileId: created.body.FileId, offset: 0 }, raw: content.subarray(0, 100_000) });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.Length, 100_000);
    const rest = await cloud(sandbox, 'POST', 'UploadChunk', { query: { fileId: created.body.FileId, offset: 100_000 }, raw: content.subarray(100_000), headers: { 'content-type': 'application/pdf' } });
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.equal(rest.body.Length, content.length);
    const signed = await cloud(sandbox, 'POST', 'Sign', { json: { CertificateBase64: signer.certificateDer.toString('base64'), FileIds: [created.body.FileId], SignType: 0 } });
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    const confirmed = await confirm(sandbox, signer, signed.body.OperationId);
    assert.equal(confirmed.status, 200);
    const status = await completed(sandbox, signed.body.OperationId);
    assert.equal(status.FileStatuses[0].FileId, created.body.FileId);
    assert.equal(status.FileStatuses[0].Hash, streebogHex(content).toUpperCase());
  });

  it('answers Confirm with JSON, takes a code sent as a number (leading zeros lost), and pages GetResult by offset and size', async () => {
    // A code with a leading zero, sent as a number, must still confirm: try until one comes up.
    let operationId = '';
    let code = '';
    for (let attempt = 0; attempt < 100 && !code.startsWith('0'); attempt++) {
      await declineWaiting(sandbox);
      operationId = (await signHash(sandbox, signer, Buffer.from('code as a number'))).OperationId;
      code = await sandbox.smsCode(signer.phone);
    }
    assert.ok(code.startsWith('0'), 'a code with a leading zero came up');
    const confirmed = await confirm(sandbox, signer, operationId, String(Number(code)));
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.match(confirmed.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(confirmed.body.OperationId, operationId);
    assert.equal(confirmed.body.OperationStatus, 0, 'Enqueued');
    const status = await completed(sandbox, operationId);
    const whole = await result(sandbox, status.FileStatuses[0].ResultId!);
    const pages: Buffer[] = [];
    for (let offset = 0; offset < whole.length; offset += 500) {
      const page = await cloud(sandbox, 'GET', 'GetResult', { query: { resultId: status.FileStatuses[0].ResultId!, offset, size: 500 } });
      assert.equal(page.status, 200);
      pages.push(page.bytes);
    }
    assert.deepEqual(Buffer.concat(pages), whole);
    assert.equal((await getStatus(sandbox, operationId)).FileStatuses[0].ResultSize, whole.length);
  });
});
