// Every page of the web client under axe-core: no serious or critical accessibility violations,
// at desktop width and on a phone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus } from '../issuance/helpers.ts';
import { uploadDocument } from '../signing/helpers.ts';
import { smallPdf } from '../signing/helpers.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, signIn } from './browser.ts';
import { seriousAccessibilityViolations, type AxeViolation } from './axe.ts';

describe('web client: accessibility (axe-core)', () => {
  let t: TestServer;
  let browser: Browser;
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Opens each path, waits for its heading, and collects what axe finds, by path. */
  async function audit(page: Page, paths: string[]): Promise<Record<string, AxeViolation[]>> {
    const found: Record<string, AxeViolation[]> = {};
    for (const path of paths) {
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      // Wait for the page's own data: no loader left.
      await page.waitForFunction('!document.querySelector(".loading-block")', undefined, { timeout: 15_000 }).catch(() => undefined);
      const violations = await seriousAccessibilityViolations(page);
      if (violations.length) found[path] = violations;
    }
    return found;
  }

  it('finds no serious or critical violations on any page, at 1440 and at 390 px', async () => {
    const admin = await t.token();
    const employee = await createEmployee(t, admin);
    const issue = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: employee.id, cspType: 'dss' } });
    const document = await uploadDocument(t, admin, 'Договор.pdf', smallPdf(), 'application/pdf', `&ownerEmployeeId=${employee.id}`);
    const staffPaths = [
      '/employees',
      '/employees/new',
      '/employees/import',
      `/employees/${employee.id}`,
      `/employees/${employee.id}/edit`,
      `/employees/${employee.id}/issue`,
      '/issues',
      `/issues/${issue.body.data.id}`,
      '/certificate-forms',
      '/certificate-forms/new',
      '/documents',
      `/documents/${document.id}`,
      '/settings/connection',
      '/settings/trusted-roots',
      '/settings/client-certificates',
      '/settings/users',
      '/settings/api-keys',
      '/settings/webhooks',
      '/audit',
      '/no-such-page',
    ];

    const anonymous = await openPage(browser, t.url);
    await anonymous.page.goto('/login');
    await anonymous.page.getByLabel('Имя пользователя').waitFor();
    const found: Record<string, AxeViolation[]> = {};
    const loginViolations = await seriousAccessibilityViolations(anonymous.page);
    if (loginViolations.length) found['/login'] = loginViolations;

    const administrator = await createWebUser(t, 'admin');
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, administrator.username, administrator.password);
    Object.assign(found, await audit(page, staffPaths));
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, violations] of Object.entries(await audit(page, ['/employees', `/issues/${issue.body.data.id}`, '/documents', '/settings/users']))) found[`${path} (390 px)`] = violations;

    const tester = await createWebUser(t, 'sandbox');
    const sandbox = await openPage(browser, t.url);
    await signIn(sandbox.page, tester.username, tester.password);
    Object.assign(found, await audit(sandbox.page, ['/sandbox-console']));

    const employeeUser = await createWebUser(t, 'employee');
    const own = await openPage(browser, t.url);
    await signIn(own.page, employeeUser.username, employeeUser.password);
    Object.assign(found, await audit(own.page, [`/employees/${employeeUser.employeeId}`, '/documents']));

    assert.deepEqual(found, {}, JSON.stringify(found, null, 2));
    assert.deepEqual([...errors, ...sandbox.errors, ...own.errors, ...anonymous.errors], []);
  });
});
