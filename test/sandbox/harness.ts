// The sandbox alone, as a conformance test sees it: mounted through its entry into a bare Fastify
// host on a free port, with its own database (the embedded one in a temp directory, or a fresh
// PostgreSQL database under KCA_TEST_DB=postgres), and spoken to over HTTP like a real client
// speaks to Kontur. The host also has a catch-all GET route answering problem+json, as the
// bridge's web client fallback does, so that the sandbox's own answers to unknown paths are
// tested where they could be shadowed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { mountSandbox } from '../../src/sandbox/index.ts';
import { DEFAULT_KCR_API_KEY } from '../../src/sandbox/config.ts';
import { createPostgresDatabase, usesPostgres } from '../support/server.ts';

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the raw bytes. */
  body: any;
  bytes: Buffer;
}

export interface CallOptions {
  /** JSON to send (with Content-Type: application/json unless headers say otherwise). */
  json?: unknown;
  /** Raw bytes or text to send as they are. */
  raw?: Buffer | string;
  headers?: Record<string, string>;
  /** Leave out X-KONTUR-APIKEY. */
  anonymous?: boolean;
}

export interface SandboxUnderTest {
  url: string;
  /** A call to the KCR API (path relative to /sandbox/kcr/). */
  kcr(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** A call to the operator console (path relative to /sandbox/console/). */
  console(method: string, path: string, json?: unknown): Promise<Answer>;
  /** Waits until the issue's re-check after the last change is done, and returns it. */
  actualized(id: string): Promise<any>;
  /** An issue created with valid data (overrides merge into subjectInfo / the body). */
  createIssue(overrides?: { subjectInfo?: Record<string, unknown>; cspInfo?: Record<string, unknown> }): Promise<any>;
  /** Walks an issue from creation to `released` (SMS statement, passport with a page, operator, cabinet). */
  releasedIssue(overrides?: { subjectInfo?: Record<string, unknown>; cspInfo?: Record<string, unknown> }, beforeRelease?: (id: string) => Promise<void>): Promise<any>;
  /** The newest SMS code sent to a phone. */
  smsCode(phone: string): Promise<string>;
  close(): Promise<void>;
}

export function validInn(): string {
  const digits = Array.from({ length: 10 }, () => randomInt(10));
  digits[0] = 1 + randomInt(9);
  const control = (weights: number[]) => (weights.reduce((sum, weight, i) => sum + weight * digits[i], 0) % 11) % 10;
  digits.push(control([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  digits.push(control([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  return digits.join('');
}

/** INN of an organization: 10 digits with the control digit. */
export function validLegalInn(): string {
  const digits = Array.from({ length: 9 }, () => randomInt(10));
  digits[0] = 1 + randomInt(9);
  digits.push((digits.reduce((sum, digit, i) => sum + digit * [2, 4, 10, 3, 5, 9, 4, 6, 8][i], 0) % 11) % 10);
  return digits.join('');
}

export function validSnils(): string {
  const digits = Array.from({ length: 9 }, () => randomInt(10));
  digits[0] = 1 + randomInt(8);
  const remainder = digits.reduce((sum, digit, i) => sum + digit * (9 - i), 0) % 101;
  return digits.join('') + String(remainder === 100 ? 0 : remainder).padStart(2, '0');
}

export const mobilePhone = () => `+79${String(randomInt(1_000_000_000)).padStart(9, '0')}`;

/** 1×1 PNG: the placeholder page public clients send. */
export const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startSandbox(env: Record<string, string> = {}): Promise<SandboxUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kca-sandbox-test-'));
  const postgres = usesPostgres ? await createPostgresDatabase() : undefined;
  const database: Database = await openDatabase({ dataDir, databaseUrl: postgres?.url });
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/*', async (_request, reply) => reply.code(404).type('application/problem+json').send({ type: 'urn:host:not-found', status: 404 }));
  await mountSandbox(app, {
    pool: database.pool,
    dataDir,
    masterKey: randomBytes(32),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    consoleGuard: async () => undefined,
    env: { SANDBOX_ACTUALIZATION_MS: '30', ...env },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  async function call(url: string, method: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.anonymous) headers['x-kontur-apikey'] ??= DEFAULT_KCR_API_KEY;
    let body: Buffer | string | undefined = options.raw;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(url, { method, headers, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, bytes, body: type.includes('json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : bytes };
  }

  const sandbox: SandboxUnderTest = {
    url: address,
    kcr: (method, path, options) => call(`${address}/sandbox/kcr/${path}`, method, options),
    console: (method, path, json) => call(`${address}/sandbox/console/${path}`, method, { json, anonymous: true }),
    async actualized(id) {
      return waitFor(`issue ${id} to be actualized`, async () => {
        const answer = await sandbox.kcr('GET', `v1/issues/${id}`);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return answer.body.actualized ? answer.body : false;
      });
    },
    async createIssue(overrides = {}) {
      const answer = await sandbox.kcr('POST', 'v1/issues', {
        json: {
          certificateTemplateInfo: { type: 'notQualified', useAreas: [], nonExportable: false },
          subjectInfo: { type: 'naturalPerson', inn: validInn(), lastname: 'Петрова', firstname: 'Анна', middlename: 'Сергеевна', email: `a${randomInt(1e9)}@example.ru`, phone: mobilePhone(), ...overrides.subjectInfo },
          cspInfo: { type: 'cryptoPro', addCryptoProLicense: false, ...overrides.cspInfo },
        },
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body;
    },
    async smsCode(phone) {
      const answer = await sandbox.console('GET', `sms?phone=${encodeURIComponent(phone)}`);
      assert.equal(answer.status, 200);
      assert.ok(answer.body.messages.length > 0, `an SMS went to ${phone}`);
      return answer.body.messages[0].code;
    },
    async releasedIssue(overrides = {}, beforeRelease) {
      const issue = await sandbox.createIssue(overrides);
      const id = issue.id;
      const expect = async (status: number, method: string, path: string, options?: CallOptions) => {
        await sandbox.actualized(id);
        const answer = await sandbox.kcr(method, path, options);
        assert.equal(answer.status, status, `${method} ${path}: ${JSON.stringify(answer.body)}`);
        return answer;
      };
      await expect(204, 'PUT', `v1/issues/${id}/documents/passport`, {
        json: { requisitesToAddOrUpdate: [ { type: 'series', value: '4510' }, { type: 'number', value: '123456' }, { type: 'issueDate', value: '15.06.2015' }, { type: 'birthDate', value: '12.04.1985' }, { type: 'issueOrganizationId', value: '770-001' } ] },
      });
      await expect(204, 'POST', `v1/issues/${id}/documents/passport/pages`, { raw: ONE_PIXEL_PNG, headers: { 'content-type': 'image/png' } });
      await expect(204, 'POST', `v1/issues/${id}/confirmation-requests`, { json: { operationToConfirm: 'signingReleaseStatement' } });
      const code = await sandbox.smsCode(issue.subjectInfo.phone);
      await expect(204, 'POST', `v1/issues/${id}/documents/releaseStatement/sign`, { json: { confirmationInfo: { smsCode: code } } });
      await expect(204, 'POST', `v1/issues/${id}/validate`, { headers: { 'content-type': 'application/json' } });
      await waitFor('the operator to approve', async () => (await sandbox.console('POST', `issues/${id}/approve`)).status === 200);
      await expect(204, 'PUT', `v1/issues/${id}/subject-identification`, { json: { identificationSubjectType: 'employee', identifiedBy: 'Оператор' } });
      if (beforeRelease) {
        await sandbox.actualized(id);
        await beforeRelease(id);
      }
      await expect(204, 'POST', `v1/issues/${id}/forward-to-cabinet`, { headers: { 'content-type': 'application/json' } });
      await waitFor('the applicant to ask for release', async () => (await sandbox.console('POST', `issues/${id}/release`)).status === 200);
      return waitFor('the certificate', async () => {
        const answer = await sandbox.kcr('GET', `v1/issues/${id}`);
        return answer.body.status === 'released' && answer.body.actualized ? answer.body : false;
      });
    },
    async close() {
      await app.close();
      await database.close();
      await postgres?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return sandbox;
}

/** Kontur's error shape with `details` always an array; returns the error. */
export function assertKonturError(answer: Answer, status: number, code?: string) {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(typeof answer.body?.error?.code, 'string', JSON.stringify(answer.body));
  assert.equal(typeof answer.body.error.message, 'string');
  assert.ok(Array.isArray(answer.body.error.details), `error.details is an array: ${JSON.stringify(answer.body)}`);
  if (code) assert.equal(answer.body.error.code, code, JSON.stringify(answer.body));
  return answer.body.error as { code: string; message: string; details: { code: string; target?: string; message: string }[] };
}
