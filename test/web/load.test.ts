// The web client's first load: a loader in the HTML itself, the client split by page, and the
// static files sent compressed (brotli or gzip, whichever the browser accepts, else as they are).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildWebClient, launchBrowser, openPage } from './browser.ts';

/** A raw GET (no automatic decompression): status, headers and the bytes as sent. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

describe('web client: first load', () => {
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

  it('sends scripts and the page compressed: brotli or gzip as accepted, plain otherwise', async () => {
    const html = await rawGet(`${t.url}/login`, { accept: 'text/html' });
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html.body.toString())?.[1];
    assert.ok(script, 'the page names its entry script');
    const plain = await rawGet(t.url + script, { 'accept-encoding': 'identity' });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /accept-encoding/i);

    const brotli = await rawGet(t.url + script, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(brotli.headers['content-encoding'], 'br');
    assert.match(String(brotli.headers['content-type']), /javascript/);
    assert.match(String(brotli.headers['cache-control']), /immutable/);
    assert.ok(brotli.body.length < plain.body.length / 2, `brotli ${brotli.body.length} B against ${plain.body.length} B`);
    assert.deepEqual(brotliDecompressSync(brotli.body), plain.body);

    const gzip = await rawGet(t.url + script, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), plain.body);

    const page = await rawGet(`${t.url}/issues/some-issue`, { accept: 'text/html', 'accept-encoding': 'br' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-encoding'], 'br');
    assert.match(brotliDecompressSync(page.body).toString(), /class="boot-loader"/);
  });

  it('shows a loader before any script runs, and loads a page’s code only when it is opened', async () => {
    const held = await openPage(browser, t.url);
    // Scripts held back: what the browser paints from the HTML alone.
    await held.page.route('**/assets/*.js', () => undefined);
    await held.page.goto('/login', { waitUntil: 'commit' });
    await held.page.getByRole('status').getByText('Загрузка…').waitFor();
    await held.page.context().close();

    const { page, errors } = await openPage(browser, t.url);

    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto('/login');
    await page.getByLabel('Имя пользователя').waitFor();
    assert.ok(scripts.some((path) => /\/LoginPage-/.test(path)), `the sign-in page's chunk: ${scripts.join(', ')}`);
    assert.ok(!scripts.some((path) => /\/(IssuePage|SettingsPage|AuditPage)-/.test(path)), `no other page's code: ${scripts.join(', ')}`);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
