// Conformance of the KCR sandbox on the wire (docs/kontur-api.md §6, "KCR API v1"): what public clients
// of the real service send, sent over HTTP, and what the real service answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertKonturError, startSandbox, type SandboxUnderTest } from './harness.ts';

describe('KCR sandbox: the wire as real clients use it', () => {
  let sandbox: SandboxUnderTest;
  before(async () => {
    // Long enough that a change right after another one meets the re-check (409).
    sandbox = await startSandbox({ SANDBOX_ACTUALIZATION_MS: '400' });
  });
  after(() => sandbox?.close());

  const JSON_HEADER = { 'content-type': 'application/json' };

  it('takes Content-Type: application/json with an empty body as no body (DELETE, validate, templates, download-certificate)', async () => {
    const issue = await sandbox.createIssue();
    await sandbox.actualized(issue.id);
    // A template: rendered, not refused for the missing JSON.
    const template = await sandbox.kcr('POST', `v1/issues/${issue.id}/templates/releaseStatement`, { headers: JSON_HEADER, raw: '' });
    assert.equal(template.status, 200);
    assert.equal(template.headers.get('content-type'), 'application/pdf');
    assert.equal(template.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    // validate: the issue's own problems, not a complaint about the body.
    const validate = await sandbox.kcr('POST', `v1/issues/${issue.id}/validate`, { headers: JSON_HEADER, raw: '' });
    const refused = assertKonturError(validate, 400, 'IssueNotReadyForValidation');
    assert.ok(refused.details.some((detail) => detail.target === 'documents.passport'));
    // download-certificate: "not released yet", not a body error.
    assertKonturError(await sandbox.kcr('POST', `v1/issues/${issue.id}/download-certificate`, { headers: JSON_HEADER }), 400, 'CertificateNotReleased');
    // DELETE with the JSON header and nothing after it deletes.
    const deleted = await sandbox.kcr('DELETE', `v1/issues/${issue.id}`, { headers: JSON_HEADER });
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    assertKonturError(await sandbox.kcr('GET', `v1/issues/${issue.id}`), 404, 'IssueNotFound');
  });

  it('answers every error with error.details as an array, empty when nothing more is known', async () => {
    assertKonturError(await sandbox.kcr('GET', 'v1/issues', { anonymous: true }), 401);
    assertKonturError(await sandbox.kcr('GET', 'v1/issues', { headers: { 'x-kontur-apikey': 'not-the-key' } }), 401);
    const missing = assertKonturError(await sandbox.kcr('GET', 'v1/issues/00000000-0000-4000-8000-000000000000'), 404, 'IssueNotFound');
    assert.deepEqual(missing.details, []);
    const issue = await sandbox.createIssue();
    // Right after a change the issue is re-checked: 409 with an empty details list.
    const busy = await sandbox.kcr('PATCH', `v1/issues/${issue.id}`, { json: { subjectInfo: { firstname: 'Ольга' } } });
    assert.deepEqual(assertKonturError(busy, 409, 'IssueIsBeingActualized').details, []);
    const badJson = assertKonturError(await sandbox.kcr('POST', 'v1/issues', { headers: JSON_HEADER, raw: '{"subjectInfo":' }), 400, 'BadRequest');
    assert.equal(badJson.details[0].target, 'body');
    const invalid = assertKonturError(await sandbox.kcr('POST', 'v1/issues', { json: { subjectInfo: { type: 'naturalPerson', inn: '123', phone: '123' } } }), 400, 'BadRequest');
    assert.deepEqual(new Set(invalid.details.map((detail) => detail.target)), new Set(['subjectInfo.inn', 'subjectInfo.phone']));
  });

  it('answers unknown paths and methods in the Kontur error shape, not the host’s problem+json', async () => {
    for (const [method, path] of [
      ['GET', 'v2/issues'],
      ['GET', 'v1/nothing-here'],
      ['GET', ''],
      ['POST', 'v1/issues/00000000-0000-4000-8000-000000000000/unknown-action'],
      ['PUT', 'v1/issue-events'],
    ] as const) {
      const answer = await sandbox.kcr(method, path, { headers: JSON_HEADER });
      const error = assertKonturError(answer, 404, 'NotFound');
      assert.deepEqual(error.details, [], `${method} ${path}`);
    }
    // Also without the trailing slash of the API root.
    const root = await fetch(`${sandbox.url}/sandbox/kcr`, { headers: { 'x-kontur-apikey': 'sandbox-kcr-api-key-0000-000000000000' } });
    assert.equal(root.status, 404);
    assert.equal(((await root.json()) as { error: { code: string } }).error.code, 'NotFound');
  });

  it('answers a trailing slash like the path without it (GET /v1/issues/?status=...)', async () => {
    const issue = await sandbox.createIssue();
    const withSlash = await sandbox.kcr('GET', 'v1/issues/?status=preparing');
    assert.equal(withSlash.status, 200, JSON.stringify(withSlash.body));
    assert.ok(withSlash.body.issues.some((item: { id: string }) => item.id === issue.id));
    const one = await sandbox.kcr('GET', `v1/issues/${issue.id}/`);
    assert.equal(one.status, 200);
    assert.equal(one.body.id, issue.id);
    const events = await sandbox.kcr('GET', 'v1/issue-events/?limit=1');
    assert.equal(events.status, 200);
    assert.equal(events.body.events.length, 1);
  });

  it('keeps event ids as growing strings and lastId as the last one', async () => {
    const first = await sandbox.kcr('GET', 'v1/issue-events?limit=2');
    assert.equal(first.status, 200);
    for (const event of first.body.events) assert.equal(typeof event.id, 'string');
    assert.equal(first.body.lastId, first.body.events.at(-1).id);
    const next = await sandbox.kcr('GET', `v1/issue-events?prevId=${first.body.lastId}&limit=1000`);
    for (const event of next.body.events) assert.ok(BigInt(event.id) > BigInt(first.body.lastId));
    const none = await sandbox.kcr('GET', `v1/issue-events?prevId=${next.body.lastId}`);
    assert.deepEqual(none.body.events, []);
    assert.equal(none.body.lastId, next.body.lastId);
  });
});
