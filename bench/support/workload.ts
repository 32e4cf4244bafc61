// The load the benchmarks put on a server: API reads of the kind the web client makes
// (directory pages and searches, an employee card, the issue list, an issue, the documents, the
// audit log) and whole signing flows (upload a small document, start the cloud operation, read
// the SMS code from the sandbox, confirm, wait for the attached signature).
import { Agent } from 'node:http';
import { randomBytes } from 'node:crypto';
import { httpClient, signerWithCloudCertificate, smsCode, startSigning, uploadDocument, waitForFinalStatus, type Http, type Signer } from '../../test/signing/helpers.ts';
import { createEmployee, expectStatus } from '../../test/issuance/helpers.ts';
import type { TestServer } from '../../test/support/server.ts';
import { ADMIN_PASSWORD } from './server.ts';
import type { LoadRequest } from './load.ts';

export interface Prepared {
  http: Http;
  admin: string;
  signer: Signer;
  employeeIds: string[];
  issueId: string;
}

/** An admin token, `employees` cards, and a signer with a released cloud certificate (whose issue is `issueId`). */
export async function prepare(url: string, employees = 50): Promise<Prepared> {
  const http = httpClient(url);
  const login = await expectStatus(http as TestServer, 200, 'POST', '/api/v1/auth/token', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  const admin = login.body.token as string;
  const employeeIds: string[] = [];
  for (let i = 0; i < employees; i++) employeeIds.push((await createEmployee(http as TestServer, admin, { position: `Должность ${i}` })).id);
  const signer = await signerWithCloudCertificate(http, admin);
  const issues = await expectStatus(http as TestServer, 200, 'GET', `/api/v1/issues?limit=1`, { token: admin });
  return { http, admin, signer, employeeIds, issueId: issues.body.items[0].id };
}

/** The i-th read of the mix. */
export function readRequest(prepared: Prepared, i: number): LoadRequest {
  const headers = { authorization: `Bearer ${prepared.admin}` };
  const employee = prepared.employeeIds[i % prepared.employeeIds.length];
  const paths = [
    '/api/v1/employees?limit=20',
    `/api/v1/employees?limit=20&query=${encodeURIComponent('Иван')}`,
    `/api/v1/employees/${employee}`,
    '/api/v1/issues?limit=20',
    `/api/v1/issues/${prepared.issueId}`,
    '/api/v1/documents?limit=20',
    '/api/v1/audit?limit=50',
  ];
  return { method: 'GET', path: paths[i % paths.length], headers };
}

/** One signing flow through the module, from upload to the attached signature: its duration in ms. */
export async function signingFlow(prepared: Prepared): Promise<number> {
  const started = performance.now();
  const document = await uploadDocument(prepared.http, prepared.signer.token, `bench-${randomBytes(4).toString('hex')}.txt`, randomBytes(2048));
  const operation = await startSigning(prepared.http, prepared.signer, document.id);
  const code = await smsCode(prepared.http, prepared.admin, prepared.signer.phone);
  const confirmed = await prepared.http.request('POST', `/api/v1/sign-operations/${operation.operationId}/confirmation`, { token: prepared.signer.token, body: { code } });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  const final = await waitForFinalStatus(prepared.http, prepared.signer.token, operation.operationId);
  if (final.state !== 'complete') throw new Error(`signing ended in ${final.state}: ${final.message}`);
  return performance.now() - started;
}

/** `loops` signing flows at a time for `seconds`: flows per second and the median flow. */
export async function signingLoad(prepared: Prepared, seconds: number, loops = 1): Promise<{ flows: number; perSecond: number; p50Ms: number; errors: string[] }> {
  const durations: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (performance.now() < end) {
        try {
          durations.push(await signingFlow(prepared));
        } catch (error) {
          errors.push((error as Error).message);
          if (errors.length > 20) throw error;
        }
      }
    }),
  );
  durations.sort((a, b) => a - b);
  const elapsed = (performance.now() - started) / 1000;
  return { flows: durations.length, perSecond: durations.length / elapsed, p50Ms: durations[Math.floor(durations.length / 2)] ?? NaN, errors };
}

export const keepAlive = () => new Agent({ keepAlive: true });
