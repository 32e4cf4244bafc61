// Signing several documents in the browser: the signer selects three documents in the list,
// «Подписать выбранные» opens one dialog that previews what is signed (a PDF's first page drawn by
// pdf.js, a text file's name, size and Streebog hash), one SMS code signs all three, the dialog
// lists each document's outcome, and each signed PDF offers its stamped copy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { expectStatus, latestSmsCode } from '../issuance/helpers.ts';
import { signerWithCloudCertificate, smallPdf, uploadDocument, type Signer } from '../signing/helpers.ts';
import { buildWebClient, launchBrowser, openPage, screenshotAtBothWidths, signIn } from './browser.ts';

describe('web client: several documents signed with one SMS code', () => {
  let t: TestServer;
  let browser: Browser;
  let admin: string;
  let signer: Signer;
  before(async () => {
    buildWebClient();
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50', ISSUE_EVENTS_POLL_MS: '100' });
    admin = await t.token();
    signer = await signerWithCloudCertificate(t, admin);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('selects three documents, previews them, signs them with one code and shows each outcome with the stamped copies', async () => {
    const first = await uploadDocument(t, signer.token, 'Договор поставки.pdf', smallPdf(), 'application/pdf');
    const note = await uploadDocument(t, signer.token, 'Служебная записка.txt', Buffer.from('Прошу подписать договор поставки.\n'), 'text/plain');
    const second = await uploadDocument(t, signer.token, 'Акт приёмки.pdf', smallPdf(), 'application/pdf');
    const unselected = await uploadDocument(t, signer.token, 'Не подписывать.pdf', smallPdf(), 'application/pdf');

    const { page, errors } = await openPage(browser, t.url);
    await signIn(page, signer.username, signer.password);
    await page.goto('/documents');
    const signSelected = page.getByRole('button', { name: /Подписать выбранные/ });
    await signSelected.waitFor();
    assert.equal(await signSelected.isDisabled(), true, 'nothing selected yet');
    // Kontur's checkbox hides its input and draws its own box: a person clicks the box (the label).
    for (const name of ['Договор поставки.pdf', 'Служебная записка.txt', 'Акт приёмки.pdf']) {
      const checkbox = page.getByRole('checkbox', { name: `Выбрать «${name}»` });
      await page.locator('label', { has: checkbox }).click();
      assert.equal(await checkbox.isChecked(), true);
    }
    await page.getByRole('button', { name: 'Подписать выбранные (3)' }).click();

    const dialog = page.getByRole('dialog');
    await dialog.getByText('Подписание документов (3)').waitFor();
    // The PDF's first page, drawn by pdf.js on a canvas: not blank.
    const canvas = dialog.getByTestId('pdf-preview').locator('canvas').first();
    await canvas.waitFor();
    // Dark pixels in the top fifth of the page, where its line of text is (the browser's code, as a string: the tests have no DOM types).
    await page.waitForFunction(`(() => {
      const drawn = document.querySelector('[data-testid="pdf-preview"] canvas');
      if (!drawn || drawn.width === 0) return false;
      const pixels = drawn.getContext('2d').getImageData(0, 0, drawn.width, Math.max(1, Math.round(drawn.height / 5))).data;
      for (let index = 0; index < pixels.length; index += 4) if (pixels[index] < 128) return true;
      return false;
    })()`);
    await screenshotAtBothWidths(page, 'signing-several-preview');
    // The text file: its name, size and the hash the server computed.
    await dialog.getByRole('button', { name: 'Служебная записка.txt' }).click();
    assert.equal((await dialog.getByTestId('preview-hash').textContent())?.trim(), note.streebog256);
    assert.equal(await dialog.getByTestId('pdf-preview').count(), 0);

    await dialog.getByRole('button', { name: 'Найти сертификат в облаке' }).click();
    await dialog.getByRole('radio').first().waitFor({ state: 'attached' });
    const smsBefore = (await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(signer.phone)}`, { token: admin })).body.messages.length;
    await dialog.getByRole('button', { name: 'Подписать', exact: true }).click();
    await dialog.getByText(`оканчивающийся на ${signer.phone.slice(-4)}`).waitFor();
    const sms = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(signer.phone)}`, { token: admin });
    assert.equal(sms.body.messages.length, smsBefore + 1, 'one SMS for the three documents');
    await dialog.getByRole('textbox', { name: 'Код из СМС' }).fill(await latestSmsCode(t, admin, signer.phone));
    await dialog.getByRole('button', { name: 'OK' }).click();

    await dialog.getByText('Электронные подписи сформированы успешно').waitFor({ timeout: 30_000 });
    const results = dialog.getByTestId('signing-result');
    assert.equal(await results.count(), 3);
    for (const name of ['Договор поставки.pdf', 'Служебная записка.txt', 'Акт приёмки.pdf']) await results.filter({ hasText: name }).getByText('Подписан', { exact: true }).waitFor();
    // The stamped copy: offered for the two PDFs, not for the text file.
    const stamps = dialog.getByRole('link', { name: 'Скачать с отметкой о подписи' });
    assert.equal(await stamps.count(), 2);
    const href = await stamps.first().getAttribute('href');
    assert.ok(href);
    const stamped = await page.request.get(href);
    assert.equal(stamped.status(), 200);
    assert.equal((await stamped.body()).subarray(0, 5).toString('latin1'), '%PDF-');
    await screenshotAtBothWidths(page, 'signing-several-done');
    await dialog.getByRole('button', { name: 'Закрыть', exact: true }).click();

    for (const name of ['Договор поставки.pdf', 'Служебная записка.txt', 'Акт приёмки.pdf']) await page.getByRole('row', { name: new RegExp(name.replace('.', '\\.')) }).getByText('Подписан (1)').waitFor();
    await page.getByRole('row', { name: /Не подписывать\.pdf/ }).getByText('Не подписан').waitFor();
    for (const document of [first, note, second]) {
      const listed = await expectStatus(t, 200, 'GET', `/api/v1/documents/${document.id}`, { token: signer.token });
      assert.equal(listed.body.signatures.length, 1);
    }
    assert.equal((await expectStatus(t, 200, 'GET', `/api/v1/documents/${unselected.id}`, { token: signer.token })).body.signatures.length, 0);

    // The document page offers the stamped copy of its signature too.
    await page.getByRole('link', { name: 'Договор поставки.pdf' }).click();
    await page.getByRole('article').getByRole('link', { name: 'Скачать с отметкой о подписи' }).waitFor();
    assert.deepEqual(errors, []);
  });
});
