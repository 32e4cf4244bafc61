// SMS abuse limits: each signing operation sends an SMS and brings fresh tries for the code, and a
// release-statement code can be asked for again: both are limited per signer, document and issue,
// and a refusal is a 429 with Retry-After, a Russian message, and a count in the metrics.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus } from '../issuance/helpers.ts';
import { signerWithCloudCertificate, uploadDocument, type Signer } from './helpers.ts';

const SIGN_PER_HOUR = 3;
const STATEMENT_CODES_PER_HOUR = 2;

describe('SMS abuse limits', () => {
  let t: TestServer;
  let admin: string;
  let anna: Signer;
  let petr: Signer;

  const start = (signer: Signer, documentId: string) =>
    t.request('POST', '/api/v1/sign-operations', { token: signer.token, body: { documentId, certificateThumbprint: signer.thumbprint } });

  async function refusals(limit: string): Promise<number> {
    const text = (await t.request('GET', '/metrics')).body as string;
    const line = text.split('\n').find((l) => l.startsWith(`kca_limit_refusals_total{limit="${limit}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  function assertRefusal(answer: { status: number; body: any; headers: Headers }, detail: RegExp) {
    assert.equal(answer.status, 429, JSON.stringify(answer.body));
    assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(answer.body.type, 'urn:kca:problem:too-many-requests');
    assert.match(answer.body.detail, detail);
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3600, `Retry-After ${answer.headers.get('retry-after')}`);
    return retryAfter;
  }

  before(async () => {
    t = await startTestServer({
      SANDBOX_ACTUALIZATION_MS: '20',
      ISSUE_EVENTS_POLL_MS: '100',
      SMS_LIMIT_OPEN_SIGN_OPERATIONS: '1',
      SMS_LIMIT_SIGN_PER_HOUR: String(SIGN_PER_HOUR),
      SMS_LIMIT_STATEMENT_CODES_PER_HOUR: String(STATEMENT_CODES_PER_HOUR),
    });
    admin = await t.token();
    anna = await signerWithCloudCertificate(t, admin);
    petr = await signerWithCloudCertificate(t, admin);
  });
  after(() => t.close());

  it('stops a signer who starts over and over: at most SMS_LIMIT_SIGN_PER_HOUR operations an hour', async () => {
    const document = await uploadDocument(t, anna.token, 'contract.txt', 'договор');
    for (let i = 0; i < SIGN_PER_HOUR; i++) {
      const started = await start(anna, document.id);
      assert.equal(started.status, 201, JSON.stringify(started.body));
      // The owner declines it (the console plays the phone): the next start finds it ended.
      const row = await t.server.database.db.query.signOperations.findFirst({ where: (o, { eq }) => eq(o.id, started.body.data.operationId) });
      await expectStatus(t, 200, 'POST', `/sandbox/console/cloud/operations/${row!.konturOperationId}/cancel`, { token: admin });
    }
    const before = await refusals('sign-per-hour-per-signer');
    const refused = await start(anna, document.id);
    const retryAfter = assertRefusal(refused, /Слишком много СМС с кодами подписания за час: не больше 3 на подписанта\. Повторите через \d+ минут/);
    assert.ok(retryAfter > 3500, `the first of the hour's operations frees a slot in about an hour, not ${retryAfter} s`);
    assert.equal(await refusals('sign-per-hour-per-signer'), before + 1);
    // Nothing was registered at Kontur for the refused request.
    const rows = await t.server.database.db.query.signOperations.findMany({ where: (o, { eq }) => eq(o.employeeId, anna.employeeId) });
    assert.equal(rows.length, SIGN_PER_HOUR);
  });

  it('admits one of many starts sent at once, and refuses the rest without a 5xx', async () => {
    const document = await uploadDocument(t, petr.token, 'parallel.txt', 'параллельно');
    const answers = await Promise.all(Array.from({ length: 8 }, () => start(petr, document.id)));
    const statuses = answers.map((a) => a.status).sort();
    assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
    assert.ok(statuses.every((s) => s === 201 || s === 409 || s === 429), `statuses ${statuses}`);
    for (const answer of answers.filter((a) => a.status === 429)) assertRefusal(answer, /ожидающих кода из СМС \(не больше 1\)/);
  });

  it('refuses a start on a document that already waits for SMS_LIMIT_OPEN_SIGN_OPERATIONS codes', async () => {
    // Petr still has the operation of the previous test waiting: with the same certificate, Kontur's
    // own rule (one operation waiting per owner) answers 409 before the limits.
    const mine = await uploadDocument(t, petr.token, 'another.txt', 'другой документ');
    assert.equal((await start(petr, mine.id)).status, 409);
    // A document two people sign (staff users with cards see every document): Petr's waiting
    // operation is put on Anna's document, and Anna (whose hourly limit is spent) meets the
    // document's limit first.
    const shared = await uploadDocument(t, anna.token, 'shared.txt', 'общий документ');
    const waiting = await t.server.database.db.query.signOperations.findMany({ where: (o, { and, eq }) => and(eq(o.employeeId, petr.employeeId), eq(o.state, 'waitingUser')) });
    assert.equal(waiting.length, 1);
    await t.server.database.sql.executeSql('update sign_operations set document_id = $1 where id = $2', [shared.id, waiting[0].id]);
    const before = await refusals('sign-open-per-document');
    assertRefusal(await start(anna, shared.id), /Документ уже ждёт кода из СМС в 1 операции подписания \(не больше 1\)/);
    assert.equal(await refusals('sign-open-per-document'), before + 1);
  });

  it('refuses a signer with SMS_LIMIT_OPEN_SIGN_OPERATIONS operations waiting, whichever certificate he starts with', async () => {
    // Petr's operation from before still waits for its code. A second cloud certificate in his card
    // (a copy of the first under another thumbprint) is not held by Kontur's one-per-owner rule.
    await t.server.database.sql.executeSql(
      `insert into employee_certificates (employee_id, thumbprint, serial_number, subject, issuer, valid_from, valid_to, der, source, csp_type)
       select employee_id, 'ABCDEF0123456789ABCDEF0123456789ABCDEF01', serial_number, subject, issuer, valid_from, valid_to, der, source, csp_type
       from employee_certificates where employee_id = $1 and thumbprint = $2`,
      [petr.employeeId, petr.thumbprint],
    );
    const document = await uploadDocument(t, petr.token, 'second-certificate.txt', 'второй сертификат');
    const before = await refusals('sign-open-per-signer');
    const refused = await t.request('POST', '/api/v1/sign-operations', { token: petr.token, body: { documentId: document.id, certificateThumbprint: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' } });
    assert.equal(assertRefusal(refused, /У подписанта уже 1 операция подписания, ожидающих кода из СМС \(не больше 1\)/), 60);
    assert.equal(await refusals('sign-open-per-signer'), before + 1);
  });

  it('sends a release-statement code at most SMS_LIMIT_STATEMENT_CODES_PER_HOUR times an hour per issue', async () => {
    const employee = await createEmployee(t, admin);
    const issue = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: employee.id, cspType: 'dss' } });
    const path = `/api/v1/issues/${issue.body.data.id}/release-statement/sms-confirmation`;
    for (let i = 0; i < STATEMENT_CODES_PER_HOUR; i++) await expectStatus(t, 200, 'POST', path, { token: admin });
    const before = await refusals('statement-codes-per-hour');
    assertRefusal(await t.request('POST', path, { token: admin }), /Код для подписания заявления уже запрашивали 2 раза за час \(не больше 2\)\. Повторите через/);
    assert.equal(await refusals('statement-codes-per-hour'), before + 1);
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(employee.phone)}`, { token: admin });
    assert.equal(sms.body.messages.length, STATEMENT_CODES_PER_HOUR);
    // Another issue has its own count.
    const other = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: (await createEmployee(t, admin)).id, cspType: 'dss' } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${other.body.data.id}/release-statement/sms-confirmation`, { token: admin });
  });
});
