// The KCR client against a local HTTP server: error mapping, what is retried and what is not,
// the API key header, the timeout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pino } from 'pino';
import { HttpTransport, backoffDelay, DEFAULT_RETRY_POLICY } from '../../src/kontur/http-transport.ts';
import { KcrClient } from '../../src/kontur/kcr-client.ts';
import {
  KcrActualizingError,
  KcrNotFoundError,
  KcrRateLimitedError,
  KcrUnauthorizedError,
  KcrUnavailableError,
  KcrValidationError,
} from '../../src/kontur/kcr-errors.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

describe('KCR client', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  const seen: { method: string; url: string; key: string | undefined }[] = [];
  const client = (timeoutMs = 2000) =>
    new KcrClient(new HttpTransport(pino({ level: 'silent' }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 20 }), async () => ({ address: base, apiKey: 'key-123456', timeoutMs }));

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, key: request.headers['x-kontur-apikey'] as string | undefined });
        handler(request, response, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}/kcr/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): Handler => (_q, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  it('sends the API key and maps a 400 with targets', async () => {
    seen.length = 0;
    handler = reply(400, { error: { code: 'ValidationError', message: 'bad', details: [{ code: 'InvalidValue', target: 'subjectInfo.inn', message: 'x' }] } });
    await assert.rejects(client().createIssue({ certificateTemplateInfo: { type: 'notQualified' }, subjectInfo: { type: 'naturalPerson' }, cspInfo: { type: 'dss' } }), (error) => {
      assert.ok(error instanceof KcrValidationError);
      assert.equal(error.details[0].target, 'subjectInfo.inn');
      return true;
    });
    assert.equal(seen[0].key, 'key-123456');
    assert.equal(seen[0].url, '/kcr/v1/issues');
  });

  it('maps 401, 404, 409 and 429 (with Retry-After)', async () => {
    handler = reply(401, { error: { code: 'Unauthorized', message: 'no' } });
    await assert.rejects(client().getIssue('a'), KcrUnauthorizedError);
    handler = reply(404, { error: { code: 'IssueNotFound', message: 'no' } });
    await assert.rejects(client().getIssue('a'), KcrNotFoundError);
    handler = reply(409, { error: { code: 'IssueIsBeingActualized', message: 'wait' } });
    await assert.rejects(client().validate('a'), KcrActualizingError);
    seen.length = 0;
    handler = reply(429, { error: { code: 'TooManyChanges', message: 'slow' } }, { 'retry-after': '7' });
    await assert.rejects(client().validate('a'), (error) => error instanceof KcrRateLimitedError && error.retryAfterSeconds === 7);
    // A 429 proves the change was refused, not made: even a POST not safe to repeat is tried again (the transport's attempts).
    assert.equal(seen.length, DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it('retries a repeatable call on 503 and succeeds', async () => {
    seen.length = 0;
    let calls = 0;
    handler = (q, r, b) => (++calls < 3 ? reply(503, { error: { code: 'ServiceUnavailable', message: 'x' } })(q, r, b) : reply(200, { id: 'i1', actualized: true })(q, r, b));
    const issue = await client().getIssue('i1');
    assert.equal(issue.id, 'i1');
    assert.equal(seen.length, 3);
  });

  it('repeats an unsafe call on 503 (nothing was done) and marks the outcome as known; never on 502', async () => {
    seen.length = 0;
    handler = reply(503, { error: { code: 'ServiceUnavailable', message: 'x' } });
    await assert.rejects(client().createIssue({ certificateTemplateInfo: { type: 'notQualified' }, subjectInfo: { type: 'naturalPerson' }, cspInfo: { type: 'dss' } }), (error) => {
      assert.ok(error instanceof KcrUnavailableError);
      assert.equal(error.outcomeUnknown, false);
      return true;
    });
    assert.equal(seen.length, DEFAULT_RETRY_POLICY.maxAttempts);
    seen.length = 0;
    handler = reply(502, { error: { code: 'BadGateway', message: 'x' } });
    await assert.rejects(client().createIssue({ certificateTemplateInfo: { type: 'notQualified' }, subjectInfo: { type: 'naturalPerson' }, cspInfo: { type: 'dss' } }), (error) => error instanceof KcrUnavailableError && error.outcomeUnknown);
    assert.equal(seen.length, 1);
  });

  it('turns a timeout into an unknown outcome, and gives up on a repeatable call after its attempts', async () => {
    seen.length = 0;
    handler = () => undefined; // never answers
    await assert.rejects(client(300).forwardToCabinet('a'), (error) => error instanceof KcrUnavailableError && error.outcomeUnknown && error.status === 504);
    assert.equal(seen.length, 1);
    seen.length = 0;
    await assert.rejects(client(150).getIssue('a'), KcrUnavailableError);
    assert.equal(seen.length, DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it('reports a refused connection as not processed', async () => {
    const dead = new KcrClient(new HttpTransport(pino({ level: 'silent' }), { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }), async () => ({ address: 'http://127.0.0.1:1/', apiKey: 'k', timeoutMs: 500 }));
    await assert.rejects(dead.validate('a'), (error) => error instanceof KcrUnavailableError && !error.outcomeUnknown);
  });

  it('computes backoff with full jitter under a cap, or follows Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(policy, 1, undefined, () => 0.999), 99);
    assert.equal(backoffDelay(policy, 5, undefined, () => 0.999), 999);
    assert.equal(backoffDelay(policy, 3, undefined, () => 0), 0);
    assert.equal(backoffDelay(policy, 1, 0.5), 500);
    assert.equal(backoffDelay(policy, 1, 30), 1000);
  });

  it('returns bytes for templates and the certificate', async () => {
    handler = (_q, response) => {
      response.writeHead(200, { 'content-type': 'application/pdf' });
      response.end(Buffer.from('%PDF-1.7'));
    };
    assert.equal((await client().generateTemplate('a', 'releaseStatement')).toString(), '%PDF-1.7');
  });
});
