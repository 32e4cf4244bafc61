// The sandbox console (every SMS code, the CA operator's decisions, fault injection) answers
// administrators and the sandbox role in every mode; an employee, only while the settings point
// at the sandbox, reads the SMS sent to his own phone and nothing else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus, waitFor } from '../issuance/helpers.ts';

describe('sandbox console access', () => {
  let t: TestServer;
  let admin: string;
  let employeeToken: string;
  let own: { id: string; phone: string };
  let other: { id: string; phone: string };

  /** A release-statement SMS to the employee's phone (the sandbox's outbox gets it). */
  async function smsTo(employeeId: string) {
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId, cspType: 'dss' } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${created.body.data.id}/release-statement/sms-confirmation`, { token: admin });
  }

  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '20' });
    admin = await t.token();
    own = await createEmployee(t, admin);
    other = await createEmployee(t, admin);
    const username = `phone-owner-${randomBytes(3).toString('hex')}`;
    await expectStatus(t, 201, 'POST', '/api/v1/users', { token: admin, body: { username, role: 'employee', password: 'owner-password-1', employeeId: own.id } });
    employeeToken = await t.token(username, 'owner-password-1');
    await smsTo(own.id);
    await smsTo(other.id);
  });
  after(() => t.close());

  it('refuses strangers, operators and employees outside the SMS outbox, in sandbox mode too', async () => {
    const operator = await t.userWithRole('operator');
    const anonymous = await expectStatus(t, 401, 'GET', '/sandbox/console/sms');
    assert.match(anonymous.headers.get('content-type') ?? '', /application\/problem\+json/);
    await expectStatus(t, 401, 'GET', '/sandbox/console/cloud/faults');
    await expectStatus(t, 401, 'PUT', '/sandbox/console/faults', { body: {} });
    await expectStatus(t, 403, 'GET', '/sandbox/console/sms', { token: operator.token });
    for (const path of ['/sandbox/console/faults', '/sandbox/console/issues', '/sandbox/console/cloud/operations', '/sandbox/console/reestro/faults', '/sandbox/console/ca/root.cer']) {
      await expectStatus(t, 403, 'GET', path, { token: employeeToken });
    }
  });

  it('shows an employee only the SMS sent to his own phone', async () => {
    const mine = await expectStatus(t, 200, 'GET', '/sandbox/console/sms', { token: employeeToken });
    assert.ok(mine.body.messages.length >= 1);
    assert.deepEqual([...new Set(mine.body.messages.map((m: { phone: string }) => m.phone))], [own.phone]);
    await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(own.phone)}`, { token: employeeToken });
    const foreign = await expectStatus(t, 403, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(other.phone)}`, { token: employeeToken });
    assert.match(foreign.body.detail, /ваш телефон/);
    const all = await expectStatus(t, 200, 'GET', '/sandbox/console/sms', { token: admin });
    const phones = new Set(all.body.messages.map((m: { phone: string }) => m.phone));
    assert.ok(phones.has(own.phone) && phones.has(other.phone));
  });

  it('answers a repeated phone with 400 naming it', async () => {
    const twice = await expectStatus(t, 400, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(own.phone)}&phone=${encodeURIComponent(other.phone)}`, { token: admin });
    assert.match(twice.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(twice.body.errors[0].field, 'phone');
    const paging = await expectStatus(t, 400, 'GET', '/sandbox/console/issues?offset=1e20', { token: admin });
    assert.equal(paging.body.errors[0].field, 'offset');
  });

  it('opens everything to the sandbox role and admins, also once the settings point at a real Kontur', async () => {
    const tester = await t.userWithRole('sandbox');
    await expectStatus(t, 200, 'GET', '/sandbox/console/faults', { token: tester.token });
    await expectStatus(t, 200, 'GET', '/sandbox/console/cloud/operations', { token: tester.token });
    // The sandbox role sees nothing of the bridge itself.
    await expectStatus(t, 403, 'GET', '/api/v1/employees', { token: tester.token });
    await expectStatus(t, 403, 'GET', '/api/v1/documents', { token: tester.token });
    assert.equal((await expectStatus(t, 200, 'GET', '/api/v1/auth/me', { token: tester.token })).body.role, 'sandbox');
    await expectStatus(t, 200, 'PATCH', '/api/v1/settings', { token: admin, body: { KcrApiConnectionAddress: 'https://kcr.example.test/' } });
    try {
      await waitFor('sandbox mode to end', async () => (await t.request('GET', '/sandbox/console/sms', { token: employeeToken })).status === 403);
      await expectStatus(t, 200, 'GET', '/sandbox/console/faults', { token: tester.token });
      await expectStatus(t, 200, 'GET', '/sandbox/console/sms', { token: admin });
    } finally {
      await expectStatus(t, 200, 'DELETE', '/api/v1/settings/KcrApiConnectionAddress', { token: admin });
    }
  });
});
