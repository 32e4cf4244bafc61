import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, screenshotAtBothWidths } from './browser.ts';

describe('web client: sign-in', () => {
  let t: TestServer;
  let browser: Browser;
  before(async () => {
    buildWebClient();
    t = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves the client at / and deep links, while API paths keep problem+json 404s', async () => {
    const root = await fetch(`${t.url}/employees/some-card`, { headers: { accept: 'text/html' } });
    assert.equal(root.status, 200);
    assert.match(await root.text(), /<div id="root">/);
    const api = await fetch(`${t.url}/api/v1/no-such-thing`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type') ?? '', /problem\+json/);
    const asset = await fetch(`${t.url}/assets/no-such-file.js`);
    assert.equal(asset.status, 404);
  });

  it('asks for both fields, then says when the password is wrong', async () => {
    const { page, errors } = await openPage(browser, t.url);
    await page.goto('/');
    await page.waitForURL('**/login');
    await screenshotAtBothWidths(page, 'login');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByText('Введите имя пользователя').waitFor();
    await page.getByText('Введите пароль').waitFor();

    await page.getByLabel('Имя пользователя').fill('admin');
    await page.getByLabel('Пароль').fill('not-the-password');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.getByRole('alert').filter({ hasText: 'Неверное имя пользователя или пароль' }).waitFor();
    assert.equal(await page.getByLabel('Пароль').inputValue(), '', 'the wrong password is cleared');
    await screenshotAtBothWidths(page, 'login-error');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('tells the user to wait after too many failed attempts', async () => {
    const user = await createWebUser(t, 'operator');
    const { page } = await openPage(browser, t.url);
    await page.goto('/login');
    await page.getByLabel('Имя пользователя').fill(user.username);
    for (let attempt = 0; attempt < 6; attempt++) {
      await page.getByLabel('Пароль').fill(`wrong-${attempt}`);
      await page.getByRole('button', { name: 'Войти' }).click();
      // The form clears the password when an attempt fails: then the next one may start.
      while ((await page.getByLabel('Пароль').inputValue()) !== '') await page.waitForTimeout(50);
    }
    await page.getByRole('alert').filter({ hasText: 'Слишком много попыток входа. Повторите через 15 минут.' }).waitFor();
    await page.context().close();
  });

  it('signs the admin in, keeps the session on reload and signs out', async () => {
    const { page, errors } = await openPage(browser, t.url);
    await page.goto('/audit');
    await page.waitForURL('**/login?from=%2Faudit');
    await page.getByLabel('Имя пользователя').fill('admin');
    await page.getByLabel('Пароль').fill(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/audit');
    await page.getByRole('heading', { name: 'Журнал' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Журнал' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Разделы' });
    await nav.getByRole('link', { name: 'Песочница' }).waitFor();
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Сотрудники', 'Заявки на сертификат', 'Сертификаты', 'Анкеты Реестро', 'Документы', 'Настройки', 'Журнал', 'Песочница']);
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.waitForURL('**/login');
    await page.goto('/employees');
    await page.waitForURL('**/login?from=%2Femployees');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
