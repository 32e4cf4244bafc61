// (a) The manual's standard flow over the REST API against the built-in sandbox, through a
// correction, to the certificate in the employee card — attached by the event poller.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { parseCertificate, summarizeCertificate } from '../../src/crypto/x509.ts';
import { consoleAction, createEmployee, expectStatus, issueStatus, latestSmsCode, waitFor } from './helpers.ts';

function pdfText(t: TestServer, pdf: Buffer): string | undefined {
  const path = join(t.dataDir, 'statement.pdf');
  writeFileSync(path, pdf);
  try {
    return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  } catch {
    return undefined; // poppler-utils missing: the PDF checks below fall back to structure
  }
}

describe('standard issuance flow', () => {
  let t: TestServer;
  let token: string;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
  let failFirst = true;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    token = await t.token();
    // A webhook receiver that fails its first delivery, to see the retry.
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (failFirst) {
          failFirst = false;
          response.writeHead(500).end();
          return;
        }
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });
  after(async () => {
    await t.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('goes from creation through correction to the certificate in the employee card', async () => {
    const employee = await createEmployee(t, token);
    const identifier = await createEmployee(t, token, { lastName: 'Сидоров', firstName: 'Олег', position: 'Специалист по кадрам' });
    const events: string[] = [];
    const stream = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) break;
        events.push(new TextDecoder().decode(value));
      }
    })();

    const secret = 'webhook-secret-0123456789';
    await expectStatus(t, 201, 'POST', '/api/v1/webhooks', { token, body: { url: receiverUrl, secret, events: ['issue.statusChanged', 'issue.certificateAttached'] } });
    const idempotencyKey = `test-${Date.now()}`;
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id }, headers: { 'idempotency-key': idempotencyKey } });
    // The same key again returns the same issue instead of a second one.
    const repeated = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id }, headers: { 'idempotency-key': idempotencyKey } });
    assert.equal(repeated.body.data.id, created.body.data.id);
    const reused = await expectStatus(t, 409, 'POST', '/api/v1/issues', { token, body: { employeeId: identifier.id }, headers: { 'idempotency-key': idempotencyKey } });
    assert.equal(reused.body.errors[0].field, 'Idempotency-Key');
    assert.equal(created.body.success, true);
    const id = created.body.data.id;
    assert.equal(created.body.data.status, 'preparing');

    // Bad passport data is refused naming the field, before anything reaches Kontur.
    const bad = await expectStatus(t, 400, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '45', number: '123456', issueDate: '2015-02-01', issuerCode: '770-001' } });
    assert.equal(bad.body.errors[0].field, 'series');

    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4509', number: '123456', issueDate: '01.02.2015', issuerCode: '770-001', birthDate: '12.04.1985' } });
    const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 32)]);
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'Паспорт.pdf', longSize: scan.length, data: scan.toString('base64') } });

    const statement = await fetch(`${t.url}/api/v1/issues/${id}/templates/releaseStatement`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(statement.status, 200);
    assert.equal(statement.headers.get('content-type'), 'application/pdf');
    const pdf = Buffer.from(await statement.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = pdfText(t, pdf);
    if (text !== undefined) {
      assert.match(text, /ЗАЯВЛЕНИЕ НА ВЫПУСК СЕРТИФИКАТА/);
      assert.match(text, /Иванова Мария Петровна/);
      assert.ok(text.includes(employee.snils), 'the statement shows the SNILS');
      // The issue's date in Moscow time, DD.MM.YYYY.
      const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10).split('-').reverse().join('.');
      assert.ok(text.includes(`от ${today}`), `the statement is dated ${today}`);
    } else {
      assert.match(pdf.toString('latin1'), /ToUnicode/);
    }

    const sent = await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sms-confirmation`, { token });
    assert.match(sent.body.data, /\*\*\*/);
    const wrong = await t.request('POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: { smsCode: '000000' } });
    const code = await latestSmsCode(t, token, employee.phone);
    if (code !== '000000') {
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.errors[0].field, 'smsCode');
    }
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: { smsCode: code } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    assert.equal(await issueStatus(t, token, id), 'validating');

    await consoleAction(t, token, `/issues/${id}/correction`, { comment: 'Нечитаемый скан', remarks: [{ target: 'passport', message: 'Приложите скан разворота с фотографией' }] });
    const corrected = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token });
    assert.equal(corrected.body.data.status, 'correction');
    assert.equal(corrected.body.data.correctionInfo.remarks[0].target, 'passport');

    // The fix: a better scan, then validation again.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'Паспорт-разворот.png', data: png.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    assert.equal(await issueStatus(t, token, id), 'approved');

    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token, body: { identifiedByEmployeeId: identifier.id } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/forward-to-cabinet`, { token });
    await consoleAction(t, token, `/issues/${id}/release`);

    // Nobody asks: the poller sees the release and puts the certificate into the card.
    const certificates = await waitFor('the certificate in the employee card', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employee.id}/certificates`, { token });
      return response.body.length > 0 ? response.body : false;
    });
    assert.equal(certificates.length, 1);
    assert.equal(certificates[0].issueId, id);
    assert.equal(certificates[0].source, 'kcr');
    assert.equal(certificates[0].cspType, 'dss');

    const der = await fetch(`${t.url}/api/v1/issues/${id}/certificate`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(der.status, 200);
    const certificate = parseCertificate(new Uint8Array(await der.arrayBuffer()));
    const summary = summarizeCertificate(certificate);
    assert.equal(summary.subjectFields.SNILS, employee.snils.replace(/\D/g, ''));
    assert.equal(summary.subjectFields.INN, employee.inn);
    assert.equal(summary.thumbprint, certificates[0].thumbprint);
    assert.equal(summary.keyAlgorithmOid, '1.2.643.7.1.1.1.1');

    // Assigning again by hand adds nothing.
    const again = await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/certificate/assign`, { token, body: {} });
    assert.equal(again.body.data.thumbprint, summary.thumbprint);
    const after = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employee.id}/certificates`, { token });
    assert.equal(after.body.length, 1);

    // The history is written by the event feed's poller (reads write none): wait for its last event.
    let statuses: string[] = [];
    const history = await waitFor('released in the status history', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}/history`, { token });
      statuses = response.body.history.filter((h: { action: string }) => h.action === 'statusChanged').map((h: { status: string }) => h.status);
      return statuses.includes('released') ? response : false;
    }).catch((error) => assert.fail(`${(error as Error).message}; status history: ${statuses.join(', ')}`));
    assert.ok(statuses.includes('correction') && statuses.includes('released'), `status history: ${statuses.join(', ')}`);
    assert.equal(history.body.scans.length, 2);

    // Webhooks: signed, retried after the receiver's 500, one delivery per event.
    const hooked = await waitFor('the certificate webhook', async () => received.find((r) => r.headers['x-kca-event'] === 'issue.certificateAttached'));
    for (const delivery of received) {
      const expected = `sha256=${createHmac('sha256', secret).update(`${delivery.headers['x-kca-timestamp']}.${delivery.body}`).digest('hex')}`;
      assert.equal(delivery.headers['x-kca-signature'], expected);
    }
    assert.equal(JSON.parse(hooked.body).issueId, id);
    // Deliveries are independent jobs (one was refused with 500 and is retried later), so the
    // status webhook may come after the certificate one.
    const statusesDelivered = () => received.filter((r) => r.headers['x-kca-event'] === 'issue.statusChanged').map((r) => JSON.parse(r.body).status);
    await waitFor('the released-status webhook', async () => statusesDelivered().includes('released') || undefined);
    const deliveryIds = received.map((r) => r.headers['x-kca-delivery']);
    assert.equal(new Set(deliveryIds).size, deliveryIds.length, 'no delivery twice');

    await waitFor('server-sent events', async () => events.join('').includes('issue.certificateAttached'));
    assert.match(events.join(''), /event: issue.statusChanged/);
    await reader.cancel();
  });
});
