// Shared by the web client tests: builds the client if its sources changed, drives Debian's
// Chromium through playwright-core (never a downloaded browser), signs users in through the
// login form and saves screenshots at desktop and phone widths.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestServer } from '../support/server.ts';
import { pagesUnderAudit } from './axe.ts';
import type { Role } from '../../src/domain/roles.ts';

const projectDir = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOT_DIR = join(projectDir, 'test-artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs scripts/build-web.js: builds web/dist only when it is missing or older than web/. */
export function buildWebClient(): void {
  const result = spawnSync(process.execPath, [join(projectDir, 'scripts', 'build-web.js')], { cwd: projectDir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`web client build failed:\n${result.stdout}\n${result.stderr}`);
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context (its own cookies) with a desktop viewport, failing on page errors. */
export async function openPage(browser: Browser, baseURL: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'ru-RU' });
  const page = await context.newPage();
  const errors: string[] = [];
  // Each error names the page it happened on.
  const where = () => page.url().replace(/^https?:\/\/[^/]+/, '');
  page.on('pageerror', (error) => errors.push(`${where()}: ${error.message}`));
  page.on('console', (message) => {
    // A CSP violation or a crash shows here; expected failed requests (401/4xx) do not count.
    if (message.type() !== 'error' || /Failed to load resource/.test(message.text())) return;
    if (pagesUnderAudit.has(page) && /'unsafe-eval'/.test(message.text())) return;
    errors.push(`${where()}: ${message.text()}`);
  });
  return { page, errors };
}

export interface WebUser {
  username: string;
  password: string;
  userId: string;
  employeeId: string | null;
}

let created = 0;

/** A user with a password (and, for `employee`, a linked card), made through the API as admin. */
export async function createWebUser(t: TestServer, role: Role, employeeId: string | null = null): Promise<WebUser> {
  const admin = await t.token();
  created++;
  if (role === 'employee' && !employeeId) {
    const card = await t.request('POST', '/api/v1/employees', {
      token: admin,
      body: { lastName: 'Петрова', firstName: 'Анна', middleName: 'Сергеевна', phone: `+7901${String(10000000 + created).slice(1)}` },
    });
    if (card.status !== 201) throw new Error(`cannot create an employee: ${JSON.stringify(card.body)}`);
    employeeId = card.body.id;
  }
  const username = `${role}-${created}-${randomBytes(2).toString('hex')}`;
  const password = 'web-password-1';
  const user = await t.request('POST', '/api/v1/users', { token: admin, body: { username, role, password, employeeId, displayName: `Тест ${role} ${created}` } });
  if (user.status !== 201) throw new Error(`cannot create a user: ${JSON.stringify(user.body)}`);
  return { username, password, userId: user.body.id, employeeId };
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/**
 * The sandbox console in a browser context of its own, signed in as a user with the `sandbox` role
 * (employees and operators do not open it): it plays the phone, Госуслуги and the CA operator.
 */
export async function openSandboxConsole(browser: Browser, t: TestServer): Promise<{ page: Page; errors: string[] }> {
  const tester = await createWebUser(t, 'sandbox');
  const opened = await openPage(browser, t.url);
  await signIn(opened.page, tester.username, tester.password);
  await opened.page.waitForURL('**/sandbox-console');
  return opened;
}

/** Saves the page at 1280 and 375 px wide as `<name>-1280.png` and `<name>-375.png`. */
export async function screenshotAtBothWidths(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: width === 375 ? 740 : 800 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** A valid 12-digit personal INN (the tax service's two check digits) built from a number. */
export function personalInn(seed: number): string {
  const digits = String(100000000 + seed).padStart(10, '0').slice(-10).split('').map(Number);
  const check = (weights: number[]) => (weights.reduce((sum, weight, index) => sum + weight * digits[index], 0) % 11) % 10;
  digits.push(check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  digits.push(check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  return digits.join('');
}
