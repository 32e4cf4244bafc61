// Several documents, one SMS: three documents signed in one cloud operation against the sandbox
// (one SMS code, three signatures, each verifying over its own document, by the bridge and by
// OpenSSL), a file the cloud fails alone reported on that document while the others are signed,
// the request's validation, and the stamped copy of a signed PDF (its text read back with
// poppler's pdftotext; the stored PDF unchanged and its signature still verifying over it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { gostOpenssl, opensslOrSkip, type GostOpenssl } from '../crypto/openssl.ts';
import { download, opensslVerifies, signerWithCloudCertificate, smallPdf, smsCode, uploadDocument, waitForFinalStatus, type Signer } from './helpers.ts';

const UPLOAD_LIMIT = 64 * 1024;

interface FileStatus {
  documentId: string;
  fileName: string;
  state: string;
  signatureId: string | null;
  error: string | null;
}

/** A PDF of its own: the same page with a different line, so each document has its own digest. */
function pdfSaying(text: string): Buffer {
  return Buffer.from(smallPdf().toString('latin1').replace('Contract 42: signed in the Kontur cloud', text.padEnd(39, '.').slice(0, 39)), 'latin1');
}

describe('several documents signed with one SMS code', () => {
  let t: TestServer;
  let admin: string;
  let signer: Signer;
  let openssl: GostOpenssl | { unavailable: string };
  let work: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100', SIGN_UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT) });
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);
    openssl = gostOpenssl();
    work = mkdtempSync(join(tmpdir(), 'kca-several-'));
  });
  after(async () => {
    if (!('unavailable' in openssl)) openssl.cleanup();
    rmSync(work, { recursive: true, force: true });
    await t.close();
  });

  const smsCount = async () => (await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(signer.phone)}`, { token: admin })).body.messages.length as number;
  const start = (documentIds: string[]) => expectStatus(t, 201, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentIds, certificateThumbprint: signer.thumbprint } });

  it('signs three documents in one operation with one code: a signature per document, each verifying over its own document', async (ctx) => {
    const contents = [pdfSaying('Contract 1'), pdfSaying('Contract 2'), pdfSaying('Contract 3')];
    const uploaded = [];
    for (const [index, content] of contents.entries()) uploaded.push(await uploadDocument(t, signer.token, `Договор ${index + 1}.pdf`, content, 'application/pdf'));
    const smsBefore = await smsCount();

    const started = await start(uploaded.map((document) => document.id));
    assert.equal(started.body.data.method, 'upload');
    assert.deepEqual(started.body.data.documentIds, uploaded.map((document) => document.id));
    assert.equal(started.body.data.documentId, uploaded[0].id);
    assert.match(started.body.message, /документов \(3\)/);
    assert.equal(await smsCount(), smsBefore + 1, 'one SMS for the three documents');
    const operations = await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: admin });
    const atKontur = operations.body.operations.find((operation: { files: unknown[]; signerThumbprint: string }) => operation.signerThumbprint === signer.thumbprint && operation.files.length === 3);
    assert.ok(atKontur, 'one cloud operation with the three files');

    const waiting = await expectStatus(t, 200, 'GET', `/api/v1/sign-operations/${started.body.data.operationId}`, { token: signer.token });
    assert.deepEqual(waiting.body.data.fileStatuses.map((file: FileStatus) => file.state), ['pending', 'pending', 'pending']);

    const code = await smsCode(t, admin, signer.phone);
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.body.data.operationId}/confirmation`, { token: signer.token, body: { code } });
    const final = await waitForFinalStatus(t, signer.token, started.body.data.operationId);
    assert.equal(final.state, 'complete', final.message);
    assert.equal(final.signedCount, 3);
    assert.match(final.message, /всем документам \(3\)/);
    const files: FileStatus[] = final.fileStatuses;
    assert.deepEqual(files.map((file) => [file.documentId, file.fileName, file.state, file.error]), uploaded.map((document, index) => [document.id, `Договор ${index + 1}.pdf`, 'signed', null]));
    assert.equal(new Set(files.map((file) => file.signatureId)).size, 3, 'three different signatures');
    assert.equal(final.signatureId, files[0].signatureId);

    const runner = opensslOrSkip(ctx, openssl);
    for (const [index, document] of uploaded.entries()) {
      const listed = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
      assert.equal(listed.body.signatures.length, 1);
      assert.equal(listed.body.signatures[0].id, files[index].signatureId);
      assert.equal(listed.body.signatures[0].operationId, started.body.data.operationId);
      const verified = await expectStatus(t, 200, 'POST', `/api/v1/documents/${document.id}/signatures/${files[index].signatureId}/verification`, { token: signer.token });
      assert.equal(verified.body.valid, true, verified.body.message);
      if (runner) {
        const signature = await download(t, signer.token, `/api/v1/documents/${document.id}/signatures/${files[index].signatureId}/content`);
        writeFileSync(runner.path(`contract-${index}.pdf`), contents[index]);
        await opensslVerifies(t, runner, signature, runner.path(`contract-${index}.pdf`));
      }
    }
    // A signature belongs to its own document: over another document it does not verify.
    if (runner) {
      const signature = await download(t, signer.token, `/api/v1/documents/${uploaded[0].id}/signatures/${files[0].signatureId}/content`);
      writeFileSync(runner.path('signature-of-first.sig'), signature);
      const crossed = runner.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'signature-of-first.sig', '-content', runner.path('contract-1.pdf'), '-noverify', '-out', '/dev/null']);
      assert.notEqual(crossed.status, 0, 'the first signature does not verify over the second document');
    }
  });

  it('reports a file the cloud failed on its document, signs the others (by hash when one is too big to upload)', async () => {
    const big = Buffer.concat([pdfSaying('Big contract'), randomBytes(UPLOAD_LIMIT)]);
    const documents = [
      await uploadDocument(t, signer.token, 'Приказ.pdf', pdfSaying('Order 7'), 'application/pdf'),
      await uploadDocument(t, signer.token, 'broken-Акт.pdf', pdfSaying('Act 9'), 'application/pdf'),
      await uploadDocument(t, signer.token, 'Большой договор.pdf', big, 'application/pdf'),
    ];
    await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: { failingFileName: 'broken-' } });
    try {
      const started = await start(documents.map((document) => document.id));
      assert.equal(started.body.data.method, 'hash', 'one document above the upload limit: all go by hash');
      const code = await smsCode(t, admin, signer.phone);
      await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.body.data.operationId}/confirmation`, { token: signer.token, body: { code } });
      const final = await waitForFinalStatus(t, signer.token, started.body.data.operationId);
      assert.equal(final.state, 'complete', final.message);
      assert.equal(final.signedCount, 2);
      assert.match(final.message, /Подписано документов: 2 из 3/);
      const files: FileStatus[] = final.fileStatuses;
      assert.deepEqual(files.map((file) => file.state), ['signed', 'error', 'signed']);
      assert.equal(files[1].signatureId, null);
      assert.match(files[1].error ?? '', /УЦ Контур/);
      const counts = [];
      for (const document of documents) counts.push((await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token })).body.signatures.length);
      assert.deepEqual(counts, [1, 0, 1]);
      const verified = await expectStatus(t, 200, 'POST', `/api/v1/documents/${documents[2].id}/signatures/${files[2].signatureId}/verification`, { token: signer.token });
      assert.equal(verified.body.valid, true, verified.body.message);
    } finally {
      await expectStatus(t, 200, 'PUT', '/sandbox/console/cloud/faults', { token: admin, body: {} });
    }
  });

  it('names the field of a bad request: both shapes, a repeated document, one not found', async () => {
    const document = await uploadDocument(t, signer.token, 'Один.pdf', pdfSaying('One'), 'application/pdf');
    const both = await expectStatus(t, 400, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, documentIds: [document.id], certificateThumbprint: signer.thumbprint } });
    assert.equal(both.body.errors[0].field, 'documentIds');
    const neither = await expectStatus(t, 400, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { certificateThumbprint: signer.thumbprint } });
    assert.equal(neither.body.errors[0].field, 'documentIds');
    const twice = await expectStatus(t, 400, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentIds: [document.id, document.id], certificateThumbprint: signer.thumbprint } });
    assert.equal(twice.body.errors[0].field, 'documentIds[1]');
    const missing = await expectStatus(t, 400, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentIds: [document.id, '00000000-0000-4000-8000-000000000000'], certificateThumbprint: signer.thumbprint } });
    assert.equal(missing.body.errors[0].field, 'documentIds[1]');
    const tooMany = await expectStatus(t, 400, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentIds: Array.from({ length: 21 }, () => document.id), certificateThumbprint: signer.thumbprint } });
    assert.match(JSON.stringify(tooMany.body), /documentIds/);
  });

  it('gives a stamped copy of a signed PDF: the stamp is text on the last page, the stored PDF and its signature untouched', async (ctx) => {
    const original = pdfSaying('Stamp me');
    const document = await uploadDocument(t, signer.token, 'Договор со штампом.pdf', original, 'application/pdf');
    const started = await expectStatus(t, 201, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: document.id, certificateThumbprint: signer.thumbprint } });
    assert.deepEqual(started.body.data.documentIds, [document.id], 'the single-document request still works and answers the new list');
    const code = await smsCode(t, admin, signer.phone);
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${started.body.data.operationId}/confirmation`, { token: signer.token, body: { code } });
    const final = await waitForFinalStatus(t, signer.token, started.body.data.operationId);
    assert.equal(final.state, 'complete', final.message);
    const signatureId = final.signatureId as string;
    const listed = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
    const signature = listed.body.signatures[0];

    const response = await fetch(`${t.url}/api/v1/documents/${document.id}/signatures/${signatureId}/stamped`, { headers: { authorization: `Bearer ${signer.token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/pdf/);
    assert.match(decodeURIComponent(response.headers.get('content-disposition') ?? ''), /Договор со штампом \(с отметкой о подписи\)\.pdf/);
    const stamped = Buffer.from(await response.arrayBuffer());
    assert.notDeepEqual(stamped, original);
    writeFileSync(join(work, 'stamped.pdf'), stamped);
    const text = execFileSync('pdftotext', ['-layout', join(work, 'stamped.pdf'), '-'], { encoding: 'utf8' });
    assert.match(text, /Stamp me/, 'the page itself is kept');
    assert.match(text, /Документ подписан электронной подписью/);
    assert.match(text, new RegExp(`Сертификат: ${signature.certificateSerialNumber}`));
    assert.match(text, /Владелец: \S+/);
    assert.match(text, /Действителен: с \d\d\.\d\d\.\d{4} по \d\d\.\d\d\.\d{4}/);
    assert.match(text, /Подписан: \d\d\.\d\d\.\d{4} \d\d:\d\d \(МСК\)/);

    const stored = await download(t, signer.token, `/api/v1/documents/${document.id}/content`);
    assert.deepEqual(stored, original, 'the stored document is byte for byte the original');
    const verified = await expectStatus(t, 200, 'POST', `/api/v1/documents/${document.id}/signatures/${signatureId}/verification`, { token: signer.token });
    assert.equal(verified.body.valid, true, verified.body.message);
    const runner = opensslOrSkip(ctx, openssl);
    if (runner) {
      const cms = await download(t, signer.token, `/api/v1/documents/${document.id}/signatures/${signatureId}/content`);
      writeFileSync(runner.path('stamp-original.pdf'), original);
      await opensslVerifies(t, runner, cms, runner.path('stamp-original.pdf'));
    }

    // Only PDFs get a stamped copy.
    const text2 = await uploadDocument(t, signer.token, 'Записка.txt', Buffer.from('Служебная записка'), 'text/plain');
    const textOperation = await expectStatus(t, 201, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId: text2.id, certificateThumbprint: signer.thumbprint } });
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${textOperation.body.data.operationId}/confirmation`, { token: signer.token, body: { code: await smsCode(t, admin, signer.phone) } });
    const textFinal = await waitForFinalStatus(t, signer.token, textOperation.body.data.operationId);
    assert.equal(textFinal.state, 'complete', textFinal.message);
    const refused = await expectStatus(t, 415, 'GET', `/api/v1/documents/${text2.id}/signatures/${textFinal.signatureId}/stamped`, { token: signer.token });
    assert.match(refused.body.detail, /только для документов PDF/);
  });
});
