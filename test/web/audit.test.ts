// The audit page (issue 14, finding 3): Russian action names, people's names instead of ids,
// the UI kit's date pickers, and the CSV export of what the filters select.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.ts';
import { buildWebClient, launchBrowser, openPage, screenshotAtBothWidths, signIn } from './browser.ts';
import { createEmployee, expectStatus } from '../issuance/helpers.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('web client: the audit page', () => {
  let t: TestServer;
  let browser: Browser;
  let issueId: string;
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50' });
    browser = await launchBrowser();
    const token = await t.token();
    const employee = await createEmployee(t, token, { lastName: 'Журналова', firstName: 'Анна', middleName: 'Викторовна' });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id } });
    issueId = created.body.data.id;
    await expectStatus(t, 409, 'PUT', `/api/v1/issues/${issueId}/subject-identification`, { token, body: { identifiedByEmployeeId: employee.id } });
    await expectStatus(t, 200, 'PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 0 } });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows operations in Russian with people instead of ids, filters by dates with the date pickers and exports CSV', async () => {
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/audit');
    const create = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Создание заявки на сертификат', exact: true }) });
    await create.first().waitFor();
    await create.first().getByRole('link', { name: 'Журналова Анна Викторовна' }).waitFor();
    const refused = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Удостоверение личности заявителя', exact: true }) });
    await refused.getByText('заявитель не может удостоверить сам себя').waitFor();
    await page.getByRole('cell', { name: 'Песочница: сбои КЦР', exact: true }).waitFor();
    // No developer codes or UUIDs in the table: actions, people and objects by their names.
    // (Kontur's request ids are shown as they are: support asks for them.)
    const table = (await page.locator('table.data-table').innerText()).replace(/Запрос в Контуре: \S+/g, '');
    assert.doesNotMatch(table, UUID);
    assert.doesNotMatch(table, /identifiedByEmployeeId/);
    assert.doesNotMatch(table, /createCertificateIssue|subjectIdentification|sandboxConsolePutFaults|auth\.login/);
    await screenshotAtBothWidths(page, 'audit-operations');

    // Dates from the UI kit's pickers: today..today keeps today's entries, a day in the past none.
    const today = new Date();
    const day = (date: Date) => `${String(date.getDate()).padStart(2, '0')}.${String(date.getMonth() + 1).padStart(2, '0')}.${date.getFullYear()}`;
    const typeDay = async (id: string, value: string) => {
      await page.locator(`#${id}`).click();
      await page.keyboard.type(value.replace(/\./g, ''));
      await page.keyboard.press('Escape');
    };
    await typeDay('audit-from', day(today));
    await typeDay('audit-to', day(today));
    await page.getByRole('button', { name: 'Показать' }).click();
    const iso = (date: Date) => day(date).split('.').reverse().join('-');
    await page.waitForURL((url) => url.searchParams.get('fromDay') === iso(today) && url.searchParams.get('toDay') === iso(today));
    await create.first().waitFor();
    const past = new Date(today.getFullYear() - 1, 0, 15);
    await page.goto(`/audit?toDay=${iso(past)}`);
    await page.getByText('Записей с такими условиями нет.').waitFor();

    // The export takes the filters of the page.
    await page.goto('/audit?action=createCertificateIssue');
    await create.first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить в CSV' }).click()]);
    assert.match(download.suggestedFilename(), /^audit-.*\.csv$/);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = csv.trim().split('\r\n');
    assert.match(header, /^Время \(UTC\);Действие;Код действия;Кто;Логин;Объект;Название объекта;/);
    assert.equal(rows.length, 1, csv);
    assert.match(rows[0], /;Создание заявки на сертификат;createCertificateIssue;/);
    assert.match(rows[0], /Журналова Анна Викторовна/);
    assert.ok(rows[0].includes(issueId));
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
