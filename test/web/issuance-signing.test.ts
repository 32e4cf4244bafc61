// The whole story in the browser: an operator issues a cloud certificate through the wizard
// (ESIA flow, the sandbox page playing Госуслуги and the CA operator) and watches the statuses
// change live; the employee then signs a PDF with it, reading SMS codes from the sandbox page,
// once straight and once after a wrong code.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { mobilePhone, ONE_PIXEL_PNG, validInn, validSnils } from '../issuance/helpers.ts';
import { smallPdf } from '../signing/helpers.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, openSandboxConsole, screenshotAtBothWidths, signIn, type WebUser } from './browser.ts';

const APPLICANT = 'Соколова Ирина Андреевна';

describe('web client: certificate issuance and cloud signing', () => {
  let t: TestServer;
  let browser: Browser;
  const phone = mobilePhone();
  let employeeId = '';
  let employeeUser: WebUser;
  const pageErrors: string[][] = [];
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(): Promise<{ page: Page; context: BrowserContext }> {
    const { page, errors } = await openPage(browser, t.url);
    pageErrors.push(errors);
    return { page, context: page.context() };
  }

  /** The sandbox page, signed in as a sandbox tester in a context of its own. */
  async function sandboxPage(): Promise<Page> {
    const { page, errors } = await openSandboxConsole(browser, t);
    pageErrors.push(errors);
    return page;
  }

  /** The newest SMS code for the phone, as the sandbox page shows it. */
  async function smsCodeFromSandboxPage(page: Page, previous?: string): Promise<string> {
    await page.goto('/sandbox-console');
    await page.getByRole('textbox', { name: 'Телефон' }).fill(phone);
    const firstCode = page.getByTestId('sms-code').first();
    let code = '';
    for (let attempt = 0; attempt < 50; attempt++) {
      code = ((await firstCode.textContent({ timeout: 10_000 })) ?? '').trim();
      if (/^\d{4,8}$/.test(code) && code !== previous) break;
      await page.waitForTimeout(200);
    }
    assert.match(code, /^\d{4,8}$/);
    assert.notEqual(code, previous, 'a fresh code arrived');
    return code;
  }

  it('(1) an operator creates an employee and walks an issue through the ESIA flow until the certificate is in the card', async () => {
    const operator = await createWebUser(t, 'operator');
    const { page, context } = await open();
    await signIn(page, operator.username, operator.password);

    await page.getByRole('button', { name: 'Добавить сотрудника' }).click();
    await page.getByRole('textbox', { name: 'Фамилия' }).fill('Соколова');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Ирина');
    await page.getByRole('textbox', { name: 'Отчество' }).fill('Андреевна');
    await page.getByRole('textbox', { name: 'Мобильный телефон' }).fill(phone);
    await page.getByRole('textbox', { name: 'Электронная почта' }).fill('sokolova@example.ru');
    await page.getByRole('textbox', { name: 'ИНН' }).fill(validInn());
    await page.getByRole('textbox', { name: 'СНИЛС' }).fill(validSnils());
    await page.getByRole('textbox', { name: 'Дата рождения' }).click();
    await page.keyboard.type('12041985');
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('heading', { name: APPLICANT }).waitFor();
    employeeId = /\/employees\/([0-9a-f-]{36})$/.exec(page.url())![1];

    // Wizard step 1: the applicant is the card; a cloud certificate is the default.
    await page.getByRole('button', { name: 'Выпустить сертификат' }).click();
    await page.waitForURL(`**/employees/${employeeId}/issue`);
    assert.equal(await page.getByRole('radio', { name: /Облачный сертификат/ }).isChecked(), true);
    await screenshotAtBothWidths(page, 'issue-start');
    await page.getByRole('button', { name: 'Создать заявку' }).click();
    await page.waitForURL(/\/issues\/[0-9a-f-]{36}$/);
    const issueUrl = page.url();
    await page.getByTestId('issue-status').getByText('Подготовка').waitFor();

    // Step 2: passport requisites, then a scan (a wrong type is refused before anything is sent).
    await page.getByRole('textbox', { name: 'Серия' }).fill('4510');
    await page.getByRole('textbox', { name: 'Номер' }).fill('654321');
    await page.getByRole('textbox', { name: 'Дата выдачи' }).fill('04.03.2016');
    await page.getByRole('textbox', { name: 'Код подразделения' }).fill('770-002');
    // The card loads alongside the issue: its birth date fills the empty field when it arrives.
    const birthDate = page.getByRole('textbox', { name: 'Дата рождения' });
    for (let attempt = 0; attempt < 50 && (await birthDate.inputValue()) === ''; attempt++) await page.waitForTimeout(100);
    assert.equal(await birthDate.inputValue(), '12.04.1985', 'taken from the card');
    await page.getByRole('textbox', { name: 'Место рождения' }).fill('г. Москва');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await page.getByText('Реквизиты паспорта сохранены').waitFor();

    await page.locator('#scan-passport').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a scan') });
    await page.getByText('«notes.txt»: нужен файл JPEG, PNG, GIF или PDF').waitFor();
    await page.locator('#scan-passport').setInputFiles({ name: 'passport.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG });
    await page.getByRole('img', { name: 'Предпросмотр: passport.png' }).waitFor();
    await screenshotAtBothWidths(page, 'issue-passport');
    await page.getByRole('button', { name: 'Отправить скан' }).click();
    // The finished step collapses to its summary.
    await page.locator('#step-identity').getByText('Паспорт 4510 654321, страниц скана: 1.').waitFor();

    // Step 3: the release statement through Госуслуги.
    await page.getByRole('link', { name: 'Открыть заявление на выпуск (PDF)' }).waitFor();
    await page.getByText('Через Госуслуги', { exact: true }).click();
    assert.equal(await page.getByRole('radio', { name: 'Через Госуслуги' }).isChecked(), true);
    await page.getByRole('button', { name: 'Запросить подтверждение в Госуслугах' }).click();
    await page.getByText('Запрос отправлен в Госуслуги.').waitFor();

    // The sandbox page (a sandbox tester's, in a browser context of its own) plays the applicant in Госуслуги and the CA operator.
    const sandbox = await sandboxPage();
    await sandbox.goto('/sandbox-console');
    const row = sandbox.getByRole('row', { name: new RegExp(APPLICANT) });
    await row.getByRole('button', { name: 'Госуслуги: подтвердил' }).click();
    await sandbox.getByText('Ответ Госуслуг отправлен').first().waitFor();

    await page.getByRole('button', { name: 'Проверить подтверждение' }).click();
    await page.getByText('Заявление подписано: заявитель подтвердил выпуск в Госуслугах.').waitFor();

    // Step 4: validation; the operator approves on the sandbox page and the issue page follows live.
    await page.getByRole('button', { name: 'Отправить на проверку' }).click();
    await page.getByTestId('issue-status').getByText('На проверке у оператора УЦ').waitFor();
    await screenshotAtBothWidths(page, 'issue-validating');
    await sandbox.bringToFront();
    await row.getByRole('button', { name: `Одобрить заявку: ${APPLICANT}` }).click();
    await screenshotAtBothWidths(sandbox, 'sandbox');
    await page.bringToFront();
    assert.equal(page.url(), issueUrl);
    await page.getByTestId('issue-status').getByText('Сертификат выпущен').waitFor({ timeout: 30_000 });
    await page.getByText('Сертификат выпущен и загружен в карточку сотрудника.').waitFor({ timeout: 30_000 });
    await page.getByText('Не требуется: личность подтверждена через Госуслуги.').waitFor();
    await screenshotAtBothWidths(page, 'issue-released');

    await page.getByRole('link', { name: 'Открыть карточку' }).click();
    await page.getByRole('heading', { name: APPLICANT }).waitFor();
    await page.getByRole('table', { name: 'Сертификаты сотрудника' }).getByRole('rowheader', { name: new RegExp(APPLICANT) }).waitFor();

    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Заявки на сертификат' }).click();
    await page.getByRole('row', { name: new RegExp(APPLICANT) }).getByText('Сертификат выпущен').waitFor();
    await screenshotAtBothWidths(page, 'issues-list');
    await context.close();
  });

  it('(2) the employee uploads a PDF and signs it with the cloud certificate, the code read from the sandbox page', async () => {
    assert.ok(employeeId, 'test (1) created the employee');
    employeeUser = await createWebUser(t, 'employee', employeeId);
    const { page, context } = await open();
    await signIn(page, employeeUser.username, employeeUser.password);
    // An employee starts at her own issues.
    await page.getByRole('heading', { name: 'Мои заявки', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Документы' }).click();
    await page.locator('#document-file').setInputFiles({ name: 'Договор №42.pdf', mimeType: 'application/pdf', buffer: smallPdf() });
    await page.getByText('Выбран файл: Договор №42.pdf').waitFor();
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'Договор №42.pdf' }).waitFor();

    await page.getByRole('button', { name: 'Подписать' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Выполнить поиск сертификата в облаке УЦ Контур?').waitFor();
    await dialog.getByRole('button', { name: 'Найти сертификат в облаке' }).click();
    await dialog.getByRole('radio', { name: new RegExp(APPLICANT) }).waitFor({ state: 'attached' });
    await dialog.getByRole('button', { name: 'Подписать' }).click();
    await dialog.getByText(`оканчивающийся на ${phone.slice(-4)}`).waitFor();
    await screenshotAtBothWidths(page, 'signing-code');

    const sandbox = await sandboxPage();
    const code = await smsCodeFromSandboxPage(sandbox);
    await page.bringToFront();
    await dialog.getByRole('textbox', { name: 'Код из СМС' }).fill(code);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.getByText('Электронная подпись сформирована успешно').waitFor({ timeout: 30_000 });
    await dialog.getByText(`Подписант: ${APPLICANT}`).waitFor();
    await screenshotAtBothWidths(page, 'signing-done');
    await dialog.getByRole('button', { name: 'Закрыть', exact: true }).click();

    const signature = page.getByRole('article', { name: `Подпись: ${APPLICANT}` });
    await signature.waitFor();
    await signature.getByRole('button', { name: 'Проверить ещё раз' }).click();
    await signature.getByRole('status').waitFor();
    assert.equal(await signature.getByTestId('signature-result').textContent(), 'Подпись действительна');
    await screenshotAtBothWidths(page, 'document');
    await page.goto('/documents');
    await page.getByRole('row', { name: /Договор №42\.pdf/ }).getByText('Подписан (1)').waitFor();
    await screenshotAtBothWidths(page, 'documents');
    await context.close();
  });

  it('(3) a wrong SMS code is explained with the attempts left, and a retry succeeds', async () => {
    const { page, context } = await open();
    await signIn(page, employeeUser.username, employeeUser.password);
    await page.goto('/documents');
    await page.locator('#document-file').setInputFiles({ name: 'Акт.pdf', mimeType: 'application/pdf', buffer: smallPdf() });
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await page.getByRole('heading', { name: 'Акт.pdf' }).waitFor();
    const sandbox = await sandboxPage();
    const previous = await smsCodeFromSandboxPage(sandbox);

    await page.bringToFront();
    await page.getByRole('button', { name: 'Подписать' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Найти сертификат в облаке' }).click();
    await dialog.getByRole('button', { name: 'Подписать' }).click();
    await dialog.getByRole('textbox', { name: 'Код из СМС' }).waitFor();
    const code = await smsCodeFromSandboxPage(sandbox, previous);
    const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');

    await page.bringToFront();
    await dialog.getByRole('textbox', { name: 'Код из СМС' }).fill(wrong);
    await dialog.getByRole('button', { name: 'OK' }).click();
    const error = dialog.locator('#signing-code-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Неверный код из СМС\. Осталось попыток: 2/);
    await screenshotAtBothWidths(page, 'signing-wrong-code');

    await dialog.getByRole('textbox', { name: 'Код из СМС' }).fill(code);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await dialog.getByText('Электронная подпись сформирована успешно').waitFor({ timeout: 30_000 });
    await dialog.getByText(`Подписант: ${APPLICANT}`).waitFor();
    await dialog.getByRole('button', { name: 'Закрыть', exact: true }).click();
    await page.getByRole('article', { name: `Подпись: ${APPLICANT}` }).waitFor();
    await context.close();
    assert.deepEqual(pageErrors.flat(), []);
  });
});
