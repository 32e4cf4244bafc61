// E-mail notices end to end: each triggered by its real event against the built-in sandbox, sent by
// the mail job through SMTP, and read as the sandbox's SMTP mail catcher received them; the
// per-user switch; SMTP settings pointing at another SMTP server (with AUTH, password encrypted);
// a failing server shows up in the outbox with its error.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { eq } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, ONE_PIXEL_PNG, waitFor } from '../issuance/helpers.ts';
import { caughtMails, waitForMail } from '../support/mailbox.ts';
import { smsCode, uploadDocument, waitForFinalStatus } from '../signing/helpers.ts';
import { settings } from '../../src/store/schema/index.ts';

async function userFor(t: TestServer, admin: string, role: 'employee' | 'operator', employeeId: string) {
  const username = `${role}-${randomBytes(4).toString('hex')}`;
  const created = await expectStatus(t, 201, 'POST', '/api/v1/users', { token: admin, body: { username, role, password: 'user-password-1', employeeId } });
  return { id: created.body.id as string, username, token: await t.token(username, 'user-password-1') };
}

async function outbox(t: TestServer, admin: string) {
  return (await expectStatus(t, 200, 'GET', '/api/v1/mail/outbox?limit=200', { token: admin })).body as { id: string; kind: string; dedupeKey: string; recipient: string; state: string; attempts: number; lastError: string | null }[];
}

describe('e-mail notifications', () => {
  let t: TestServer;
  let admin: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100', PUBLIC_URL: 'https://ca.example.ru/' });
    admin = await t.token();
  });
  after(() => t.close());

  it('goes to the sandbox mail catcher by default; the test mail arrives through SMTP', async () => {
    const view = (await expectStatus(t, 200, 'GET', '/api/v1/mail/settings', { token: admin })).body;
    assert.equal(view.source, 'sandbox');
    assert.equal(view.host, '127.0.0.1');
    assert.ok(view.port > 0);
    const bad = await expectStatus(t, 400, 'POST', '/api/v1/mail/test', { token: admin, body: { to: 'не адрес' } });
    assert.equal(bad.body.errors[0].field, 'to');
    await expectStatus(t, 202, 'POST', '/api/v1/mail/test', { token: admin, body: { to: 'It@Example.ru' } });
    const mail = await waitForMail(t, admin, 'it@example.ru', /Проверка отправки почты/);
    assert.deepEqual(mail.envelopeTo, ['it@example.ru']);
    assert.equal(mail.envelopeFrom, view.from);
    assert.match(mail.text!, /проверочное письмо: его отправил admin/);
    assert.match(mail.html!, /<p>Здравствуйте!<\/p>/);
    const sent = await waitFor('the outbox to say sent', async () => (await outbox(t, admin)).find((m) => m.kind === 'test' && m.state === 'sent'));
    assert.equal(sent.attempts, 1);
  });

  it('tells the HR officer and the applicant about a correction and the released certificate, the signer about a code; the switch stops them', async () => {
    const hrCard = await createEmployee(t, admin, { lastName: 'Кадрова', firstName: 'Ольга', middleName: 'Ивановна', position: 'Специалист по кадрам' });
    const hrCardFull = (await expectStatus(t, 200, 'GET', `/api/v1/employees/${hrCard.id}`, { token: admin })).body;
    const hr = await userFor(t, admin, 'operator', hrCard.id);
    const applicantCard = await createEmployee(t, admin);
    const applicantEmail = (await expectStatus(t, 200, 'GET', `/api/v1/employees/${applicantCard.id}`, { token: admin })).body.email as string;
    const applicant = await userFor(t, admin, 'employee', applicantCard.id);

    // The HR officer walks the issue (simplified: the applicant confirms in Госуслуги) up to the CA operator.
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: hr.token, body: { employeeId: applicantCard.id, cspType: 'dss' } });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token: hr.token, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: hr.token, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token: hr.token, body: { employeeId: applicantCard.id } });
    await consoleAction(t, admin, `/issues/${id}/esia`, { result: 'confirmed' });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token: hr.token, body: {} });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: hr.token });

    // The CA operator returns it for correction (the sandbox console).
    await consoleAction(t, admin, `/issues/${id}/correction`, { comment: 'Нечитаемый скан', remarks: [{ target: 'passport', message: 'Приложите скан разворота с фотографией' }] });
    const toHr = await waitForMail(t, admin, hrCardFull.email, /возвращена на исправление/);
    assert.match(toHr.subject!, /Иванова Мария Петровна/);
    assert.match(toHr.text!, /Здравствуйте, Ольга Ивановна!/);
    assert.match(toHr.text!, /Комментарий оператора: «Нечитаемый скан»/);
    assert.match(toHr.text!, /Паспорт РФ: Приложите скан разворота с фотографией/);
    assert.match(toHr.text!, /Исправьте данные или документы/);
    assert.ok(toHr.text!.includes(`https://ca.example.ru/issues/${id}`), 'links the issue page (PUBLIC_URL)');
    const toApplicant = await waitForMail(t, admin, applicantEmail, /возвращена на исправление/);
    assert.match(toApplicant.text!, /вернул вашу заявку/);
    assert.match(toApplicant.text!, /Приложите скан разворота с фотографией/);
    assert.ok(toApplicant.text!.includes('https://ca.example.ru/my/issues'));

    // Fixed and approved: the certificate is released into the card (the poller attaches it).
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: hr.token, body: { name: 'spread.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: hr.token });
    await consoleAction(t, admin, `/issues/${id}/approve`);
    const released = await waitForMail(t, admin, applicantEmail, /Сертификат выпущен/, 30_000);
    const [certificate] = (await expectStatus(t, 200, 'GET', `/api/v1/employees/${applicantCard.id}/certificates`, { token: admin })).body;
    assert.ok(released.text!.includes(`Серийный номер: ${certificate.serialNumber}`));
    assert.match(released.text!, /Ваш сертификат электронной подписи выпущен/);
    assert.match(released.text!, /Действует с \d\d\.\d\d\.\d{4} по \d\d\.\d\d\.\d{4}/);
    await waitForMail(t, admin, hrCardFull.email, /Сертификат выпущен/);
    // One mail per event and recipient, however often the feed is read.
    const corrections = (await outbox(t, admin)).filter((m) => m.kind === 'issueCorrection');
    assert.equal(corrections.length, 2);

    // The applicant switches notices off; the administrator sees it in the users list.
    const off = await expectStatus(t, 200, 'PUT', '/api/v1/me/notifications', { token: applicant.token, body: { subscribed: false } });
    assert.deepEqual(off.body, { subscribed: false, address: applicantEmail });
    const listed = (await expectStatus(t, 200, 'GET', '/api/v1/users', { token: admin })).body.find((u: { id: string }) => u.id === applicant.id);
    assert.equal(listed.mailNotifications, false);
    await expectStatus(t, 400, 'PUT', '/api/v1/me/notifications', { token: applicant.token, body: { subscribed: 'нет' } });

    const document = await uploadDocument(t, applicant.token, 'Приказ №1.pdf', Buffer.from('%PDF-1.4 order one'), 'application/pdf');
    const first = await expectStatus(t, 201, 'POST', '/api/v1/sign-operations', { token: applicant.token, body: { documentId: document.id, certificateThumbprint: certificate.thumbprint } });
    const firstId = first.body.data.operationId;
    // The notice is recorded before the answer: none for a user who switched them off.
    assert.equal((await outbox(t, admin)).filter((m) => m.kind === 'signingCodeWaiting').length, 0);
    await expectStatus(t, 200, 'POST', `/api/v1/sign-operations/${firstId}/confirmation`, { token: applicant.token, body: { code: await smsCode(t, admin, applicantCard.phone) } });
    assert.equal((await waitForFinalStatus(t, applicant.token, firstId)).state, 'complete');

    const on = await expectStatus(t, 200, 'PUT', '/api/v1/me/notifications', { token: applicant.token, body: { subscribed: true } });
    assert.equal(on.body.subscribed, true);
    const second = await uploadDocument(t, applicant.token, 'Приказ №2.pdf', Buffer.from('%PDF-1.4 order two'), 'application/pdf');
    const started = await expectStatus(t, 201, 'POST', '/api/v1/sign-operations', { token: applicant.token, body: { documentId: second.id, certificateThumbprint: certificate.thumbprint } });
    const waiting = await waitForMail(t, admin, applicantEmail, /ждёт кода из СМС/);
    assert.match(waiting.subject!, /Приказ №2\.pdf/);
    assert.ok(waiting.text!.includes(`оканчивающийся на ${started.body.data.phoneLastNumbers}`));
    assert.ok(waiting.text!.includes(`https://ca.example.ru/documents/${second.id}`));
    const signingMails = (await caughtMails(t, admin, applicantEmail)).filter((m) => /ждёт кода/.test(m.subject ?? ''));
    assert.equal(signingMails.length, 1, 'no mail for the operation started while notices were off');
  });

  it('certificateExpiring (the lifecycle entry point) mails the owner once per certificate and day count', async () => {
    const card = await createEmployee(t, admin, { lastName: 'Срокова', firstName: 'Анна', middleName: 'Петровна' });
    const email = (await expectStatus(t, 200, 'GET', `/api/v1/employees/${card.id}`, { token: admin })).body.email as string;
    await userFor(t, admin, 'employee', card.id);
    const certificate = { thumbprint: 'AB'.repeat(20), serialNumber: '01AB', validFrom: new Date('2026-01-01T00:00:00Z'), validTo: new Date('2027-01-15T12:00:00Z') };
    const ids = await t.server.services.notifications.certificateExpiring({ employeeId: card.id, certificate, daysLeft: 21 });
    assert.equal(ids.length, 1);
    assert.deepEqual(await t.server.services.notifications.certificateExpiring({ employeeId: card.id, certificate, daysLeft: 21 }), [], 'the same notice again records nothing');
    const mail = await waitForMail(t, admin, email, /истекает через 21 день/);
    assert.match(mail.subject!, /Срокова Анна Петровна/);
    assert.match(mail.text!, /Действует до 15\.01\.2027/);
    assert.match(mail.text!, /Серийный номер: 01AB/);
  });

  it('sends through the SMTP server of the settings, with AUTH and the password encrypted; a failing server shows in the outbox', async () => {
    const received: { user?: string; password?: string; from?: string; to: string[]; raw: Buffer }[] = [];
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'smtp-secret-1') return callback(null, { user: 'mailer' });
        callback(new Error('Invalid credentials'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({ user: session.user as string | undefined, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    try {
      const bad = await expectStatus(t, 400, 'PUT', '/api/v1/mail/settings', { token: admin, body: { host: 'smtp example', port: 70000, security: 'ssl', from: 'нет' } });
      assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['from', 'host', 'port', 'security']);
      const view = (await expectStatus(t, 200, 'PUT', '/api/v1/mail/settings', { token: admin, body: { host: '127.0.0.1', port, security: 'none', user: 'mailer', password: 'smtp-secret-1', from: 'ca@example.ru' } })).body;
      assert.equal(view.source, 'stored');
      assert.equal(view.passwordSet, true);
      assert.ok(!JSON.stringify(view).includes('smtp-secret-1'), 'the password is never shown');
      const [row] = await t.server.database.db.select().from(settings).where(eq(settings.key, 'Mail.SmtpPassword'));
      assert.equal(row.encrypted, true);
      assert.ok(!row.value.includes('smtp-secret-1'));

      await expectStatus(t, 202, 'POST', '/api/v1/mail/test', { token: admin, body: { to: 'admin@example.ru' } });
      await waitFor('the mail at the configured server', async () => received.length > 0);
      assert.equal(received[0].user, 'mailer');
      assert.equal(received[0].from, 'ca@example.ru');
      assert.deepEqual(received[0].to, ['admin@example.ru']);
      const parsed = await simpleParser(received[0].raw);
      assert.equal(parsed.subject, 'Проверка отправки почты');

      // A wrong password: the server refuses, the outbox keeps the mail pending with the server's answer, and retries.
      await expectStatus(t, 200, 'PUT', '/api/v1/mail/settings', { token: admin, body: { password: 'wrong-password' } });
      const failing = (await expectStatus(t, 202, 'POST', '/api/v1/mail/test', { token: admin, body: { to: 'admin@example.ru' } })).body;
      const seen = await waitFor('the failure in the outbox', async () => {
        const mail = (await expectStatus(t, 200, 'GET', `/api/v1/mail/outbox/${failing.id}`, { token: admin })).body;
        return mail.lastError ? mail : false;
      });
      assert.equal(seen.state, 'pending');
      assert.match(seen.lastError, /Invalid credentials|535/);
      assert.equal(received.length, 1);
    } finally {
      await expectStatus(t, 200, 'DELETE', '/api/v1/mail/settings', { token: admin });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.equal((await expectStatus(t, 200, 'GET', '/api/v1/mail/settings', { token: admin })).body.source, 'sandbox');
  });
});
