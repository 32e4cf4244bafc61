// Renewal policy end to end against the sandbox, with two worker processes on one database: a
// cloud certificate released with 3 days of validity (SANDBOX_CERT_VALIDITY_DAYS) is due at once
// (default policy: 30 days); the reconciler renews it exactly once (one KCR issue with its
// baseIssueId, even with both processes reconciling at the same time), carries the new issue
// through the simplified flow with no one acting (the sandbox's automatic operator and applicant),
// puts the new certificate into the card and marks the old one replaced. The expiry notice
// (7-day threshold) and the renewal reach a webhook, and the card lists the notice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus, ONE_PIXEL_PNG, waitFor } from '../issuance/helpers.ts';

const ENV = { SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100', SANDBOX_AUTO_OPERATOR: '1', SANDBOX_CERT_VALIDITY_DAYS: '3', CERTIFICATE_RECONCILE_SECONDS: '1' };

describe('renewal before expiry, reconciled by two workers', () => {
  let t: TestServer;
  let worker: RunningServer;
  let admin: string;
  let receiver: Server;
  const received: { type: string; certificateId: string; daysLeft?: number; replacedByThumbprint?: string }[] = [];
  let employeeId: string;
  let issueId: string;
  let oldCertificate: { id: string; thumbprint: string; validTo: string };

  before(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t = await startTestServer(ENV);
    admin = await t.token();
    const address = receiver.address() as { port: number };
    await expectStatus(t, 201, 'POST', '/api/v1/webhooks', { token: admin, body: { url: `http://127.0.0.1:${address.port}/hook`, events: ['certificate.expiring', 'certificate.renewed'] } });
    // Mail goes to the first process's catcher from both processes (the worker runs no sandbox of its own).
    const catcher = (await expectStatus(t, 200, 'GET', '/api/v1/mail/settings', { token: admin })).body;
    await expectStatus(t, 200, 'PUT', '/api/v1/mail/settings', { token: admin, body: { host: catcher.host, port: catcher.port, security: 'none', from: 'ca@example.ru' } });
    // A second process working jobs on the same database, using the first one's sandbox.
    worker = await startServer(loadConfig({ ...t.env, ...ENV, PORT: String(new URL(t.url).port) }), { http: false, worker: true, logger: pino({ level: 'silent' }) });
  });
  after(async () => {
    await worker?.close();
    await t?.close();
    receiver?.close();
  });

  it('releases a 3-day cloud certificate through the simplified flow with nobody acting', async () => {
    const employee = await createEmployee(t, admin);
    employeeId = employee.id;
    // Her own user: the expiry notice is also mailed to her.
    await expectStatus(t, 201, 'POST', '/api/v1/users', { token: admin, body: { username: 'renewal-owner', role: 'employee', password: 'owner-password-1', employeeId } });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId, cspType: 'dss' } });
    issueId = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${issueId}/documents/passport`, { token: admin, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${issueId}/documents/passport/scans`, { token: admin, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${issueId}/release-statement/esia-confirmation`, { token: admin, body: { employeeId } });
    // The automatic applicant confirms in Госуслуги: until then the statement cannot be signed.
    await waitFor('the ESIA confirmation', async () => (await t.request('POST', `/api/v1/issues/${issueId}/release-statement/sign`, { token: admin, body: {} })).status === 200);
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${issueId}/validation`, { token: admin });
    const cards = await waitFor('the certificate in the card', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employeeId}/certificates`, { token: admin });
      return response.body.length ? response.body : false;
    }, 30_000);
    oldCertificate = cards[0];
    const days = (Date.parse(oldCertificate.validTo) - Date.now()) / 86_400_000;
    assert.ok(days > 2.9 && days <= 3, `valid for ${days} days`);
    // The certificates released from now on are valid for the template's year again.
    await expectStatus(t, 200, 'PUT', '/sandbox/console/ca/validity', { token: admin, body: { days: null } });
  });

  it('renews it automatically, exactly once, even with both processes reconciling at once', async () => {
    // Besides the scheduled runs, both processes reconcile at the same moment, several times.
    for (let i = 0; i < 3; i++) {
      await Promise.all([t.server.services.certificateRenewals.reconcile(), worker.services.certificateRenewals.reconcile()]);
    }
    const condition = await waitFor('the old certificate replaced', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/certificates/${oldCertificate.id}/condition`, { token: admin });
      assert.notEqual(response.body.type, 'RenewalFailed', response.body.reason);
      return response.body.type === 'Replaced' ? response.body : false;
    }, 90_000);
    const { rows } = await t.server.database.sql.executeSql('select id from sandbox_kcr.issues where base_issue_id = $1', [issueId]);
    assert.equal(rows.length, 1, 'one renewal issue at Kontur');
    assert.equal(condition.renewalIssueId, rows[0].id);

    const cards = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employeeId}/certificates`, { token: admin });
    assert.equal(cards.body.length, 2);
    const fresh = cards.body.find((c: { id: string }) => c.id !== oldCertificate.id);
    const old = cards.body.find((c: { id: string }) => c.id === oldCertificate.id);
    assert.equal(fresh.issueId, rows[0].id);
    assert.ok(Date.parse(fresh.validTo) - Date.now() > 300 * 86_400_000, 'the new certificate is valid for a year');
    assert.equal(old.replacedById, fresh.id);
    const listed = await expectStatus(t, 200, 'GET', `/api/v1/certificates?employeeId=${employeeId}`, { token: admin });
    assert.equal(listed.body.items.find((i: { id: string }) => i.id === oldCertificate.id).renewal.state, 'renewed');

    // Later runs start nothing more.
    await Promise.all([t.server.services.certificateRenewals.reconcile(), worker.services.certificateRenewals.reconcile()]);
    const again = await t.server.database.sql.executeSql('select id from sandbox_kcr.issues where base_issue_id = $1', [issueId]);
    assert.equal(again.rows.length, 1);
    const second = await t.request('POST', `/api/v1/certificates/${oldCertificate.id}/renewal`, { token: admin });
    assert.equal(second.status, 409);
  });

  it('delivers the expiry notice and the renewal to the webhook, once each, and lists the notice on the card', async () => {
    await waitFor('both webhook deliveries', async () => received.some((e) => e.type === 'certificate.renewed') && received.some((e) => e.type === 'certificate.expiring'));
    const expiring = received.filter((e) => e.type === 'certificate.expiring' && e.certificateId === oldCertificate.id);
    assert.equal(expiring.length, 1);
    assert.equal(expiring[0].daysLeft, 3);
    const renewed = received.filter((e) => e.type === 'certificate.renewed');
    assert.equal(renewed.length, 1);
    assert.notEqual(renewed[0].replacedByThumbprint, oldCertificate.thumbprint);
    const notices = await expectStatus(t, 200, 'GET', `/api/v1/employees/${employeeId}/certificate-notices`, { token: admin });
    assert.deepEqual(notices.body.map((n: { certificateId: string; daysBefore: number }) => [n.certificateId, n.daysBefore]), [[oldCertificate.id, 7]]);
    // The same notice is in the mail outbox, once, for the owner (its delivery through SMTP is the
    // notifications test's).
    const mails = await t.server.database.sql.executeSql(
      "select o.recipient from mail_outbox o join users u on u.id = o.user_id where o.kind = 'certificateExpiring' and u.username = 'renewal-owner'",
    );
    assert.equal(mails.rows.length, 1);
  });
});
