// The status history and the webhooks record every status the KCR event feed reports, in the
// feed's order, once (and one issue's webhooks reach the receiver in that order) — even when several statuses arrive between two polls, and when a fresh
// read of the issue saw the last status before the feed was read (it used to record
// `preparing → released` and skip `validating`, `approved`, `releasing`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, latestSmsCode, ONE_PIXEL_PNG, waitFor } from './helpers.ts';

const SANDBOX_KCR_API_KEY = 'sandbox-kcr-api-key-0000-000000000000';

/** The feed's statuses of one issue, as Kontur (the sandbox) reports them, consecutive repeats dropped. */
async function feedStatuses(t: TestServer, issueId: string): Promise<string[]> {
  const statuses: string[] = [];
  let prevId = '';
  for (;;) {
    const response = await fetch(`${t.url}/sandbox/kcr/v1/issue-events?limit=1000${prevId ? `&prevId=${prevId}` : ''}`, { headers: { 'x-kontur-apikey': SANDBOX_KCR_API_KEY } });
    const page = (await response.json()) as { events: { issueId: string; status: string }[]; lastId: string };
    for (const event of page.events) if (event.issueId === issueId && statuses.at(-1) !== event.status) statuses.push(event.status);
    if (page.events.length < 1000) return statuses;
    prevId = page.lastId;
  }
}

describe('status history and webhooks from the event feed', () => {
  let t: TestServer;
  let token: string;
  let receiver: Server;
  const received: { event: string; body: any }[] = [];

  before(async () => {
    // Polled every 4 s: the whole walk below lands between two polls.
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '4000' });
    token = await t.token();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ event: String(request.headers['x-kca-event']), body: JSON.parse(body) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    await expectStatus(t, 201, 'POST', '/api/v1/webhooks', { token, body: { url: `http://127.0.0.1:${port}/hook`, secret: 'webhook-secret-0123456789', events: ['issue.statusChanged'] } });
  });
  after(async () => {
    receiver.close();
    await t.close();
  });

  it('records validating, approved, releasing and released although they came in one batch', async () => {
    const employee = await createEmployee(t, token);
    const identifier = await createEmployee(t, token, { lastName: 'Кузнецов', firstName: 'Пётр' });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id } });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token, body: { series: '4509', number: '123456', issueDate: '2015-02-01', issuerCode: '770-001' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token, body: { name: 'scan.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sms-confirmation`, { token });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token, body: { smsCode: await latestSmsCode(t, token, employee.phone) } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token });
    await consoleAction(t, token, `/issues/${id}/approve`);
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token, body: { identifiedByEmployeeId: identifier.id } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/forward-to-cabinet`, { token });
    await consoleAction(t, token, `/issues/${id}/release`);
    // A fresh read sees `released` before the poller has read the feed.
    const read = await waitFor('the issue released at Kontur', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token });
      return response.body.data.status === 'released' ? response.body.data : undefined;
    });
    assert.equal(read.status, 'released');

    const expected = (await feedStatuses(t, id)).slice(1);
    for (const status of ['validating', 'approved', 'releasing', 'released']) assert.ok(expected.includes(status), `the feed reported ${status}: ${expected.join(' → ')}`);

    const history = await waitFor('the history to reach released', async () => {
      const response = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}/history`, { token });
      const rows = response.body.history.filter((row: { action: string }) => row.action === 'statusChanged');
      return rows.some((row: { status: string }) => row.status === 'released') ? rows : undefined;
    });
    assert.deepEqual(
      history.map((row: { status: string }) => row.status),
      expected,
      'every status of the feed, in order, once',
    );
    let previous = 'preparing';
    for (const row of history) {
      assert.equal(row.details.from, previous, `${row.status} follows ${previous}`);
      previous = row.status;
    }

    const hooks = await waitFor('a webhook per status', async () => {
      const mine = received.filter((r) => r.event === 'issue.statusChanged' && r.body.issueId === id);
      return mine.length >= expected.length ? mine : undefined;
    });
    // Give a duplicate the chance to arrive: the deliveries of the feed's events are all recorded by now.
    await waitFor('the deliveries to settle', async () => {
      const { rows } = await t.server.database.sql.executeSql("select count(*)::int as pending from webhook_deliveries where state = 'pending'");
      return rows[0].pending === 0 || undefined;
    });
    const delivered = received.filter((r) => r.event === 'issue.statusChanged' && r.body.issueId === id);
    assert.equal(delivered.length, expected.length, 'one webhook per status');
    assert.deepEqual(hooks.map((r) => r.body.status), expected, 'the webhooks arrive in the feed\'s order, one per status');
    assert.deepEqual(hooks.map((r) => r.body.previousStatus), ['preparing', ...expected.slice(0, -1)]);
    const eventIds = hooks.map((r) => Number(r.body.kcrEventId));
    assert.deepEqual(eventIds, [...eventIds].sort((a, b) => a - b), 'kcrEventId grows with the feed');
  });
});
