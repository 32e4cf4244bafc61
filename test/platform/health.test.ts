import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('service endpoints', () => {
  let t: TestServer;
  const logLines: { level: number; msg: string; req?: { url: string }; res?: { statusCode: number } }[] = [];
  before(async () => {
    t = await startTestServer({ LOG_LEVEL: 'info' }, { logDestination: { write: (line) => void logLines.push(JSON.parse(line)) } });
  });
  after(() => t.close());

  it('answers /healthz and /readyz', async () => {
    const health = await t.request('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await t.request('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
  });

  it('logs a refused request at info and a successful one not at all at the info level', async () => {
    await t.request('GET', '/healthz?probe=logged-or-not');
    await t.request('GET', '/api/v1/employees?probe=refused');
    const completed = logLines.filter((line) => line.msg === 'request completed');
    assert.equal(completed.filter((line) => line.req?.url.includes('logged-or-not')).length, 0, 'a 200 is logged at debug only');
    const refused = completed.filter((line) => line.req?.url.includes('probe=refused'));
    assert.equal(refused.length, 1);
    assert.equal(refused[0].level, 30);
    assert.equal(refused[0].res?.statusCode, 401);
  });

  it('exposes Prometheus metrics including request counts', async () => {
    await t.request('GET', '/healthz');
    const metrics = await t.request('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /kca_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(metrics.body, /kca_process_resident_memory_bytes/);
  });

  it('gives every response a request id and security headers', async () => {
    const response = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'test-request-0001' } });
    assert.equal(response.headers.get('x-request-id'), 'test-request-0001');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /default-src 'self'/);
    assert.match(policy, /frame-src 'self' blob:/);
    assert.doesNotMatch(policy, /upgrade-insecure-requests/);
    const missing = await t.request('GET', '/no-such-page/api');
    assert.equal(missing.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.match(missing.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  });

  it('answers unknown paths with problem+json 404', async () => {
    const response = await t.request('GET', '/api/v1/nothing-here');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type')!, /application\/problem\+json/);
    assert.equal(response.body.status, 404);
    assert.ok(response.body.requestId);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await t.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    const page = await t.request('GET', '/api/docs');
    assert.equal(page.status, 200);
    assert.match(page.body, /swagger/i);
  });
});
