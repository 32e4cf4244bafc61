// Conformance tests of the cloud-signature sandbox: raw calls of /sandbox/cloud/v3 as public
// clients make them (no bridge code involved), and a signer with a released cloud certificate.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DEFAULT_CLOUD_CLIENT_THUMBPRINT } from '../../src/sandbox/config.ts';
import { Streebog, toHex } from '../../src/crypto/streebog.ts';
import { waitFor, type Answer, type SandboxUnderTest } from './harness.ts';

export interface CloudCall {
  query?: Record<string, string | number>;
  /** JSON sent with Content-Type: application/json (unless `headers` say otherwise). */
  json?: unknown;
  /** Bytes or text sent as they are, with the headers given (none by default). */
  raw?: Buffer | string;
  headers?: Record<string, string>;
  /** The `certificate` parameter; null leaves it out. Default: the sandbox's public client thumbprint. */
  certificate?: string | null;
}

export async function cloud(sandbox: SandboxUnderTest, method: string, path: string, call: CloudCall = {}): Promise<Answer> {
  const params = new URLSearchParams(Object.entries(call.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
  if (call.certificate !== null) params.set('certificate', call.certificate ?? DEFAULT_CLOUD_CLIENT_THUMBPRINT);
  const headers: Record<string, string> = { ...call.headers };
  let body: Buffer | string | undefined = call.raw;
  if (call.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(call.json);
  }
  const response = await fetch(`${sandbox.url}/sandbox/cloud/v3/${path}?${params}`, { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, bytes, body: type.includes('json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : bytes };
}

export interface CloudSigner {
  issueId: string;
  thumbprint: string;
  phone: string;
  certificateDer: Buffer;
}

/** A natural person whose `dss` certificate the sandbox CA released (its key stays in the sandbox). */
export async function cloudSigner(sandbox: SandboxUnderTest): Promise<CloudSigner> {
  const issue = await sandbox.releasedIssue({ cspInfo: { type: 'dss' } });
  await sandbox.actualized(issue.id);
  const download = await sandbox.kcr('POST', `v1/issues/${issue.id}/download-certificate`, { headers: { 'content-type': 'application/json' } });
  assert.equal(download.status, 200);
  return { issueId: issue.id, thumbprint: issue.certificateReleasedInfo.thumbprint, phone: issue.subjectInfo.phone, certificateDer: download.bytes };
}

export const streebogHex = (bytes: Uint8Array) => toHex(new Streebog('streebog256').update(bytes).digest());
export const md5Hex = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** Sign with a hash; returns the answer body (asserting 200). */
export async function signHash(sandbox: SandboxUnderTest, signer: CloudSigner, content: Buffer, extra: Record<string, unknown> = {}) {
  const answer = await cloud(sandbox, 'POST', 'Sign', { json: { Thumbprint: signer.thumbprint, FileHashes: [{ FileName: 'file.txt', HashContent: streebogHex(content) }], ...extra } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as { OperationId: string; ConfirmType: number; PhoneLastNumbers: string | null; AdditionalDssInfo: { DssOperator: number } };
}

export async function getStatus(sandbox: SandboxUnderTest, operationId: string) {
  const answer = await cloud(sandbox, 'GET', 'GetStatus', { query: { operationId } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body as {
    OperationId: string;
    OperationStatus: number;
    FileStatuses: { FileId: string; Hash: string | null; Status: number; ErrorId: string | null; ErrorCode: number; ResultId: string | null; ResultSize: number; ResultMD5: string | null }[];
  };
}

export async function confirm(sandbox: SandboxUnderTest, signer: CloudSigner, operationId: string, code?: string) {
  return cloud(sandbox, 'POST', 'Confirm', { query: { operationId, confirmationCode: code ?? (await sandbox.smsCode(signer.phone)) } });
}

export async function completed(sandbox: SandboxUnderTest, operationId: string) {
  return waitFor('the operation to complete', async () => {
    const status = await getStatus(sandbox, operationId);
    assert.ok([0, 1, 2].includes(status.OperationStatus), `status ${status.OperationStatus}`);
    return status.OperationStatus === 2 ? status : false;
  });
}

/** The whole result of a file, read with GetResult. */
export async function result(sandbox: SandboxUnderTest, resultId: string): Promise<Buffer> {
  const answer = await cloud(sandbox, 'GET', 'GetResult', { query: { resultId } });
  assert.equal(answer.status, 200);
  return answer.bytes;
}

/** Declines every operation still waiting for its code (Kontur allows one per owner at a time). */
export async function declineWaiting(sandbox: SandboxUnderTest): Promise<void> {
  const listed = await sandbox.console('GET', 'cloud/operations');
  for (const operation of listed.body.operations.filter((o: { status: number }) => o.status === 7)) {
    assert.equal((await sandbox.console('POST', `cloud/operations/${operation.operationId}/cancel`)).status, 200);
  }
}
