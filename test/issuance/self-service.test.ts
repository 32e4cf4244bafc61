// Employee self-service over the REST API: an employee sees her own issues with the next step,
// signs her release statement with the code sent to her phone, and downloads her certificate;
// another employee's issue and certificate are refused by the server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, latestSmsCode, ONE_PIXEL_PNG, waitFor } from './helpers.ts';

async function employeeUser(t: TestServer, admin: string, lastName: string) {
  const card = await createEmployee(t, admin, { lastName });
  const username = `self-${randomBytes(4).toString('hex')}`;
  await expectStatus(t, 201, 'POST', '/api/v1/users', { token: admin, body: { username, role: 'employee', password: 'user-password-1', employeeId: card.id } });
  return { card, token: await t.token(username, 'user-password-1') };
}

describe('employee self-service', () => {
  let t: TestServer;
  let admin: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    admin = await t.token();
  });
  after(() => t.close());

  it('shows her own issue with what she does next, lets her sign the statement and download the certificate; refuses others', async () => {
    const maria = await employeeUser(t, admin, 'Иванова');
    const olga = await employeeUser(t, admin, 'Петрова');
    const identifier = await createEmployee(t, admin, { lastName: 'Сидоров', firstName: 'Олег', position: 'Специалист по кадрам' });

    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: maria.card.id } });
    const id = created.body.data.id as string;
    let mine = (await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: maria.token })).body;
    assert.equal(mine.length, 1);
    assert.equal(mine[0].id, id);
    assert.equal(mine[0].statusName, 'Подготовка');
    assert.equal(mine[0].next.step, 'wait');
    assert.match(mine[0].next.text, /Отдел кадров заполняет заявку/);

    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token: admin, body: { series: '4509', number: '123456', issueDate: '01.02.2015', issuerCode: '770-001', birthDate: '12.04.1985' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'Паспорт.png', data: ONE_PIXEL_PNG.toString('base64') } });
    // The list is the local mirror, which Kontur's event feed brings up to date.
    mine = await waitFor('the statement step in her list', async () => {
      const list = (await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: maria.token })).body;
      return list[0].next.step === 'signStatement' ? list : false;
    });
    assert.equal(mine[0].statementCodeSent, false);

    // Another employee sees nothing of it and may not act on it.
    assert.deepEqual((await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: olga.token })).body, []);
    const refused = await expectStatus(t, 403, 'POST', `/api/v1/me/issues/${id}/release-statement/sms-confirmation`, { token: olga.token });
    assert.equal(refused.body.type, 'urn:kca:problem:forbidden');
    await expectStatus(t, 403, 'POST', `/api/v1/me/issues/${id}/release-statement/sign`, { token: olga.token, body: { smsCode: '123456' } });
    await expectStatus(t, 404, 'POST', `/api/v1/me/issues/${randomUUID()}/release-statement/sms-confirmation`, { token: olga.token });
    // Staff use the issue routes, not these.
    const operator = await t.userWithRole('operator');
    assert.equal((await expectStatus(t, 403, 'GET', '/api/v1/me/issues', { token: operator.token })).body.type, 'urn:kca:problem:forbidden-role');
    assert.equal((await expectStatus(t, 403, 'GET', '/api/v1/me/certificates', { token: admin })).body.type, 'urn:kca:problem:forbidden-role');

    // She asks for the code herself and signs with it.
    const sent = await expectStatus(t, 200, 'POST', `/api/v1/me/issues/${id}/release-statement/sms-confirmation`, { token: maria.token });
    assert.match(sent.body.data, /\*\*\*/);
    mine = (await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: maria.token })).body;
    assert.equal(mine[0].statementCodeSent, true);
    assert.match(mine[0].next.text, /Введите код из СМС/);
    const badCode = await expectStatus(t, 400, 'POST', `/api/v1/me/issues/${id}/release-statement/sign`, { token: maria.token, body: { smsCode: 'abc' } });
    assert.equal(badCode.body.errors[0].field, 'smsCode');
    const code = await latestSmsCode(t, admin, maria.card.phone);
    await expectStatus(t, 200, 'POST', `/api/v1/me/issues/${id}/release-statement/sign`, { token: maria.token, body: { smsCode: code } });
    mine = await waitFor('the signed statement in her list', async () => {
      const list = (await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: maria.token })).body;
      return list[0].next.step === 'wait' ? list : false;
    });
    assert.match(mine[0].next.text, /Заявление подписано/);
    assert.equal(mine[0].statementCodeSent, false);

    // The HR officer and the CA finish; the certificate lands in her card.
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/correction`, { comment: 'Нечитаемый скан', remarks: [{ target: 'passport', message: 'Приложите разворот с фотографией' }] });
    const inCorrection = await waitFor('the correction in her list', async () => {
      const list = (await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: maria.token })).body;
      return list[0].status === 'correction' ? list[0] : false;
    });
    assert.equal(inCorrection.correction.comment, 'Нечитаемый скан');
    assert.equal(inCorrection.correction.remarks[0].message, 'Приложите разворот с фотографией');
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'Разворот.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/approve`);
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token: admin, body: { identifiedByEmployeeId: identifier.id } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/forward-to-cabinet`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/release`);
    const done = await waitFor('the certificate step in her list', async () => {
      const list = (await expectStatus(t, 200, 'GET', '/api/v1/me/issues', { token: maria.token })).body;
      return list[0].next.step === 'downloadCertificate' ? list[0] : false;
    }, 30_000);
    assert.equal(done.statusName, 'Сертификат выпущен');

    const certificates = (await expectStatus(t, 200, 'GET', '/api/v1/me/certificates', { token: maria.token })).body;
    assert.equal(certificates.length, 1);
    assert.equal(certificates[0].state, 'valid');
    assert.ok(certificates[0].daysLeft >= 300, `days left: ${certificates[0].daysLeft}`);
    assert.equal(certificates[0].thumbprint, done.certificateThumbprint);
    const file = await fetch(`${t.url}/api/v1/me/certificates/${certificates[0].thumbprint}/file`, { headers: { authorization: `Bearer ${maria.token}` } });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pkix-cert');
    assert.match(file.headers.get('content-disposition') ?? '', /\.cer"/);
    const der = Buffer.from(await file.arrayBuffer());
    assert.equal(createHash('sha1').update(der).digest('hex').toUpperCase(), certificates[0].thumbprint);

    // Hers only.
    assert.deepEqual((await expectStatus(t, 200, 'GET', '/api/v1/me/certificates', { token: olga.token })).body, []);
    assert.equal((await expectStatus(t, 403, 'GET', `/api/v1/me/certificates/${certificates[0].thumbprint}/file`, { token: olga.token })).body.type, 'urn:kca:problem:forbidden');
    await expectStatus(t, 404, 'GET', `/api/v1/me/certificates/${'0'.repeat(40)}/file`, { token: olga.token });
  });
});

