// Shared steps of the signing tests: an employee with a released cloud certificate (through
// the REST API and the simplified ESIA flow of issue 4), documents, SMS codes, and OpenSSL's
// independent check of a produced signature.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, latestSmsCode, ONE_PIXEL_PNG, waitFor } from '../issuance/helpers.ts';
import type { GostOpenssl } from '../crypto/openssl.ts';

/** Only `request` and `url` of the harness: enough for a server running in a child process too. */
export type Http = Pick<TestServer, 'request' | 'url'>;

export function httpClient(url: string): Http {
  return {
    url,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: RequestInit['body'] = options.raw;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(url + path, { method, headers, body });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return { status: response.status, body: type.includes('json') && text ? JSON.parse(text) : text, headers: response.headers };
    },
  };
}

export async function adminToken(http: Http, password: string): Promise<string> {
  const response = await expectStatus(http as TestServer, 200, 'POST', '/api/v1/auth/token', { body: { username: 'admin', password } });
  return response.body.token;
}

export interface Signer {
  employeeId: string;
  phone: string;
  token: string;
  thumbprint: string;
  /** The signer's sign-in (the browser tests sign in with it). */
  username: string;
  password: string;
}

/** An employee card with a released cloud (dss) certificate and an `employee` user for it. */
export async function signerWithCloudCertificate(http: Http, admin: string): Promise<Signer> {
  const t = http as TestServer;
  const employee = await createEmployee(t, admin);
  const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: employee.id, cspType: 'dss' } });
  const id = created.body.data.id;
  await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token: admin, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002' } });
  await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
  await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token: admin, body: { employeeId: employee.id } });
  await consoleAction(t, admin, `/issues/${id}/esia`, { result: 'confirmed' });
  await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token: admin, body: {} });
  await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: admin });
  await consoleAction(t, admin, `/issues/${id}/approve`);
  const certificates = await waitFor(
    'the cloud certificate in the card',
    async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employee.id}/certificates`, { token: admin });
      return response.body.length ? response.body : false;
    },
    30_000,
  );
  assert.equal(certificates[0].cspType, 'dss');
  const username = `signer-${randomBytes(4).toString('hex')}`;
  await expectStatus(t, 201, 'POST', '/api/v1/users', { token: admin, body: { username, role: 'employee', password: 'signer-password-1', employeeId: employee.id } });
  const login = await expectStatus(t, 200, 'POST', '/api/v1/auth/token', { body: { username, password: 'signer-password-1' } });
  return { employeeId: employee.id, phone: employee.phone, token: login.body.token, thumbprint: certificates[0].thumbprint, username, password: 'signer-password-1' };
}

export async function uploadDocument(http: Http, token: string, fileName: string, content: RequestInit['body'], contentType = 'application/octet-stream', extra = '') {
  const response = await http.request('POST', `/api/v1/documents?fileName=${encodeURIComponent(fileName)}${extra}`, { token, raw: content, headers: { 'content-type': contentType } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string; size: number; streebog256: string; signatures: unknown[] };
}

export async function startSigning(http: Http, signer: Signer, documentId: string) {
  const response = await expectStatus(http as TestServer, 201, 'POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId, certificateThumbprint: signer.thumbprint } });
  return response.body.data as { operationId: string; method: string; phoneLastNumbers: string; signStatusName: string };
}

export async function smsCode(http: Http, admin: string, phone: string): Promise<string> {
  return latestSmsCode(http as TestServer, admin, phone);
}

/** A six-digit code that is not the right one. */
export function wrongCode(right: string): string {
  return String((Number(right) + 1) % 1_000_000).padStart(6, '0');
}

export async function waitForFinalStatus(http: Http, token: string, operationId: string, timeoutMs = 60_000) {
  return waitFor(
    'the signing operation to finish',
    async () => {
      const response = await expectStatus(http as TestServer, 200, 'GET', `/api/v1/sign-operations/${operationId}?waitSeconds=5`, { token });
      const data = response.body.data;
      return data.state === 'complete' || data.state === 'error' ? data : false;
    },
    timeoutMs,
  );
}

export async function download(http: Http, token: string, path: string): Promise<Buffer> {
  const response = await fetch(http.url + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, path);
  return Buffer.from(await response.arrayBuffer());
}

/** `openssl cms -verify` of a detached signature against the content file and the sandbox root. */
export async function opensslVerifies(http: Http, openssl: GostOpenssl, signature: Buffer, contentPath: string): Promise<void> {
  const root = await fetch(`${http.url}/sandbox/ca/root.cer`);
  assert.equal(root.status, 200);
  writeFileSync(openssl.path('root.cer'), Buffer.from(await root.arrayBuffer()));
  openssl.ok(['x509', '-inform', 'DER', '-in', 'root.cer', '-out', 'root.pem']);
  const name = `signature-${randomBytes(4).toString('hex')}.sig`;
  writeFileSync(openssl.path(name), signature);
  const result = openssl.run(['cms', '-verify', '-binary', '-inform', 'DER', '-in', name, '-content', contentPath, '-CAfile', 'root.pem', '-out', '/dev/null']);
  assert.equal(result.status, 0, `openssl cms -verify failed: ${result.stderr}`);
}

/** A small but real PDF (one page with a line of text). */
export function smallPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 18 Tf 72 760 Td (Contract 42: signed in the Kontur cloud) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
