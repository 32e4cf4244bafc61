// Identity binding (issue 14, findings 1 and 2): a certificate goes only into its owner's card
// (SNILS and INN checked against the card), the ESIA confirmation uses the applicant's own SNILS
// and birth date, and nobody identifies himself. Each refusal names the field at fault.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, issueStatus, ONE_PIXEL_PNG, waitFor } from './helpers.ts';

describe('identity binding', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    token = await t.token();
  });
  after(() => t.close());

  async function preparedIssue(body: Record<string, unknown>): Promise<string> {
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
    return id;
  }

  async function release(id: string, esia: Record<string, unknown>): Promise<void> {
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token, body: esia });
    await consoleAction(t, token, `/issues/${id}/esia`, { result: 'confirmed' });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: {} });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    await waitFor('release', async () => (await issueStatus(t, token, id)) === 'released');
  }

  const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  it("finding 1: Анна's certificate never lands on Петров's card", async () => {
    const anna = await createEmployee(t, token, { lastName: 'Смирнова', firstName: 'Анна' });
    const petrov = await createEmployee(t, token, { lastName: 'Петров', firstName: 'Пётр', middleName: 'Ильич' });
    const id = await preparedIssue({ employeeId: anna.id });
    await release(id, { employeeId: anna.id });
    await waitFor("the certificate in Анна's card", async () => (await expectStatus(t, 200, 'GET', `/api/v1/employees/${anna.id}/certificates`, { token })).body.length > 0);

    const refused = await expectStatus(t, 409, 'POST', `/api/v1/issues/${id}/certificate/assign`, { token, body: { employeeId: petrov.id } });
    assert.deepEqual(fields(refused.body), ['employeeId']);
    assert.match(refused.body.errors[0].message, /Смирнова Анна/);
    const petrovs = await expectStatus(t, 200, 'GET', `/api/v1/employees/${petrov.id}/certificates`, { token });
    assert.equal(petrovs.body.length, 0, 'nothing attached to Петров');
    // To its own card it goes (again: idempotent).
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/certificate/assign`, { token, body: { employeeId: anna.id } });
  });

  it("a certificate whose SNILS is not the card's is refused naming snils, whatever the issue", async () => {
    const anna = await createEmployee(t, token, { lastName: 'Кузнецова', firstName: 'Анна' });
    const petrov = await createEmployee(t, token, { lastName: 'Петров', firstName: 'Иван' });
    // An issue made from applicant data (no card): the card is named only when assigning.
    const id = await preparedIssue({ applicant: { lastName: 'Кузнецова', firstName: 'Анна', email: 'anna@example.ru', mobilePhone: anna.phone, inn: anna.inn } });
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/snils`, { token, body: { number: anna.snils } });
    await release(id, { birthDate: anna.birthDate });

    const refused = await expectStatus(t, 409, 'POST', `/api/v1/issues/${id}/certificate/assign`, { token, body: { employeeId: petrov.id } });
    assert.ok(fields(refused.body).includes('snils'), JSON.stringify(refused.body));
    assert.ok(fields(refused.body).includes('inn'), JSON.stringify(refused.body));
    assert.equal((await expectStatus(t, 200, 'GET', `/api/v1/employees/${petrov.id}/certificates`, { token })).body.length, 0);
    const attached = await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/certificate/assign`, { token, body: { employeeId: anna.id } });
    assert.equal(attached.body.data.issueId, id);
  });

  it("finding 2: the ESIA confirmation takes only the applicant's own SNILS and a real birth date", async () => {
    const anna = await createEmployee(t, token, { lastName: 'Орлова', firstName: 'Анна' });
    const other = await createEmployee(t, token, { lastName: 'Соколов', firstName: 'Олег' });
    const id = await preparedIssue({ employeeId: anna.id });
    const path = `/api/v1/issues/${id}/release-statement/esia-confirmation`;

    const foreignSnils = await expectStatus(t, 409, 'POST', path, { token, body: { snils: other.snils, birthDate: anna.birthDate } });
    assert.deepEqual(fields(foreignSnils.body), ['snils']);
    const foreignCard = await expectStatus(t, 409, 'POST', path, { token, body: { employeeId: other.id } });
    assert.deepEqual(fields(foreignCard.body), ['employeeId']);
    const future = await expectStatus(t, 400, 'POST', path, { token, body: { birthDate: '2099-01-01' } });
    assert.deepEqual(fields(future.body), ['birthDate']);
    assert.match(future.body.errors[0].message, /будущем/);
    const ancient = await expectStatus(t, 400, 'POST', path, { token, body: { birthDate: '31.12.1899' } });
    assert.deepEqual(fields(ancient.body), ['birthDate']);
    const otherBirthDate = await expectStatus(t, 409, 'POST', path, { token, body: { birthDate: '1990-01-01' } });
    assert.deepEqual(fields(otherBirthDate.body), ['birthDate']);

    // The applicant's own values, explicit (in Russian date format) or from the card, are taken.
    await expectStatus(t, 200, 'POST', path, { token, body: { snils: anna.snils, birthDate: anna.birthDate.split('-').reverse().join('.') } });
    const confirmation = await expectStatus(t, 200, 'GET', `/sandbox/console/issues/${id}`, { token });
    assert.equal(confirmation.body.confirmation.snilsNumber, anna.snils.replace(/\D/g, ''));
    await expectStatus(t, 200, 'POST', path, { token, body: {} });
  });

  it('refuses a SNILS or INN of someone else on an issue made for a card', async () => {
    const anna = await createEmployee(t, token, { lastName: 'Белова', firstName: 'Анна' });
    const other = await createEmployee(t, token, { lastName: 'Козлов', firstName: 'Павел' });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: anna.id } });
    const id = created.body.data.id;
    const snils = await expectStatus(t, 409, 'PUT', `/api/v1/issues/${id}/documents/snils`, { token, body: { number: other.snils } });
    assert.deepEqual(fields(snils.body), ['number']);
    const inn = await expectStatus(t, 409, 'POST', '/api/v1/issues', { token, body: { employeeId: anna.id, inn: other.inn } });
    assert.deepEqual(fields(inn.body), ['inn']);
  });

  it('the person who identifies the applicant is never the applicant', async () => {
    const anna = await createEmployee(t, token, { lastName: 'Зайцева', firstName: 'Анна' });
    const hr = await createEmployee(t, token, { lastName: 'Кадрова', firstName: 'Ольга', position: 'Специалист по кадрам' });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: anna.id } });
    const id = created.body.data.id;
    const self = await expectStatus(t, 409, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token, body: { identifiedByEmployeeId: anna.id } });
    assert.deepEqual(fields(self.body), ['identifiedByEmployeeId']);
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token, body: { identifiedByEmployeeId: hr.id } });
    const issue = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token });
    assert.match(issue.body.data.subjectIdentification.identifiedBy, /^Кадрова Ольга/);
  });
});
