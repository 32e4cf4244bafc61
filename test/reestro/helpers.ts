// Shared steps of the Реестро tests: calls to the Реестро sandbox with its own authorization,
// subjects in Kontur's wire format (seed 004's person, with valid identifiers), small real files.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import type { TestServer } from '../support/server.ts';
import { validInn, validSnils } from '../issuance/helpers.ts';

/** The sandbox's documented development credentials (docs/sandbox.md). */
export const SANDBOX_REESTRO_API_KEY = '5a4db0c5-0000-4000-8000-000000000001';
export const SANDBOX_REESTRO_ORG_ID = '5a4db0c5-0000-4000-8000-0000000000a1';
export const AUTHORIZATION = `ReestroAuth apiKey=${SANDBOX_REESTRO_API_KEY}&portal.orgid=${SANDBOX_REESTRO_ORG_ID}`;

export const ENTITY = '/sandbox/reestro/realty/entity/v1';
export const CRYPTO = '/sandbox/reestro/realty/crypto/v2';

/** A tiny but real PDF (starts with %PDF-), different each time unless `text` is given. */
export function pdfBytes(text = `scan ${randomInt(1e9)}`): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

export function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex').toUpperCase();
}

/** A call to the Реестро sandbox; JSON bodies are sent as `Application/json`, as seed 004 writes it. */
export async function reestro(t: TestServer, method: string, path: string, options: { body?: unknown; raw?: Buffer; contentType?: string; authorization?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization !== null) headers.authorization = options.authorization ?? AUTHORIZATION;
  let body: Buffer | string | undefined;
  if (options.raw) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/pdf';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'Application/json';
  }
  const response = await fetch(t.url + path, { method, headers, body });
  const buffer = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, bytes: buffer, body: type.includes('json') && buffer.length ? JSON.parse(buffer.toString('utf8')) : buffer.toString('utf8') };
}

export async function expectReestro(t: TestServer, status: number, method: string, path: string, options: Parameters<typeof reestro>[3] = {}) {
  const response = await reestro(t, method, path, options);
  assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`);
  return response;
}

export function address(withStreet = true) {
  return {
    structuralAddress: {
      region: '54',
      city: { name: 'Новосибирск', abbreviation: 'г' },
      ...(withStreet ? { street: { name: 'Челюскинцев', abbreviation: 'ул' }, house: { name: '14', abbreviation: 'д' } } : {}),
    },
  };
}

/** seed 004's person (Тарасова Анастасия Константиновна), with identifiers whose control numbers hold. */
export function seedPerson(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Анастасия',
    surname: 'Тарасова',
    patronymic: 'Константиновна',
    dateBirth: '1990-01-01',
    birthPlace: 'Где то',
    snils: validSnils(),
    inn: validInn(),
    email: 'imya@yandex.ru',
    phone: '79699999999',
    gender: 'Female',
    identityDocument: { documentType: '008001001000', number: '123456', series: '1111', issueDate: '2018-12-12', issuer: { issuerCode: '123-123', issuerName: 'кем-то' } },
    citizenship: '848000000643',
    address: address(),
    ...overrides,
  };
}

/** A valid OGRN (13 digits) with its control digit. */
export function validOgrn(): string {
  const body = `1${String(randomInt(1e11)).padStart(11, '0')}`;
  return body + String(Number((BigInt(body) % 11n) % 10n));
}

/** A valid OGRNIP (15 digits) with its control digit. */
export function validOgrnip(): string {
  const body = `3${String(randomInt(1e13)).padStart(13, '0')}`;
  return body + String(Number((BigInt(body) % 13n) % 10n));
}

/** A valid INN of a legal entity (10 digits). */
export function validLegalInn(): string {
  const d = Array.from({ length: 9 }, () => randomInt(10));
  d[0] = 1 + randomInt(8);
  d.push((([2, 4, 10, 3, 5, 9, 4, 6, 8].reduce((s, w, i) => s + w * d[i], 0)) % 11) % 10);
  return d.join('');
}

export function seedOrganization(overrides: Record<string, unknown> = {}) {
  return { name: 'ООО «Ромашка»', kpp: '540601001', regDate: '2010-05-20', address: address(), nativeOrgParams: { ogrn: validOgrn(), inn: validLegalInn() }, ...overrides };
}

export async function createSubject(t: TestServer, body: Record<string, unknown>): Promise<string> {
  const response = await expectReestro(t, 201, 'POST', `${ENTITY}/subjects`, { body });
  return response.body.subjectId;
}

export async function uploadContent(t: TestServer, bytes = pdfBytes(), contentType = 'application/pdf') {
  const response = await expectReestro(t, 201, 'POST', `${CRYPTO}/contents`, { raw: bytes, contentType });
  return response.body as { contentId: string; contentType: string; md5: string; size: number };
}

/** The codes of a 400 answer's errors[]. */
export function codesOf(body: { errors?: { code: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.code);
}
