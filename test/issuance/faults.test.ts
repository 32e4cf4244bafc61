// (e) Both flows under 20 % injected faults (10 % errors before any work, 10 % answers held
// back after the work is done): they still finish, with exactly one issue per applicant at
// Kontur and exactly one certificate in each card.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, ONE_PIXEL_PNG, waitFor } from './helpers.ts';

describe('issuance under injected faults', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    token = await t.token();
    // The shortest allowed timeout, so that a held answer costs one second.
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token, body: { RestClientMaxTimeout: 1000 } });
    const faults = await expectStatus(t, 200, 'PUT', '/sandbox/console/faults', { token, body: { latencyMs: 20, errorRate: 0.1, timeoutRate: 0.1 } });
    assert.equal(faults.body.errorRate, 0.1);
  });
  after(async () => {
    await t.request('PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 0 } });
    await t.close();
  });

  async function standardFlow(): Promise<{ employeeId: string; phone: string; issueId: string }> {
    const employee = await createEmployee(t, token);
    const identifier = await createEmployee(t, token, { lastName: 'Кузнецов', firstName: 'Пётр' });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id } });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4509', number: '123456', issueDate: '2015-02-01', issuerCode: '770-001' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'scan.png', data: ONE_PIXEL_PNG.toString('base64') } });
    const pdf = await fetch(`${t.url}/api/v1/issues/${id}/templates/releaseStatement`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(pdf.status, 200);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sms-confirmation`, { token });
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(employee.phone)}`, { token });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: { smsCode: sms.body.messages[0].code } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token, body: { identifiedByEmployeeId: identifier.id } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/forward-to-cabinet`, { token });
    await consoleAction(t, token, `/issues/${id}/release`);
    return { employeeId: employee.id, phone: employee.phone, issueId: id };
  }

  async function simplifiedFlow(): Promise<{ employeeId: string; phone: string; issueId: string }> {
    const employee = await createEmployee(t, token);
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id } });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4511', number: '111222', issueDate: '2017-05-06', issuerCode: '770-003' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token, body: { employeeId: employee.id } });
    await consoleAction(t, token, `/issues/${id}/esia`, { result: 'confirmed' });
    await waitFor('ESIA signature', async () => (await t.request('POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: {} })).status === 200);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    return { employeeId: employee.id, phone: employee.phone, issueId: id };
  }

  it('finishes both flows with no duplicate issue and no duplicate certificate', async () => {
    const flows = [await standardFlow(), await simplifiedFlow()];
    for (const flow of flows) {
      const certificates = await waitFor('the certificate in the card', async () => {
        const response = await t.request('GET', `/api/v1/employees/${flow.employeeId}/certificates`, { token });
        return response.status === 200 && response.body.length > 0 ? response.body : false;
      }, 60_000);
      assert.equal(certificates.length, 1, 'one certificate in the card');
      assert.equal(certificates[0].issueId, flow.issueId);
    }
    // Kontur's side: exactly one issue per applicant, although creations were retried.
    const all = await expectStatus(t, 200, 'GET', '/sandbox/console/issues?limit=500', { token });
    for (const flow of flows) {
      const mine = all.body.issues.filter((issue: { subjectInfo: { phone: string } }) => issue.subjectInfo.phone === flow.phone);
      assert.equal(mine.length, 1, `one issue at Kontur for ${flow.phone}`);
      assert.equal(mine[0].status, 'released');
    }
    const faults = await expectStatus(t, 200, 'GET', '/sandbox/console/faults', { token });
    assert.ok(faults.body.injected.errors + faults.body.injected.timeouts > 0, `faults were injected: ${JSON.stringify(faults.body.injected)}`);
    process.stdout.write(`# injected faults: ${JSON.stringify(faults.body.injected)}\n`);
  });
});
