import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, personalInn, screenshotAtBothWidths, signIn } from './browser.ts';

describe('web client: employee directory', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  before(async () => {
    buildWebClient();
    t = await startTestServer();
    browser = await launchBrowser();
    const operator = await createWebUser(t, 'operator');
    ({ page, errors } = await openPage(browser, t.url));
    await signIn(page, operator.username, operator.password);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an operator sees the directory, issues and documents in the navigation, not the sandbox', async () => {
    await page.waitForURL('**/employees');
    const nav = page.getByRole('navigation', { name: 'Разделы' });
    await nav.getByRole('link', { name: 'Документы' }).waitFor();
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Сотрудники', 'Заявки на сертификат', 'Сертификаты', 'Анкеты Реестро', 'Документы']);
    await page.getByText('В справочнике пока нет сотрудников.').waitFor();
  });

  it('creates an employee: the bad INN is named under its field, the fixed card opens', async () => {
    await page.getByRole('button', { name: 'Добавить сотрудника' }).click();
    await page.waitForURL('**/employees/new');
    await page.getByRole('textbox', { name: 'Фамилия' }).fill('Смирнова');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Ольга');
    await page.getByRole('textbox', { name: 'Отчество' }).fill('Викторовна');
    await page.getByRole('textbox', { name: 'Мобильный телефон' }).fill('8 (912) 345-67-89');
    await page.getByRole('textbox', { name: 'ИНН' }).fill('500100732258');
    await page.getByRole('textbox', { name: 'Должность' }).fill('Главный бухгалтер');
    await page.getByRole('button', { name: 'Создать' }).click();

    const innError = page.locator('#employee-inn-error');
    await innError.waitFor();
    assert.match(await innError.textContent() ?? '', /контрольное число ИНН/);
    assert.equal(await page.getByRole('textbox', { name: 'ИНН' }).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#employee-inn:focus').count(), 1, 'focus moves to the bad field');
    await screenshotAtBothWidths(page, 'employee-form-error');

    await page.getByRole('textbox', { name: 'ИНН' }).fill('500100732259');
    await page.getByRole('button', { name: 'Создать' }).click();
    await page.waitForURL(/\/employees\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Смирнова Ольга Викторовна' }).waitFor();
    await page.getByText('+7 912 345-67-89').waitFor();
    await page.getByText('В карточке пока нет сертификатов.').waitFor();
  });

  it('finds the employee by search and opens the card', async () => {
    await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Сотрудники' }).click();
    await page.waitForURL('**/employees');
    await page.getByRole('searchbox', { name: 'Поиск сотрудников' }).fill('бухгалтер смирн');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/employees?q=*');
    await page.getByText('Найдено: 1').waitFor();
    await page.getByRole('link', { name: 'Смирнова Ольга Викторовна' }).click();
    await page.getByRole('heading', { name: 'Смирнова Ольга Викторовна' }).waitFor();
    await screenshotAtBothWidths(page, 'employee-card');

    await page.getByRole('button', { name: 'Изменить' }).click();
    await page.getByRole('textbox', { name: 'Подразделение' }).fill('Бухгалтерия');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('heading', { name: 'Смирнова Ольга Викторовна' }).waitFor();
    await page.getByText('Главный бухгалтер, Бухгалтерия').waitFor();

    await page.goto('/employees?q=нет-такого');
    await page.getByText('По запросу «нет-такого» никого не нашлось.').waitFor();
  });

  it('imports a CSV file and reports the bad rows with their line and field', async () => {
    const rows = [
      'Фамилия;Имя;Отчество;Мобильный телефон;ИНН;Должность;Подразделение',
      `Кузнецов;Павел;Андреевич;+79120000001;${personalInn(1)};Юрист;Юридический отдел`,
      `Орлова;Мария;;+79120000002;${personalInn(2)};Кадровик;Отдел кадров`,
      'Васильев;;Игоревич;+79120000003;;Водитель;Гараж',
      'Морозов;Денис;;12345;;Инженер;ИТ',
    ];
    const surnames = ['Иванов', 'Соколов', 'Попов', 'Лебедев', 'Козлов', 'Новиков', 'Волков', 'Зайцев', 'Павлов', 'Семёнов', 'Голубев'];
    const names = ['Алексей', 'Игорь'];
    for (let index = 3; index <= 24; index++) {
      const surname = surnames[index % surnames.length];
      rows.push(`${surname};${names[index % 2]};;+791200000${String(index).padStart(2, '0')};${personalInn(index)};Кладовщик;Склад`);
    }
    await page.goto('/employees/import');
    await page.locator('input[type=file]').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n'), 'utf8') });
    await page.getByRole('button', { name: 'Загрузить' }).click();
    const report = page.getByRole('region', { name: 'Результат импорта' });
    await report.waitFor();
    const summary = await report.locator('.import-summary__item').allTextContents();
    assert.deepEqual(summary, ['Строк в файле26', 'Добавлено24', 'Обновлено0', 'Без изменений0', 'С ошибками2']);
    const problems = await report.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.deepEqual(problems[0].slice(0, 2), ['4', 'Имя']);
    assert.deepEqual(problems[1].slice(0, 2), ['5', 'Мобильный телефон']);
    await screenshotAtBothWidths(page, 'employee-import');

    await page.goto('/employees');
    await page.getByText('Найдено: 25').waitFor();
    await page.getByRole('navigation', { name: 'Страницы списка' }).waitFor();
    await screenshotAtBothWidths(page, 'employee-list');
    assert.deepEqual(errors, []);
  });
});
