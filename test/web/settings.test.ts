import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, screenshotAtBothWidths, signIn } from './browser.ts';
import { generateKeyPair } from '../../src/crypto/gost3410.ts';
import { exportPrivateKeyPem } from '../../src/crypto/keys.ts';
import { certificateToPem, createSelfSignedRoot, issueEndEntityCertificate, naturalPersonSubject } from '../../src/crypto/x509.ts';

describe('web client: settings, users, API keys and the audit log', () => {
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

  it('a non-admin has no settings in the navigation and is refused at the direct URL', async () => {
    const operator = await createWebUser(t, 'operator');
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, operator.username, operator.password);
    const nav = page.getByRole('navigation', { name: 'Разделы' });
    assert.equal(await nav.getByRole('link', { name: 'Настройки' }).count(), 0);
    for (const path of ['/settings', '/settings/users', '/audit']) {
      await page.goto(path);
      await page.getByRole('heading', { name: 'Недостаточно прав' }).waitFor();
    }
    await screenshotAtBothWidths(page, 'forbidden');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('an employee user sees only their own card', async () => {
    const employee = await createWebUser(t, 'employee');
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, employee.username, employee.password);
    // An employee starts at her own issues (self-service).
    await page.waitForURL('**/my/issues');
    const nav = page.getByRole('navigation', { name: 'Разделы' });
    await nav.getByRole('link', { name: 'Документы' }).waitFor();
    // The sandbox console is not theirs, not even in sandbox mode.
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Мои заявки', 'Мои сертификаты', 'Моя карточка', 'Документы']);
    await nav.getByRole('link', { name: 'Моя карточка' }).click();
    await page.waitForURL(`**/employees/${employee.employeeId}`);
    await page.getByRole('heading', { name: 'Петрова Анна Сергеевна' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Изменить' }).count(), 0);
    await screenshotAtBothWidths(page, 'my-card');
    await page.goto('/employees');
    await page.getByRole('heading', { name: 'Недостаточно прав' }).waitFor();
    const other = await t.request('POST', '/api/v1/employees', { token: await t.token(), body: { lastName: 'Чужой', firstName: 'Иван', phone: '+79990001122' } });
    await page.goto(`/employees/${other.body.id}`);
    await page.getByText('Можно открыть только свою карточку').waitFor();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the admin changes connection settings; the API key stays masked', async () => {
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Настройки' }).click();
    await page.waitForURL('**/settings/connection');
    await page.getByText('встроенной песочницей').waitFor();
    await screenshotAtBothWidths(page, 'settings-connection');

    const timeout = page.getByRole('textbox', { name: 'Время ожидания ответа, мс' });
    await timeout.fill('500');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('#setting-RestClientMaxTimeout-error').filter({ hasText: 'от 1000 до 600000' }).waitFor();

    await timeout.fill('90000');
    const key = page.locator('#setting-KcrApiKey');
    await key.fill('production-key-7788');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Настройки сохранены').waitFor();
    assert.equal(await page.getByTestId('stored-key').textContent(), '****7788');
    assert.equal(await key.inputValue(), '', 'the key field empties after saving');

    await page.reload();
    await page.getByTestId('stored-key').waitFor();
    assert.equal(await page.getByTestId('stored-key').textContent(), '****7788');
    assert.equal(await timeout.inputValue(), '90000');
    assert.equal((await page.content()).includes('production-key-7788'), false, 'the key is never sent to the browser');

    await page.getByRole('button', { name: /Сбросить «Время ожидания ответа, мс»/ }).click();
    await page.getByText('Восстановлено значение по умолчанию').waitFor();
    assert.equal(await timeout.inputValue(), '60000');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the admin checks the connection step by step; GOST TLS needs an https address', async () => {
    await t.request('DELETE', '/api/v1/settings/KcrApiKey', { token: await t.token() });
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/settings/connection');
    await page.getByRole('button', { name: 'Проверить подключение' }).click();
    const report = page.getByTestId('connection-check');
    await report.getByText('Подключение работает').waitFor();
    const kcr = page.getByRole('list', { name: /Шаги проверки: KCR API/ });
    assert.deepEqual(await kcr.locator('strong').allTextContents(), ['Поиск адреса (DNS)', 'Соединение TCP', 'Рукопожатие TLS', 'API-ключ', 'Ответ API']);
    await report.getByText('API-ключ принят').waitFor();
    await report.getByText('Клиент опознан по параметру certificate').waitFor();
    await report.getByText('Не используется: адрес http://').first().waitFor();
    await screenshotAtBothWidths(page, 'settings-connection-check');

    const transport = page.locator('#setting-CryptoApiTransport');
    await transport.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'ГОСТ TLS через stunnel' }).click();
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('#setting-CryptoApiTransport-error').filter({ hasText: 'только с адресом https://' }).waitFor();
    await page.getByRole('button', { name: 'Отменить изменения' }).click();
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the admin creates an employee user and an API key that is shown once, then revokes it', async () => {
    await t.request('POST', '/api/v1/employees', { token: await t.token(), body: { lastName: 'Фёдорова', firstName: 'Елена', phone: '+79990003344', position: 'Менеджер' } });
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/settings/users');
    await page.getByRole('button', { name: 'Добавить пользователя' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Имя для входа' }).fill('fedorova');
    await dialog.getByRole('textbox', { name: 'Имя в интерфейсе' }).fill('Фёдорова Елена');
    await dialog.locator('#user-role').click();
    await page.getByRole('button', { name: 'Сотрудник', exact: true }).click();
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.getByText('Выберите карточку сотрудника').waitFor();
    await dialog.locator('#user-employeeId').click();
    await page.keyboard.type('Фёдор');
    await page.getByRole('button', { name: /Фёдорова Елена/ }).click();
    await dialog.locator('#user-password').fill('short');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await dialog.locator('#user-password-error').filter({ hasText: 'не короче' }).waitFor();
    await dialog.locator('#user-password').fill('elena-password-1');
    await dialog.getByRole('button', { name: 'Создать' }).click();
    await page.getByText('Пользователь fedorova создан').waitFor();
    // The linked card by its owner's name.
    await page.getByRole('row', { name: /fedorova/ }).getByRole('link', { name: /Фёдорова Елена/ }).waitFor();
    await screenshotAtBothWidths(page, 'settings-users');

    await page.getByRole('navigation', { name: 'Разделы настроек' }).getByRole('link', { name: 'API-ключи' }).click();
    await page.waitForURL('**/settings/api-keys');
    await page.getByRole('button', { name: 'Создать ключ' }).click();
    const keyDialog = page.getByRole('dialog');
    await keyDialog.locator('#api-key-user').click();
    await page.getByRole('button', { name: /\(admin,/ }).click();
    await keyDialog.getByRole('textbox', { name: 'Название' }).fill('СЭД Канцелярия');
    await keyDialog.getByRole('button', { name: 'Создать' }).click();
    const shown = page.getByTestId('created-api-key');
    await shown.waitFor();
    const token = await shown.inputValue();
    assert.ok(token.length > 20);
    const me = await t.request('GET', '/api/v1/auth/me', { token });
    assert.equal(me.status, 200, 'the shown key works');
    await page.getByRole('button', { name: 'Готово' }).click();
    await page.getByRole('row', { name: /СЭД Канцелярия/ }).getByText('Действует').waitFor();
    assert.equal((await page.content()).includes(token), false, 'the key is not shown again');
    await screenshotAtBothWidths(page, 'settings-api-keys');

    await page.getByRole('button', { name: 'Отозвать ключ «СЭД Канцелярия»' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Отозвать' }).click();
    await page.getByRole('row', { name: /СЭД Канцелярия/ }).getByText(/Отозван/).waitFor();
    assert.equal((await t.request('GET', '/api/v1/auth/me', { token })).status, 401);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the audit log filters by action and outcome', async () => {
    assert.equal((await t.request('POST', '/api/v1/auth/token', { body: { username: 'admin', password: 'wrong-password' } })).status, 401);
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/audit');
    await page.getByRole('cell', { name: 'Изменение настроек' }).first().waitFor();
    await screenshotAtBothWidths(page, 'audit');
    await page.locator('#audit-outcome').click();
    await page.getByRole('button', { name: 'Ошибка', exact: true }).click();
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL('**/audit?outcome=failure');
    await page.getByRole('cell', { name: 'Вход в систему' }).first().waitFor();
    const outcomes = await page.locator('tbody td[data-label="Результат"]').allTextContents();
    assert.ok(outcomes.length > 0 && outcomes.every((text) => text === 'Ошибка'), outcomes.join(','));
    await page.getByRole('button', { name: 'Сбросить' }).click();
    await page.waitForURL((url) => url.pathname === '/audit' && url.search === '');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  it('the admin trusts a root CA, stores a client certificate and adds a webhook whose secret is shown once', async () => {
    const rootKeys = generateKeyPair('cryptopro-A');
    const root = createSelfSignedRoot({ subject: { CN: 'Тестовый корневой УЦ', O: 'Тест', C: 'RU' }, privateKey: rootKeys.privateKey, publicKey: rootKeys.publicKey });
    const clientKeys = generateKeyPair('cryptopro-A');
    const client = issueEndEntityCertificate({
      subject: naturalPersonSubject({ lastName: 'Клиентов', firstName: 'Клиент' }),
      publicKey: clientKeys.publicKey,
      issuerCertificate: root,
      issuerPrivateKey: rootKeys.privateKey,
    });
    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, 'admin', ADMIN_PASSWORD);

    await page.goto('/settings/trusted-roots');
    await page.locator('#trusted-root-file').setInputFiles({ name: 'root.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(certificateToPem(root)) });
    await page.getByText('Добавлен корневой сертификат «Тестовый корневой УЦ»').waitFor();
    await page.getByRole('rowheader', { name: /Тестовый корневой УЦ/ }).waitFor();
    await screenshotAtBothWidths(page, 'settings-trusted-roots');
    await page.getByRole('button', { name: 'Удалить сертификат Тестовый корневой УЦ' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Удалить' }).click();
    await page.getByText('Сертификат удалён из доверенных').waitFor();
    // The notice can show before the list has reloaded: wait for the row to go, then check.
    await page.getByRole('rowheader', { name: /Тестовый корневой УЦ/ }).waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('rowheader', { name: /Тестовый корневой УЦ/ }).count(), 0);

    await page.getByRole('navigation', { name: 'Разделы настроек' }).getByRole('link', { name: 'Клиентские сертификаты' }).click();
    await page.getByRole('button', { name: 'Добавить сертификат' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#client-certificate-pem').setInputFiles({ name: 'client.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(certificateToPem(client)) });
    await dialog.locator('#client-key-pem').setInputFiles({ name: 'client.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(exportPrivateKeyPem(clientKeys.privateKey)) });
    await dialog.getByRole('button', { name: 'Добавить' }).click();
    await page.getByRole('rowheader', { name: /Клиентов Клиент/ }).getByText('Загружен как PEM').waitFor();
    assert.equal((await page.content()).includes('PRIVATE KEY'), false, 'the key is never shown');
    await screenshotAtBothWidths(page, 'settings-client-certificates');

    await page.goto('/settings/webhooks');
    await page.getByRole('button', { name: 'Добавить вебхук' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Адрес (URL)' }).fill('https://sed.example.ru/hooks/kontur');
    await page.getByRole('dialog').getByText('Статус заявки изменён').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Создать' }).click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    assert.ok(((await secret.textContent()) ?? '').length >= 16);
    await page.getByRole('row', { name: /sed\.example\.ru/ }).getByText('Статус заявки изменён').waitFor();
    await page.getByRole('button', { name: 'Доставки' }).click();
    await page.getByText('Событий ещё не было.').waitFor();
    await screenshotAtBothWidths(page, 'settings-webhooks');
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
