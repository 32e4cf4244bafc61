// "Анкеты Реестро" in the browser: an operator files a certificate form for an employee, sees
// Реестро's refusal next to the field, attaches a document, downloads the statement, sends it,
// sees the CA's findings (the sandbox page plays the CA), fixes the form, and sees the
// certificate, which lands in the employee card.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, waitFor } from '../issuance/helpers.ts';
import { pdfBytes } from '../reestro/helpers.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, openSandboxConsole, screenshotAtBothWidths, signIn } from './browser.ts';

const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: pdfBytes() });

describe('web client: Анкеты Реестро', () => {
  let t: TestServer;
  let browser: Browser;
  before(async () => {
    buildWebClient();
    t = await startTestServer({ REESTRO_FORMS_POLL_SECONDS: '1' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('files a form for an employee, shows errors per field, sends the statement and shows the certificate', async () => {
    const admin = await t.token();
    const employee = await createEmployee(t, admin, { lastName: 'Лебедева', firstName: 'Ольга', middleName: 'Игоревна' });
    const operator = await createWebUser(t, 'operator');
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, operator.username, operator.password);

    await page.getByRole('link', { name: 'Анкеты Реестро' }).click();
    await page.getByRole('heading', { name: 'Анкеты Реестро' }).waitFor();
    await page.getByText('Анкет пока нет').waitFor();
    await page.getByRole('button', { name: 'Новая анкета' }).click();
    await page.waitForURL('**/certificate-forms/new');

    // The employee is picked by name.
    await page.locator('#form-employee').click();
    await page.keyboard.type('Лебедева');
    await page.getByText('Лебедева Ольга Игоревна', { exact: false }).first().click();
    await page.getByText('Женский').click();
    await page.getByRole('textbox', { name: 'Место рождения' }).fill('г. Новосибирск');
    await page.getByRole('textbox', { name: 'Серия' }).fill('4510');
    await page.getByRole('textbox', { name: 'Номер' }).fill('654321');
    await page.getByRole('textbox', { name: 'Дата выдачи' }).fill('01.06.2015');
    await page.getByRole('textbox', { name: 'Код подразделения' }).fill('540-001');
    await page.getByRole('textbox', { name: 'Кем выдан' }).fill('ОУФМС России по Новосибирской области');
    // A region code Реестро does not know: its refusal comes back next to the field.
    await page.getByRole('textbox', { name: 'Код региона' }).fill('00');
    await page.getByRole('textbox', { name: 'Населённый пункт' }).fill('Новосибирск');
    await page.getByRole('textbox', { name: 'Улица' }).fill('Челюскинцев');
    await page.getByRole('textbox', { name: 'Дом' }).fill('14');
    await page.locator('#document-passport').setInputFiles(pdf('паспорт.pdf'));
    await page.getByTestId('document-passport-file').waitFor();
    await screenshotAtBothWidths(page, 'certificate-form-new');
    await page.getByRole('button', { name: 'Создать анкету' }).click();
    const regionError = page.locator('#person-region-error');
    await regionError.waitFor();
    assert.match((await regionError.textContent()) ?? '', /Значение не принято Реестро/);
    assert.equal(await page.getByRole('textbox', { name: 'Код региона' }).getAttribute('aria-invalid'), 'true');

    await page.getByRole('textbox', { name: 'Код региона' }).fill('54');
    // Keyboard: the form is sent with Enter from a field.
    await page.getByRole('textbox', { name: 'Дом' }).press('Enter');
    await page.waitForURL(/\/certificate-forms\/[0-9a-f-]{36}$/);
    const formUrl = page.url();
    await page.getByRole('heading', { name: 'Анкета Реестро: Лебедева Ольга Игоревна' }).waitFor();
    await page.getByText('Создана', { exact: true }).first().waitFor();
    assert.ok(await page.getByRole('cell', { name: '4510 654321 от 01.06.2015' }).isVisible(), 'the passport requisites are shown');

    // A document added later.
    const menuItem = (text: string) => page.locator('[data-tid="MenuItem__content"]', { hasText: text });
    await page.locator('#add-document-type').click();
    await menuItem('СНИЛС').click();
    await page.locator('#add-document-file').setInputFiles(pdf('снилс.pdf'));
    await page.getByRole('rowheader', { name: 'СНИЛС' }).waitFor();

    // The statement downloads as a PDF.
    const statementHref = await page.getByRole('link', { name: 'Откройте заявление (PDF)' }).getAttribute('href');
    const statement = await page.request.get(statementHref!);
    assert.equal(statement.status(), 200);
    assert.equal(statement.headers()['content-type'], 'application/pdf');
    await screenshotAtBothWidths(page, 'certificate-form-created');

    await page.locator('#release-statement-file').setInputFiles(pdf('заявление-подписано.pdf'));
    await page.getByText('Анкета в удостоверяющем центре', { exact: false }).waitFor();

    // The sandbox page (a sandbox tester's) plays the CA: it returns the form with a reason.
    const sandbox = await openSandboxConsole(browser, t);
    const row = sandbox.page.getByTestId('sandbox-reestro-form').filter({ hasText: 'Лебедева' });
    await row.getByRole('button', { name: 'Вернуть: скан нечитаем' }).click();
    await sandbox.page.getByText('Анкета возвращена').waitFor();

    await page.goto(formUrl);
    const findings = page.getByTestId('form-validation-errors');
    await findings.waitFor();
    assert.match((await findings.textContent()) ?? '', /Скан паспорта нечитаем/);
    await screenshotAtBothWidths(page, 'certificate-form-errors');
    // Fixed: a new passport scan replaces the old one; the form is Created again and goes back.
    await page.locator('#add-document-type').click();
    await menuItem('Паспорт (разворот с фотографией) (заменить)').click();
    await page.locator('#add-document-file').setInputFiles(pdf('паспорт-2.pdf'));
    await page.getByRole('link', { name: 'Откройте заявление (PDF)' }).waitFor();
    await page.locator('#release-statement-file').setInputFiles(pdf('заявление-2.pdf'));
    await page.getByText('Анкета в удостоверяющем центре', { exact: false }).waitFor();

    await sandbox.page.reload();
    await sandbox.page.getByTestId('sandbox-reestro-form').filter({ hasText: 'Лебедева' }).getByRole('button', { name: 'Выпустить сертификат' }).click();
    await sandbox.page.getByText('Сертификат выпущен').first().waitFor();

    await page.goto(formUrl);
    await page.getByRole('heading', { name: 'Сертификат', exact: true }).waitFor();
    await waitFor('the certificate in the employee card', async () => (await page.reload(), (await page.locator('dd', { hasText: /^Да$/ }).count()) > 0), 20_000);
    const download = await page.getByRole('link', { name: 'Скачать сертификат (.cer)' }).getAttribute('href');
    assert.equal((await page.request.get(download!)).status(), 200);
    await screenshotAtBothWidths(page, 'certificate-form-issued');

    const certificates = await t.request('GET', `/api/v1/employees/${employee.id}/certificates`, { token: admin });
    assert.equal(certificates.body.filter((c: { source: string }) => c.source === 'reestro').length, 1);

    // The list shows the form with its state.
    await page.goto('/certificate-forms');
    await page.getByRole('link', { name: 'Лебедева Ольга Игоревна' }).waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(sandbox.errors, []);
    await sandbox.page.context().close();
  });
});
