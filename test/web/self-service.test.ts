// Self-service and mail in Chromium: an employee follows her issue in «Мои заявки», signs her
// release statement with the SMS code, sees the operator's remarks, downloads her certificate in
// «Мои сертификаты» and switches her notices off; the administrator sets mail up, sends a test
// mail and reads it in the sandbox console's mailbox.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, latestSmsCode, ONE_PIXEL_PNG } from '../issuance/helpers.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, screenshotAtBothWidths, signIn } from './browser.ts';

describe('web client: employee self-service and mail', () => {
  let t: TestServer;
  let browser: Browser;
  let admin: string;
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    admin = await t.token();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the employee signs her statement, sees the remarks, downloads her certificate and switches notices off', async () => {
    const card = await createEmployee(t, admin);
    const identifier = await createEmployee(t, admin, { lastName: 'Сидоров', firstName: 'Олег', position: 'Специалист по кадрам' });
    const user = await createWebUser(t, 'employee', card.id);
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: card.id } });
    const id = created.body.data.id as string;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token: admin, body: { series: '4509', number: '123456', issueDate: '01.02.2015', issuerCode: '770-001', birthDate: '12.04.1985' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'Паспорт.png', data: ONE_PIXEL_PNG.toString('base64') } });

    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, user.username, user.password);
    await page.waitForURL('**/my/issues');
    await page.getByRole('heading', { name: 'Мои заявки', level: 1 }).waitFor();
    const issue = page.getByTestId('my-issue');
    await issue.getByText('Нужно от вас: Подпишите заявление на выпуск сертификата кодом из СМС').waitFor({ timeout: 15_000 });
    await issue.getByRole('button', { name: 'Прислать код в СМС' }).click();
    await issue.getByText(/Код отправлен на номер \+7 \*\*\*/).waitFor();
    await issue.getByLabel('Код из СМС').fill('12');
    await issue.getByRole('button', { name: 'Подписать заявление' }).click();
    await issue.getByText('Код из СМС: от 4 до 8 цифр').waitFor();
    await screenshotAtBothWidths(page, 'my-issues-code');
    await issue.getByLabel('Код из СМС').fill(await latestSmsCode(t, admin, card.phone));
    await issue.getByRole('button', { name: 'Подписать заявление' }).click();
    await issue.getByText('Что дальше: Заявление подписано: отдел кадров отправит заявку на проверку').waitFor({ timeout: 15_000 });

    // The CA operator returns it: the remarks appear without reloading the page (the issue's events).
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/correction`, { comment: 'Нечитаемый скан', remarks: [{ target: 'passport', message: 'Приложите разворот с фотографией' }] });
    await issue.getByText('Приложите разворот с фотографией').waitFor({ timeout: 15_000 });
    await issue.getByText(/Оператор удостоверяющего центра вернул заявку на исправление/).waitFor();
    await screenshotAtBothWidths(page, 'my-issues-correction');

    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'Разворот.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/approve`);
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/subject-identification`, { token: admin, body: { identifiedByEmployeeId: identifier.id } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/forward-to-cabinet`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/release`);
    await issue.getByRole('link', { name: 'Перейти к моим сертификатам' }).click({ timeout: 30_000 });
    await page.waitForURL('**/my/certificates');
    const row = page.getByTestId('my-certificate');
    await row.getByText(/Осталось \d+ (день|дня|дней)/).waitFor();
    await screenshotAtBothWidths(page, 'my-certificates');
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'Скачать .cer' }).click()]);
    assert.match(download.suggestedFilename(), /\.cer$/);
    const der = readFileSync((await download.path())!);
    const [certificate] = (await expectStatus(t, 200, 'GET', '/api/v1/me/certificates', { token: await t.token(user.username, user.password) })).body;
    assert.equal(createHash('sha1').update(der).digest('hex').toUpperCase(), certificate.thumbprint);

    // Her switch for mail notices.
    // Her name in the header opens her own page.
    await page.locator('a.shell__user-link').click();
    await page.getByRole('heading', { name: 'Уведомления по почте' }).waitFor();
    await page.getByText('Уведомления включены').waitFor();
    await page.getByText(/Адрес: m\d+@example\.ru/).waitFor();
    await page.getByTestId('mail-subscription').click();
    await page.getByText('Уведомления отключены', { exact: true }).first().waitFor();
    await screenshotAtBothWidths(page, 'notifications');
    const users = (await expectStatus(t, 200, 'GET', '/api/v1/users', { token: admin })).body as { id: string; mailNotifications: boolean }[];
    assert.equal(users.find((u) => u.id === user.userId)!.mailNotifications, false);

    // Another employee has no issue here, and staff pages stay closed.
    await page.goto('/issues');
    await page.getByRole('heading', { name: 'Недостаточно прав' }).waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();

    const other = await createWebUser(t, 'employee');
    const second = await openPage(browser, t.url);
    await signIn(second.page, other.username, other.password);
    await second.page.getByText('Заявок на ваш сертификат пока нет').waitFor();
    await second.page.goto('/my/certificates');
    await second.page.getByText('Сертификатов пока нет').waitFor();
    assert.deepEqual(second.errors, []);
    await second.page.context().close();
  });

  it('the administrator sees the sandbox catcher as the default SMTP, sends a test mail and opens it in the mailbox', async () => {
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/settings/mail');
    await page.getByTestId('mail-source').getByText(/встроенный перехватчик почты песочницы \(127\.0\.0\.1:\d+\)/).waitFor();
    // Bad values are named next to their fields, all at once.
    await page.getByLabel('SMTP-сервер').fill('smtp example');
    await page.getByLabel('Адрес отправителя').fill('не адрес');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Адрес SMTP-сервера: имя хоста или IP-адрес, например smtp.example.ru').waitFor();
    await page.getByText('Адрес отправителя: электронная почта, например ca@example.ru').waitFor();
    await page.getByLabel('SMTP-сервер').fill('');
    await page.getByLabel('Адрес отправителя').fill('');

    await page.getByLabel('Кому отправить проверочное письмо').fill('hr@example.ru');
    await page.getByRole('button', { name: 'Отправить проверочное письмо' }).click();
    await page.getByTestId('outbox-mail').filter({ hasText: 'hr@example.ru' }).getByText('Отправлено').waitFor({ timeout: 15_000 });
    await screenshotAtBothWidths(page, 'settings-mail');

    await page.goto('/sandbox-console');
    const caught = page.getByTestId('caught-mail').filter({ hasText: 'hr@example.ru' });
    await caught.waitFor({ timeout: 15_000 });
    await caught.getByRole('button', { name: 'Проверка отправки почты' }).click();
    const body = page.getByTestId('caught-mail-body');
    await body.getByText(/Это проверочное письмо: его отправил admin/).waitFor();
    await screenshotAtBothWidths(page, 'sandbox-mailbox');
    await body.getByRole('button', { name: 'Показать HTML-версию' }).click();
    await page.frameLocator('iframe.mail-html').getByText('Здравствуйте!').waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
