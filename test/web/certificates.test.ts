// The Сертификаты page in a real browser: counts by state and the expiry chart agree with the
// API (and so with the database), the filters narrow the table, a renewal starts from a row, and
// the employee card of a dismissed owner offers the recall.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus } from '../issuance/helpers.ts';
import { signerWithCloudCertificate, type Signer } from '../signing/helpers.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, screenshotAtBothWidths, signIn } from './browser.ts';

describe('web client: Сертификаты', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: string;
  let signers: Signer[];
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    admin = await t.token();
    signers = [await signerWithCloudCertificate(t, admin), await signerWithCloudCertificate(t, admin)];
    browser = await launchBrowser();
    const operator = await createWebUser(t, 'operator');
    ({ page, errors } = await openPage(browser, t.url));
    await signIn(page, operator.username, operator.password);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the counts by state and the chart of expiries as the API counts them', async () => {
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Сертификаты' }).click();
    await page.waitForURL('**/certificates');
    await page.getByRole('table', { name: 'Сертификаты' }).waitFor();
    const summary = (await expectStatus(t, 200, 'GET', '/api/v1/certificates/summary', { token: admin })).body;
    assert.equal(summary.byState.valid, 2);
    for (const state of ['valid', 'expiring', 'expired', 'revoked']) {
      assert.equal(await page.locator(`[data-state-count="${state}"]`).textContent(), String(summary.byState[state]), state);
    }
    const bars = await page.locator('.expiry-chart g[data-month]').evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-month'), Number(node.getAttribute('data-count'))]));
    assert.deepEqual(bars, summary.expiriesByMonth.map((m: { month: string; count: number }) => [m.month, m.count]));
    assert.equal(await page.locator('tbody tr').count(), 2);
    await screenshotAtBothWidths(page, 'certificates');
  });

  it('filters by state and by thumbprint', async () => {
    await page.getByRole('button', { name: /Отозван/ }).click();
    await page.getByText('Сертификатов с такими условиями нет.').waitFor();
    await page.getByRole('button', { name: 'Сбросить' }).click();
    await page.getByRole('textbox', { name: 'Владелец, отпечаток или серийный номер' }).fill(signers[1].thumbprint.slice(0, 12));
    await page.getByRole('textbox', { name: 'Владелец, отпечаток или серийный номер' }).press('Enter');
    await page.waitForURL(/q=/);
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('tbody tr').length === 1);
    assert.match(await page.locator('tbody tr').first().textContent() ?? '', new RegExp(signers[1].thumbprint));
  });

  it('starts a renewal from a row; the row shows it in progress', async () => {
    await page.getByRole('button', { name: 'Перевыпустить' }).click();
    await page.getByText(/Перевыпускается/).waitFor();
    const listed = await expectStatus(t, 200, 'GET', `/api/v1/certificates?employeeId=${signers[1].employeeId}`, { token: admin });
    assert.equal(listed.body.items[0].renewal.state, 'renewing');
    assert.deepEqual(errors, []);
  });

  it('the card of a dismissed owner offers the recall of the certificate', async () => {
    await page.goto(`/employees/${signers[0].employeeId}`);
    await page.getByRole('button', { name: 'Уволить сотрудника' }).click();
    await page.getByRole('button', { name: 'Уволить', exact: true }).click();
    await page.getByText(/Сотрудник уволен/).waitFor();
    await page.getByRole('button', { name: 'Отозвать сертификат' }).click();
    await page.getByRole('textbox', { name: 'Код из СМС для отзыва' }).waitFor();
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(signers[0].phone)}`, { token: admin });
    const code = sms.body.messages.find((m: { purpose: string }) => m.purpose === 'signingRecallStatement').code;
    await page.getByRole('textbox', { name: 'Код из СМС для отзыва' }).fill(code);
    await page.getByRole('button', { name: 'Подписать заявление на отзыв' }).click();
    await page.getByText(/^Отозван /).waitFor();
    await screenshotAtBothWidths(page, 'employee-card-recalled');
    assert.deepEqual(errors, []);
  });
});
