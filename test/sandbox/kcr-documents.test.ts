// Conformance of the KCR sandbox with the bytes public clients send (docs/kontur-api.md §6): scan pages
// whose format is read from their first bytes, and certification requests uploaded with the
// content types clients use, refused when they are not a PKCS#10 request; the released
// certificate then certifies the requested key. Requests are made by OpenSSL with Debian's GOST
// engine, independently of this project's code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { assertKonturError, ONE_PIXEL_PNG, startSandbox, type SandboxUnderTest } from './harness.ts';
import { gostOpenssl, opensslOrSkip } from '../crypto/openssl.ts';

/** The smallest files of each format a scan may be. */
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AN//Z', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('KCR sandbox: pages and certification requests as real clients send them', () => {
  let sandbox: SandboxUnderTest;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox?.close());

  it('reads a page’s format from its bytes: takes images and PDFs, refuses other bytes and other types', async () => {
    const issue = await sandbox.createIssue();
    const addPage = async (content: Buffer | string, contentType: string) => {
      await sandbox.actualized(issue.id);
      return sandbox.kcr('POST', `v1/issues/${issue.id}/documents/passport/pages`, { raw: content, headers: { 'content-type': contentType } });
    };
    for (const [content, contentType] of [
      [ONE_PIXEL_PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [GIF, 'image/gif'],
      [PDF, 'application/pdf'],
      // The public low-code module's placeholder: a PNG sent as "blank.jpg", image/jpeg.
      [ONE_PIXEL_PNG, 'image/jpeg'],
    ] as const) {
      const answer = await addPage(content, contentType);
      assert.equal(answer.status, 204, `${contentType}: ${JSON.stringify(answer.body)}`);
    }
    const { documents } = await sandbox.actualized(issue.id);
    const pages = documents.find((document: { type: string }) => document.type === 'passport').pages;
    assert.deepEqual(pages.map((page: { contentType: string }) => page.contentType), ['image/png', 'image/jpeg', 'image/gif', 'application/pdf', 'image/png']);
    const stored = await sandbox.kcr('GET', `v1/issues/${issue.id}/documents/passport/pages/${pages[4].id}`);
    assert.equal(stored.headers.get('content-type'), 'image/png');
    assert.deepEqual(stored.bytes, ONE_PIXEL_PNG);

    const text = assertKonturError(await addPage('this is not a picture', 'image/png'), 400, 'BadRequest');
    assert.deepEqual(text.details.map((detail) => [detail.code, detail.target]), [['InvalidPageContent', 'body']]);
    assertKonturError(await addPage(Buffer.from('PK\u0003\u0004 a zip'), 'application/pdf'), 400);
    assertKonturError(await addPage(ONE_PIXEL_PNG, 'image/bmp'), 415, 'UnsupportedContentType');
    assertKonturError(await addPage(Buffer.alloc(0), 'image/png'), 400);
    const after = await sandbox.actualized(issue.id);
    assert.equal(after.documents.find((document: { type: string }) => document.type === 'passport').pages.length, 5, 'refused pages are not stored');
  });

  it('takes a PKCS#10 request as application/pkcs10, application/x.req, application/octet-stream or PEM text, refuses other bytes, and certifies its key', async (t) => {
    const openssl = opensslOrSkip(t, gostOpenssl());
    if (!openssl) return;
    try {
      openssl.ok(['req', '-new', '-newkey', 'gost2012_256', '-pkeyopt', 'paramset:A', '-nodes', '-keyout', openssl.path('key.pem'), '-subj', '/CN=Петрова Анна/C=RU', '-outform', 'DER', '-out', openssl.path('request.der')]);
      openssl.ok(['req', '-in', openssl.path('request.der'), '-inform', 'DER', '-out', openssl.path('request.pem')]);
      openssl.ok(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', openssl.path('rsa-key.pem'), '-subj', '/CN=RSA', '-out', openssl.path('rsa.pem')]);
      const der = readFileSync(openssl.path('request.der'));
      const pem = readFileSync(openssl.path('request.pem'));
      const tampered = Buffer.from(der);
      tampered[tampered.length - 3] ^= 0x01;

      const released = await sandbox.releasedIssue({}, async (id) => {
        const upload = (body: Buffer, contentType: string, type = 'pkcs10') =>
          sandbox.kcr('POST', `v1/issues/${id}/upload-certificate-request?certificateRequestType=${type}`, { raw: body, headers: { 'content-type': contentType } });
        for (const [body, contentType] of [
          [der, 'application/pkcs10'],
          [der, 'application/x.req'],
          [der, 'application/octet-stream'],
          [pem, 'text/plain'],
        ] as const) {
          const answer = await upload(body, contentType);
          assert.equal(answer.status, 204, `${contentType}: ${JSON.stringify(answer.body)}`);
          await sandbox.actualized(id);
        }
        for (const body of [ONE_PIXEL_PNG, tampered, readFileSync(openssl.path('rsa.pem'))]) {
          const refused = assertKonturError(await upload(body, 'application/x.req'), 400, 'InvalidCertificateRequest');
          assert.equal(refused.details[0].target, 'body');
        }
        // A DSS request as JSON (one public client picks the content type by the file's extension): not taken.
        assertKonturError(await upload(Buffer.from(JSON.stringify({ request: der.toString('base64') })), 'application/json', 'dss'), 415, 'UnsupportedContentType');
        assertKonturError(await upload(der, 'application/pkcs10', 'pkcs7'), 400, 'BadRequest');
      });

      const certificate = await sandbox.kcr('POST', `v1/issues/${released.id}/download-certificate`, { headers: { 'content-type': 'application/json' } });
      assert.equal(certificate.status, 200);
      writeFileSync(openssl.path('certificate.cer'), certificate.bytes);
      const certifiedKey = openssl.ok(['x509', '-in', openssl.path('certificate.cer'), '-inform', 'DER', '-pubkey', '-noout']).toString();
      const requestedKey = openssl.ok(['req', '-in', openssl.path('request.der'), '-inform', 'DER', '-pubkey', '-noout']).toString();
      assert.equal(certifiedKey, requestedKey, 'the certificate certifies the key of the uploaded request');
    } finally {
      openssl.cleanup();
    }
  });
});
