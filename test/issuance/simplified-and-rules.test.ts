// (b) the simplified ESIA flow with a 1×1 PNG placeholder scan; (c) delete allowed and refused
// by status; (d) event-list paging; plus refusals that must name the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, issueStatus, ONE_PIXEL_PNG, waitFor } from './helpers.ts';

describe('simplified flow, delete rules, event paging', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    token = await t.token();
  });
  after(() => t.close());

  async function preparedIssue(employeeId: string): Promise<string> {
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId } });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
    return id;
  }

  it('(b) releases through ESIA confirmation with a 1×1 PNG placeholder', async () => {
    const employee = await createEmployee(t, token);
    const id = await preparedIssue(employee.id);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token, body: { employeeId: employee.id } });
    const early = await expectStatus(t, 409, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: {} });
    assert.equal(early.body.type, 'urn:kca:problem:confirmation-in-progress');
    await consoleAction(t, token, `/issues/${id}/esia`, { result: 'confirmed' });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: {} });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    const certificates = await waitFor('the certificate in the card', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employee.id}/certificates`, { token });
      return response.body.length ? response.body : false;
    });
    assert.equal(certificates[0].issueId, id);
    assert.equal(await issueStatus(t, token, id), 'released');
  });

  it('(b) reports a rejected ESIA confirmation clearly', async () => {
    const employee = await createEmployee(t, token);
    const id = await preparedIssue(employee.id);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token, body: { snils: employee.snils, birthDate: '12.04.1985' } });
    await consoleAction(t, token, `/issues/${id}/esia`, { result: 'rejected' });
    const refused = await expectStatus(t, 422, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: {} });
    assert.match(refused.body.detail, /отклонил/);
  });

  it('(c) deletes in preparing and approved, refuses in validating and released', async () => {
    const employee = await createEmployee(t, token);
    const fresh = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id } });
    await expectStatus(t, 200, 'DELETE', `/api/v1/issues/${fresh.body.data.id}`, { token });
    await expectStatus(t, 404, 'GET', `/api/v1/issues/${fresh.body.data.id}`, { token });

    const id = await preparedIssue(employee.id);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sms-confirmation`, { token });
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(employee.phone)}`, { token });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: { smsCode: sms.body.messages[0].code } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    const refused = await expectStatus(t, 409, 'DELETE', `/api/v1/issues/${id}`, { token });
    assert.match(refused.body.detail, /статусе/);
    await consoleAction(t, token, `/issues/${id}/approve`);
    await expectStatus(t, 200, 'DELETE', `/api/v1/issues/${id}`, { token });
    const listed = await expectStatus(t, 200, 'GET', `/api/v1/issues?employeeId=${employee.id}&includeDeleted=true`, { token });
    assert.ok(listed.body.items.every((issue: { deletedAt: string | null }) => issue.deletedAt !== null));
  });

  it('(c) refuses to delete a released issue', async () => {
    const employee = await createEmployee(t, token);
    const id = await preparedIssue(employee.id);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token, body: { employeeId: employee.id } });
    await consoleAction(t, token, `/issues/${id}/esia`, { result: 'confirmed' });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: {} });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    await waitFor('release', async () => (await issueStatus(t, token, id)) === 'released');
    await expectStatus(t, 409, 'DELETE', `/api/v1/issues/${id}`, { token });
  });

  it('(d) pages through the event feed with limit and lastId', async () => {
    const first = await expectStatus(t, 200, 'GET', '/api/v1/issue-events?limit=3', { token });
    assert.equal(first.body.data.events.length, 3);
    const ids: number[] = first.body.data.events.map((e: { id: string }) => Number(e.id));
    let lastId = first.body.data.lastId;
    assert.equal(Number(lastId), ids.at(-1));
    for (let page = 0; page < 5; page++) {
      const next = await expectStatus(t, 200, 'GET', `/api/v1/issue-events?limit=3&lastId=${lastId}`, { token });
      if (next.body.data.events.length === 0) break;
      for (const event of next.body.data.events) ids.push(Number(event.id));
      lastId = next.body.data.lastId;
    }
    assert.ok(ids.length > 6);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids increase');
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    await expectStatus(t, 400, 'GET', '/api/v1/issue-events?limit=0', { token });
    const bad = await expectStatus(t, 400, 'GET', '/api/v1/issue-events?limit=5&lastId=a%20b', { token });
    assert.equal(bad.body.errors[0].field, 'lastId');
  });

  it('refuses bad input naming the field, and a fatal SMEV finding blocks validation', async () => {
    const noEmail = await createEmployee(t, token, { email: '' });
    const refused = await expectStatus(t, 400, 'POST', '/api/v1/issues', { token, body: { employeeId: noEmail.id } });
    assert.equal(refused.body.errors[0].field, 'email');
    const applicant = await expectStatus(t, 400, 'POST', '/api/v1/issues', { token, body: { applicant: { lastName: 'Smith', firstName: 'Иван', email: 'x@y.ru', mobilePhone: '+79990000000', inn: '123456789012' } } });
    const fields = applicant.body.errors.map((e: { field: string }) => e.field);
    assert.deepEqual(fields.sort(), ['applicant.inn', 'applicant.lastName']);

    const employee = await createEmployee(t, token);
    const id = await preparedIssue(employee.id);
    // Our API refuses a SNILS with a wrong control number itself...
    const own = await expectStatus(t, 400, 'PUT', `/api/v1/issues/${id}/documents/snils`, { token, body: { number: '112-233-445 00' } });
    assert.equal(own.body.errors[0].field, 'number');
    // ...Kontur takes such a number and its SMEV check flags it as fatal (sent straight to the sandbox here).
    await waitFor('actualization', async () => (await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token })).body.data.actualized);
    const kcr = await fetch(`${t.url}/sandbox/kcr/v1/issues/${id}/documents/snils`, {
      method: 'PUT',
      headers: { 'x-kontur-apikey': 'sandbox-kcr-api-key-0000-000000000000', 'content-type': 'application/json' },
      body: JSON.stringify({ requisitesToAddOrUpdate: [{ type: 'number', value: '11223344500' }] }),
    });
    assert.equal(kcr.status, 204);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sms-confirmation`, { token });
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(employee.phone)}`, { token });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: { smsCode: sms.body.messages[0].code } });
    const issue = await waitFor('SMEV result', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}`, { token });
      return response.body.data.actualized ? response.body.data : false;
    });
    const snils = issue.smevValidations.find((v: { documentType: string }) => v.documentType === 'snils');
    assert.deepEqual(snils.errors, [{ code: 'NotValidSnilsChecksum', level: 'fatal' }]);
    const blocked = await expectStatus(t, 400, 'POST', `/api/v1/issues/${id}/validation`, { token });
    assert.equal(blocked.body.errors[0].field, 'documents.snils');
    assert.match(blocked.body.errors[0].message, /контрольное число/);
  });

  it('keeps the console closed to all but admins and the sandbox role, also once the settings point at a real Kontur', async () => {
    const operator = await t.userWithRole('operator');
    await expectStatus(t, 401, 'GET', '/sandbox/console/faults');
    await expectStatus(t, 403, 'GET', '/sandbox/console/faults', { token: operator.token });
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token, body: { KcrApiConnectionAddress: 'https://kcr.example.test/' } });
    await expectStatus(t, 401, 'GET', '/sandbox/console/faults');
    await expectStatus(t, 403, 'GET', '/sandbox/console/faults', { token: operator.token });
    await expectStatus(t, 200, 'GET', '/sandbox/console/faults', { token });
    await expectStatus(t, 200, 'DELETE', '/api/v1/settings/KcrApiConnectionAddress', { token });
  });
});
