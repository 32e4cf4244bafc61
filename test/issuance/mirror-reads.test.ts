// GetIssue answers from the local mirror once the issue is actualized (no call to Kontur: it
// still answers while Kontur fails), the event feed keeps that mirror current (a change made by
// another Kontur client shows up without anyone asking), and fresh=true reads Kontur itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus, waitFor } from './helpers.ts';
import { SANDBOX_KCR_API_KEY } from '../../src/domain/sandbox-defaults.ts';

describe('GetIssue from the mirror', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '1000', ISSUE_EVENTS_POLL_MS: '100' });
    token = await t.token();
  });
  after(async () => {
    await t.request('PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 0 } });
    await t.close();
  });

  it('answers an actualized issue without Kontur, follows the event feed, and reads Kontur with fresh=true', async () => {
    const employee = await createEmployee(t, token);
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id, cspType: 'dss' } });
    const id = created.body.data.id;
    await waitFor('the issue to be actualized', async () => (await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token })).body.data.actualized === true);

    // Another Kontur client changes the applicant's name: the feed brings it into the mirror.
    // (It waits out Kontur's 409 while the issue is being actualized, as such a client must.)
    await waitFor('the change by the other client', async () => {
      const changed = await fetch(`${t.url}/sandbox/kcr/v1/issues/${id}`, {
        method: 'PATCH',
        headers: { 'x-kontur-apikey': SANDBOX_KCR_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ subjectInfo: { lastname: 'Переименованная' } }),
      });
      if (changed.status === 409) return false;
      assert.equal(changed.status, 204, await changed.text());
      return true;
    });
    await waitFor(
      'the change to reach the mirror',
      async () => {
        const issue = (await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token })).body.data;
        return issue.actualized && issue.subjectInfo.lastname === 'Переименованная';
      },
      20_000,
    );

    // Kontur fails every call now: the mirror still answers, a fresh read reports the failure.
    await expectStatus(t, 200, 'PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 1, timeoutRate: 0 } });
    const mirrored = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token });
    assert.equal(mirrored.body.data.id, id);
    assert.equal(mirrored.body.data.subjectInfo.lastname, 'Переименованная');
    const fresh = await t.request('GET', `/api/v1/issues/${id}?fresh=true`, { token });
    assert.ok(fresh.status >= 500, `a fresh read goes to Kontur: ${fresh.status}`);
    await expectStatus(t, 200, 'PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 0 } });
    const again = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token });
    assert.equal(again.body.data.subjectInfo.lastname, 'Переименованная');

    // A change through the module: Kontur re-checks the issue, and GetIssue must not answer the
    // mirror's "actualized" from before it (the manual's callers wait for Actualized).
    await waitFor('actualized again', async () => (await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token })).body.data.actualized === true);
    await expectStatus(t, 200, 'PATCH', `/api/v1/issues/${id}`, { token, body: { applicant: { lastName: 'Изменённая' } } });
    const rightAfter = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token });
    assert.equal(rightAfter.body.data.actualized, false, 'being actualized after the change');
    assert.equal(rightAfter.body.data.subjectInfo.lastname, 'Изменённая');
  });
});
