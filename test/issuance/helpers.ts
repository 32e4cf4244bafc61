// Shared steps of the issuance tests: valid Russian identifiers, employees, the sandbox console.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { TestServer } from '../support/server.ts';

export function validInn(): string {
  const d = Array.from({ length: 10 }, () => randomInt(10));
  const c = (w: number[]) => (w.reduce((s, x, i) => s + x * d[i], 0) % 11) % 10;
  d.push(c([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  d.push(c([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  // Not 00…: that prefix provokes a SMEV warning in the sandbox.
  if (d[0] === 0) return validInn();
  return d.join('');
}

export function validSnils(): string {
  const d = Array.from({ length: 9 }, () => randomInt(10));
  d[0] = 1 + randomInt(8); // above 001-001-998 and not 999…
  let control = d.reduce((s, x, i) => s + x * (9 - i), 0) % 101;
  if (control === 100) control = 0;
  const s = d.join('') + String(control).padStart(2, '0');
  return `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6, 9)} ${s.slice(9)}`;
}

export function mobilePhone(): string {
  return `+79${String(randomInt(1_000_000_000)).padStart(9, '0')}`;
}

export async function createEmployee(t: TestServer, token: string, extra: Record<string, string> = {}) {
  const response = await t.request('POST', '/api/v1/employees', {
    token,
    body: { lastName: 'Иванова', firstName: 'Мария', middleName: 'Петровна', email: `m${randomInt(1e9)}@example.ru`, phone: mobilePhone(), inn: validInn(), snils: validSnils(), birthDate: '1985-04-12', position: 'Бухгалтер', ...extra },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { id: string; phone: string; snils: string; inn: string; birthDate: string };
}

/** Calls a route and insists on the status, showing the body when it differs. */
export async function expectStatus(t: TestServer, status: number, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await t.request(method, path, options);
  assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`);
  return response;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The console call, retried while the issue is still in a state the operator cannot act on. */
export async function consoleAction(t: TestServer, token: string, path: string, body?: unknown) {
  return waitFor(`console ${path}`, async () => {
    const response = await t.request('POST', `/sandbox/console${path}`, { token, body });
    return response.status === 200 ? response.body : false;
  });
}

/** The issue's status at Kontur right now (fresh: not the mirror, which follows the event feed). */
export async function issueStatus(t: TestServer, token: string, id: string): Promise<string> {
  const response = await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token });
  return response.body.data.status;
}

export async function latestSmsCode(t: TestServer, token: string, phone: string): Promise<string> {
  const response = await expectStatus(t, 200, 'GET', `/sandbox/console/sms?phone=${encodeURIComponent(phone)}`, { token });
  assert.ok(response.body.messages.length > 0, 'an SMS was sent');
  return response.body.messages[0].code;
}

/** A 1×1 black PNG: the placeholder scan the manual allows for the simplified flow. */
export const ONE_PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');
