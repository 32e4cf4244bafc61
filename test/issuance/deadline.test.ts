// One deadline per issue operation (issue 14, finding 10): with every KCR answer held back by the
// sandbox (its "timeout" fault), an operation answers by KONTUR_DEADLINE_MS instead of spending
// its attempts, the issues service's own retries and the waits for actualization one after the
// other (it used to take up to maxAttempts × RestClientMaxTimeout per call, repeated for 30 s).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus } from './helpers.ts';

const DEADLINE_MS = 2500;

describe('the deadline of an issue operation', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', KONTUR_DEADLINE_MS: String(DEADLINE_MS) });
    token = await t.token();
  });
  after(async () => {
    await t.request('PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 0 } });
    await t.close();
  });

  it('answers 504 by the deadline when Kontur holds every answer back', async () => {
    const employee = await createEmployee(t, token);
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id } });
    const id = created.body.data.id;
    // One attempt may take a second; the operation's deadline is 2.5 s.
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token, body: { RestClientMaxTimeout: 1000 } });
    await expectStatus(t, 200, 'PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 1 } });
    const started = Date.now();
    const answer = await t.request('PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4509', number: '123456', issueDate: '2015-02-01', issuerCode: '770-001' } });
    const took = Date.now() - started;
    assert.equal(answer.status, 504, JSON.stringify(answer.body));
    assert.ok(took >= 1000, `at least one whole attempt (${took} ms)`);
    assert.ok(took < DEADLINE_MS + 1500, `answered after ${took} ms with a ${DEADLINE_MS} ms deadline`);
    console.log(`# a held PUT: 504 after ${took} ms (deadline ${DEADLINE_MS} ms, RestClientMaxTimeout 1000 ms)`);
  });
});
