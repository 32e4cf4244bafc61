// Issue 15's findings 1–7 in the browser, as an HR officer meets them: refusals that name their
// fields, the issue page that brings the waiting step into view with finished steps collapsed,
// Russian history wording, an SMS code that survives a reload, a passport form that reports all
// its errors at once, names instead of ids, one line of steps, statements that open in the
// browser, and a navigation that fits a phone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { consoleAction, createEmployee, expectStatus, latestSmsCode, mobilePhone, ONE_PIXEL_PNG, waitFor } from '../issuance/helpers.ts';
import { smallPdf, uploadDocument, wrongCode } from '../signing/helpers.ts';
import { buildWebClient, createWebUser, launchBrowser, openPage, SCREENSHOT_DIR, signIn } from './browser.ts';

/** Saves the page at 1440×900 and 390×844 as `<name>-1440.png` and `<name>-390.png`. */
async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const size of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size.width}.png`) });
  }
  if (original) await page.setViewportSize(original);
}

/** Waits until the element's top is on screen: the page scrolled it into view by itself. */
async function waitUntilInView(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(`(() => { const r = document.querySelector('${selector}')?.getBoundingClientRect(); return Boolean(r) && r.top >= 0 && r.top < innerHeight - 40; })()`, undefined, { timeout: 10_000 });
}

/** Whether the element's top is on screen (between the top and the bottom of the viewport). */
async function topInView(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const height = page.viewportSize()!.height;
  return Boolean(box && box.y >= 0 && box.y < height - 40);
}

describe('web client: the people’s day (issue 15, findings 1–7)', () => {
  let t: TestServer;
  let browser: Browser;
  let admin: string;
  let page: Page;
  let errors: string[];
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    browser = await launchBrowser();
    admin = await t.token();
    const operator = await createWebUser(t, 'admin');
    ({ page, errors } = await openPage(browser, t.url));
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, operator.username, operator.password);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('(1) names the fields issuance needs: on the card form and before creating an issue', async () => {
    const card = await t.request('POST', '/api/v1/employees', { token: admin, body: { lastName: 'Белова', firstName: 'Ольга', phone: mobilePhone() } });
    assert.equal(card.status, 201);
    await page.goto(`/employees/${card.body.id}/issue`);
    const missing = page.getByTestId('missing-for-issuance');
    await missing.waitFor();
    assert.match((await missing.textContent()) ?? '', /Электронная почта[\s\S]*ИНН/);
    assert.equal(await page.getByRole('button', { name: 'Создать заявку' }).isDisabled(), true);
    await screenshots(page, 'people-issue-start-missing');

    await page.goto('/employees/new');
    assert.match((await page.locator('#employee-form-note').textContent()) ?? '', /Для выпуска сертификата нужны ещё электронная почта и ИНН/);
    // The server's refusal of an issue names the fields in the banner, not "Обязательное поле" twice.
    const refused = await t.request('POST', '/api/v1/issues', { token: admin, body: { employeeId: card.body.id } });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body.errors.map((e: { field: string }) => e.field).sort(), ['email', 'inn']);
  });

  it('(2, 3, 4, 5, 7) the issue page: waiting step in view, all passport errors at once, the code field survives a reload, Russian history', async () => {
    const employee = await createEmployee(t, admin);
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: employee.id, cspType: 'dss' } });
    const id = created.body.data.id as string;

    await page.goto(`/issues/${id}`);
    await page.locator('#step-identity').waitFor();
    await waitUntilInView(page, '#step-identity');
    assert.ok(await topInView(page, '#step-identity'), 'the passport step is brought into view at 1440×900');
    // (7) the seven steps in one line.
    const tops = await page.locator('.steps__item').evaluateAll((items) => items.map((item) => Math.round(item.getBoundingClientRect().top)));
    assert.equal(tops.length, 7);
    assert.equal(new Set(tops).size, 1, `one line of steps: ${tops.join(', ')}`);

    // (5) all errors at once, each next to its field; a future issue date refused.
    await page.locator('#passport-series').fill('45');
    await page.locator('#passport-issueDate').fill('01.01.2099');
    await page.locator('#passport-issuerCode').fill('770002');
    await page.getByRole('button', { name: 'Сохранить реквизиты' }).click();
    await page.locator('#passport-series-error').waitFor();
    assert.equal(await page.locator('#passport-series-error').textContent(), 'Серия паспорта состоит из 4 цифр');
    assert.equal(await page.locator('#passport-number-error').textContent(), 'Обязательное поле');
    assert.equal(await page.locator('#passport-issueDate-error').textContent(), 'Дата выдачи не может быть в будущем');
    assert.equal(await page.locator('#passport-issuerCode-error').count(), 0);
    await screenshots(page, 'people-passport-errors');
    const future = await t.request('PUT', `/api/v1/issues/${id}/documents/passport`, { token: admin, body: { series: '4510', number: '654321', issueDate: '2099-01-01', issuerCode: '770002' } });
    assert.equal(future.status, 400);
    assert.deepEqual(future.body.errors.map((e: { field: string }) => e.field), ['issueDate']);

    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token: admin, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002', birthDate: '1985-04-12' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });

    // (2) the statement waits now: in view, and the finished passport step is a summary.
    await page.reload();
    await page.locator('#step-statement[aria-current="step"]').waitFor();
    await waitUntilInView(page, '#step-statement');
    assert.ok(await topInView(page, '#step-statement'), 'the statement step is brought into view');
    assert.equal(await page.locator('#passport-series').count(), 0, 'the finished passport step shows no form');
    assert.match((await page.locator('#step-identity').textContent()) ?? '', /Паспорт 4510 654321/);
    await page.locator('#step-identity').getByRole('button', { name: 'Изменить' }).click();
    await page.locator('#passport-series').waitFor();

    // (7) the statement opens in the browser rather than downloading.
    const statement = await page.request.get(`/api/v1/issues/${id}/templates/releaseStatement`);
    assert.equal(statement.status(), 200);
    assert.match(statement.headers()['content-disposition'] ?? '', /^inline/);

    // (4) a code sent: countdown and lifetime shown, and the field is still there after a reload.
    await page.getByRole('button', { name: 'Отправить код в СМС' }).click();
    await page.locator('#statement-sms-code').waitFor();
    assert.match((await page.getByTestId('resend-countdown').textContent()) ?? '', /через 0:[0-5]\d|через 1:00/);
    assert.match((await page.getByTestId('code-lifetime').textContent()) ?? '', /^\d+:\d\d$/);
    const masked = `+7 *** ***-${employee.phone.slice(-4, -2)}-${employee.phone.slice(-2)}`;
    assert.equal(await page.getByText(masked).count(), 2, 'one spelling of the masked phone');
    await page.reload();
    await page.locator('#statement-sms-code').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Отправить код ещё раз' }).isDisabled(), true);

    // (3) a mistyped code is said as such, next to the field and in the history.
    const code = await waitFor('the statement code', async () => latestSmsCode(t, admin, employee.phone).catch(() => undefined));
    await page.locator('#statement-sms-code').fill(wrongCode(code));
    await page.getByRole('button', { name: 'Подписать заявление' }).click();
    await page.locator('#statement-sms-code-error').waitFor();
    assert.match((await page.locator('#statement-sms-code-error').textContent()) ?? '', /^Неверный код из СМС/);
    await page.getByText('Не удалось подписать заявление на выпуск').waitFor();
    const timeline = (await page.locator('.timeline').textContent()) ?? '';
    assert.doesNotMatch(timeline, /Не удалось:|generateRequestTemplate|не принял данные заявки|[a-z][A-Z][a-z]+[A-Z]/);
    assert.match(timeline, /Сформирован шаблон запроса на сертификат/);
    await screenshots(page, 'people-issue-statement');
  });

  it('(5) a scan the CA operator rejected can be removed from the issue page', async () => {
    const employee = await createEmployee(t, admin);
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token: admin, body: { employeeId: employee.id, cspType: 'dss' } });
    const id = created.body.data.id as string;
    await expectStatus(t, 200, 'PUT', `/api/v1/issues/${id}/documents/passport`, { token: admin, body: { series: '4510', number: '654321', issueDate: '2016-03-04', issuerCode: '770002' } });
    await expectStatus(t, 201, 'POST', `/api/v1/issues/${id}/documents/passport/scans`, { token: admin, body: { name: 'point.png', data: ONE_PIXEL_PNG.toString('base64') } });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/esia-confirmation`, { token: admin, body: { employeeId: employee.id } });
    await consoleAction(t, admin, `/issues/${id}/esia`, { result: 'confirmed' });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/release-statement/sign`, { token: admin, body: {} });
    await expectStatus(t, 200, 'POST', `/api/v1/issues/${id}/validation`, { token: admin });
    await consoleAction(t, admin, `/issues/${id}/correction`, { comment: 'Нечитаемый скан', remarks: [{ target: 'passport', message: 'Скан нечитаем: приложите другой' }] });

    await page.goto(`/issues/${id}`);
    await page.getByText('Скан нечитаем: приложите другой').first().waitFor();
    const change = page.locator('#step-identity').getByRole('button', { name: 'Изменить' });
    if (await change.count()) await change.click();
    await page.getByRole('button', { name: 'Удалить страницу 1' }).click();
    await page.getByText('Скан удалён').first().waitFor();
    const pages = await waitFor('the page gone at Kontur', async () => {
      const issue = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token: admin });
      const count = issue.body.data.documents.find((d: { type: string }) => d.type === 'passport')?.pages.length ?? 0;
      return count === 0 ? 'none' : false;
    });
    assert.equal(pages, 'none');
  });

  it('(6) names, not ids: documents with owner, uploader and signer, human file types, users by card name', async () => {
    const employee = await createEmployee(t, admin, { lastName: 'Зайцева', firstName: 'Дарья', middleName: 'Олеговна' });
    const document = await uploadDocument(t, admin, 'Приказ.pdf', smallPdf(), 'application/pdf', `&ownerEmployeeId=${employee.id}`);
    await page.goto('/documents');
    await page.getByRole('link', { name: 'Приказ.pdf' }).waitFor();
    const headers = await page.locator('table.data-table thead th').allTextContents();
    assert.ok(headers.includes('Сотрудник') && headers.includes('Подписал'), headers.join(', '));
    await page.getByRole('row', { name: /Приказ\.pdf/ }).getByText('Зайцева Дарья Олеговна').waitFor();

    await page.goto(`/documents/${document.id}`);
    await page.getByRole('heading', { name: 'Приказ.pdf' }).waitFor();
    const details = (await page.locator('dl.details').first().textContent()) ?? '';
    assert.match(details, /ТипPDF/);
    assert.doesNotMatch(details, /application\/pdf|[0-9a-f]{8}-[0-9a-f]{4}-/);
    assert.match(details, /Зайцева Дарья Олеговна/);

    const linked = await t.request('POST', '/api/v1/users', { token: admin, body: { username: `zaytseva-${Date.now()}`, role: 'employee', password: 'zaytseva-password-1', employeeId: employee.id } });
    assert.equal(linked.status, 201);
    await page.goto('/settings/users');
    await page.getByRole('link', { name: 'Зайцева Дарья Олеговна' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Открыть', exact: true }).count(), 0);
    await screenshots(page, 'people-documents-users');
  });

  it('(7) at 390 px every navigation link is on screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/employees');
    await page.locator('h1').first().waitFor();
    const links = page.locator('.shell__nav-link');
    const count = await links.count();
    assert.ok(count >= 5, `an administrator has the sections: ${count}`);
    for (let index = 0; index < count; index++) {
      const box = (await links.nth(index).boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `${await links.nth(index).textContent()} at ${box.x}…${box.x + box.width}`);
    }
    await screenshots(page, 'people-navigation');
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(errors, []);
  });
});
