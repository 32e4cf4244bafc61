// The KCR client against answers in the shapes of the real service (docs/kontur-api.md §1 and §6),
// recorded as public clients see them, independent of the sandbox: list items with cspType and
// certificateState, fields and enum values the client has not seen, missing or null lists, event
// ids as numbers, errors without details. The client must read them all, log what it does not
// know, and never crash.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { KcrClient } from '../../src/kontur/kcr-client.ts';
import type { HttpTransport, OutboundRequest } from '../../src/kontur/http-transport.ts';
import { KcrProtocolError, KcrValidationError } from '../../src/kontur/kcr-errors.ts';

/** A transport that answers every call with the next recorded answer, and keeps what was sent. */
function recorded(answers: { status: number; body?: unknown; raw?: string; headers?: Record<string, string> }[]) {
  const sent: OutboundRequest[] = [];
  const transport = {
    async request(request: OutboundRequest) {
      sent.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error('no recorded answer left');
      const body = answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
      return { status: answer.status, headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers }, body: Buffer.from(body), attempts: 1 };
    },
  } as unknown as HttpTransport;
  const lines: { field?: string; value?: unknown; msg: string }[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
  const client = new KcrClient(transport, async () => ({ address: 'https://api.kontur.ru/kcr/', apiKey: 'key', timeoutMs: 1000 }), logger);
  return { client, sent, lines };
}

/** An issue as the real service returns it (KonturIssuesResponse), with a few things this client has never seen. */
const REAL_ISSUE = {
  id: '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  baseIssueId: null,
  version: 7,
  actualized: true,
  status: 'released',
  forwardedStatus: 'forwardedToCabinet',
  certificateTemplateInfo: { type: 'notQualified', useAreas: [], nonExportable: false, templateName: 'НЭП' },
  subjectInfo: { type: 'naturalPerson', inn: '500100732259', lastname: 'Иванов', firstname: 'Иван', middlename: null, email: 'i@example.ru', phone: '+79001234567', organizationInfo: null },
  cspInfo: { type: 'asess', addCryptoProLicense: false, dssApplication: null },
  certificateReleasedInfo: { serialNumber: '0123ABCD', thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', validFrom: '2026-01-15T10:00:00Z', validTo: '2027-04-15T10:00:00Z' },
  documents: [
    { type: 'passport', requisites: [{ type: 'series', value: '4510' }, { type: 'number', value: '123456' }], pages: [{ id: 'p1', contentType: 'image/png' }] },
    { type: 'releaseStatement', requisites: null, pages: null },
  ],
  correctionInfo: null,
  subjectIdentification: { identificationSubjectType: 'employee', identifiedBy: 'Оператор' },
  innerErrors: null,
  smevValidations: [{ documentType: 'passport', documentTypeDescription: 'Паспорт РФ', state: 'valid', stateDescription: 'Проверен', errors: [] }],
  createdAt: '2026-01-10T08:00:00Z',
  updatedAt: '2026-01-15T10:00:00Z',
  revocationInfo: { reason: null },
};

describe('KCR client: answers in the real shapes', () => {
  it('reads a search answer whose items carry cspType and certificateState, and sends every filter', async () => {
    const { client, sent } = recorded([{ status: 200, body: { issues: [{ ...REAL_ISSUE, cspType: 'asess', certificateState: 'valid' }], totalCount: 1 } }]);
    const list = await client.searchIssues({ status: ['released'], inn: '500100732259', subjectPhone: '9001234567', subjectEmail: 'i@example.ru' });
    assert.equal(list.totalCount, 1);
    assert.equal(list.issues[0].cspType, 'asess');
    assert.equal(list.issues[0].certificateState, 'valid');
    assert.equal(list.issues[0].cspInfo.type, 'asess');
    assert.deepEqual(sent[0].query, { status: ['released'], inn: '500100732259', subjectPhone: '9001234567', subjectEmail: 'i@example.ru' });
  });

  it('keeps fields it does not know and turns null lists into empty ones', async () => {
    const { client } = recorded([{ status: 200, body: REAL_ISSUE }]);
    const issue = await client.getIssue(REAL_ISSUE.id);
    assert.equal(issue.status, 'released');
    assert.deepEqual(issue.innerErrors, []);
    const statement = issue.documents.find((document) => document.type === 'releaseStatement')!;
    assert.deepEqual([statement.requisites, statement.pages], [[], []]);
    assert.equal(issue.documents[0].requisites[0].value, '4510');
    assert.deepEqual(issue.revocationInfo, { reason: null });
    assert.equal(issue.smevValidations[0].state, 'valid');
  });

  it('reads enum values it has not seen as unknown and logs each once', async () => {
    const odd = { ...REAL_ISSUE, status: 'revoked', forwardedStatus: 'forwardedToOffice', smevValidations: [{ documentType: 'passport', state: 'skipped', errors: [{ code: 'PassportNew', level: 'info' }] }] };
    const { client, lines } = recorded([{ status: 200, body: odd }, { status: 200, body: odd }]);
    const issue = await client.getIssue(REAL_ISSUE.id);
    assert.equal(issue.status, 'unknown');
    assert.equal(issue.forwardedStatus, 'unknown');
    assert.equal(issue.smevValidations[0].state, 'unknown');
    assert.equal(issue.smevValidations[0].errors[0].level, 'unknown');
    assert.equal(issue.smevValidations[0].errors[0].code, 'PassportNew');
    await client.getIssue(REAL_ISSUE.id);
    const logged = lines.map((line) => `${line.field}=${JSON.stringify(line.value)}`).sort();
    assert.deepEqual(logged, ['forwardedStatus="forwardedToOffice"', 'smevValidations[].errors[].level="info"', 'smevValidations[].state="skipped"', 'status="revoked"']);
  });

  it('reads an issue with fields left out: no documents, no version, no actualized, a map of requisites', async () => {
    const { client } = recorded([{ status: 200, body: { id: REAL_ISSUE.id, status: 'preparing', documents: [{ type: 'passport', requisites: { series: '4510', number: 123456 } }], createdAt: '2026-01-10T08:00:00Z' } }]);
    const issue = await client.getIssue(REAL_ISSUE.id);
    assert.equal(issue.actualized, true);
    assert.equal(issue.version, 0);
    assert.equal(issue.forwardedStatus, 'none');
    assert.deepEqual(issue.documents[0].requisites, [{ type: 'series', value: '4510' }, { type: 'number', value: '123456' }]);
    assert.deepEqual([issue.smevValidations, issue.innerErrors], [[], []]);
    assert.equal(issue.correctionInfo, null);
  });

  it('refuses, as a protocol error, an issue without an id or an answer that is not JSON', async () => {
    const { client } = recorded([{ status: 200, body: { status: 'preparing' } }, { status: 200, raw: '<html>maintenance</html>' }, { status: 200, body: [] }]);
    await assert.rejects(client.getIssue('x'), (error) => error instanceof KcrProtocolError && error.code === 'InvalidAnswer');
    await assert.rejects(client.getIssue('x'), (error) => error instanceof KcrProtocolError && error.code === 'InvalidJson');
    await assert.rejects(client.searchIssues({}), (error) => error instanceof KcrProtocolError);
  });

  it('reads the event feed with ids as numbers or strings and lastId missing', async () => {
    const { client } = recorded([
      { status: 200, body: { events: [{ id: 41, issueId: REAL_ISSUE.id, type: 'statusChanged' }, { id: '42', issueId: REAL_ISSUE.id, type: 'somethingNew', extra: true }], lastId: 42 } },
      { status: 200, body: { events: [{ id: 43, issueId: REAL_ISSUE.id, type: 'issueChanged' }] } },
      { status: 200, body: { events: null } },
    ]);
    const first = await client.issueEvents(undefined, 100);
    assert.deepEqual(first.events.map((event) => [event.id, event.type]), [['41', 'statusChanged'], ['42', 'somethingNew']]);
    assert.equal(first.lastId, '42');
    assert.equal((await client.issueEvents('42', 100)).lastId, '43');
    const empty = await client.issueEvents('43', 100);
    assert.deepEqual([empty.events, empty.lastId], [[], '43']);
  });

  it('reads errors whose details are missing, null or hold odd items, and the named confirmation codes', async () => {
    const { client } = recorded([
      { status: 400, body: { error: { code: 'WrongConfirmationCode', message: 'Неверный код' } } },
      { status: 400, body: { error: { code: 'ConfirmationCodeExpired', message: 'Код истёк', details: null } } },
      { status: 400, body: { error: { code: 'ConfirmationFailed', message: 'x', details: [{ code: 'ConfirmationRejected' }, 'odd', null] } } },
      { status: 400, raw: '\uFEFF{"error":{"code":"BadRequest","message":"m","details":[{"code":"InvalidValue","target":"parameters.birthDate","message":"d"}]}}' },
    ]);
    const sign = () => client.signReleaseStatement('x', { confirmationInfo: { smsCode: '123456' } });
    await assert.rejects(sign(), (error) => error instanceof KcrValidationError && error.code === 'WrongConfirmationCode' && error.details.length === 0);
    await assert.rejects(sign(), (error) => error instanceof KcrValidationError && error.code === 'ConfirmationCodeExpired' && error.details.length === 0);
    await assert.rejects(sign(), (error) => error instanceof KcrValidationError && error.details.length === 1 && error.details[0].code === 'ConfirmationRejected');
    await assert.rejects(sign(), (error) => error instanceof KcrValidationError && error.code === 'BadRequest' && error.details[0].target === 'parameters.birthDate');
  });

  it('sends a certification request as application/pkcs10', async () => {
    const { client, sent } = recorded([{ status: 204 }]);
    await client.uploadCertificateRequest('x', 'pkcs10', Buffer.from([0x30, 0x00]));
    assert.equal(sent[0].headers?.['content-type'], 'application/pkcs10');
    assert.deepEqual(sent[0].query, { certificateRequestType: 'pkcs10' });
  });
});
