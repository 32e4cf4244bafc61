// The audit log (issue 14, finding 3): every operation, successful or failed, under one name —
// its operationId — with actor, object, outcome and Kontur's request id; people's names instead
// of ids when read; sandbox console actions; the CSV export.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus } from '../issuance/helpers.ts';

interface Entry {
  id: number;
  action: string;
  outcome: string;
  actorName: string;
  actorDisplayName: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  requestId: string | null;
  konturRequestId: string | null;
  details: Record<string, any> | null;
}

describe('audit log', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '50' });
    token = await t.token();
  });
  after(() => t.close());

  async function entries(query: string): Promise<Entry[]> {
    return (await expectStatus(t, 200, 'GET', `/api/v1/audit?limit=500&${query}`, { token })).body.entries;
  }

  it('records successful and failed issuance operations under their operationId, with the Kontur request id and the applicant', async () => {
    const employee = await createEmployee(t, token, { lastName: 'Аудитова', firstName: 'Анна', middleName: 'Сергеевна' });
    const created = await expectStatus(t, 201, 'POST', '/api/v1/issues', { token, body: { employeeId: employee.id }, headers: { 'x-request-id': 'audit-create-0001' } });
    const id = created.body.data.id;
    await expectStatus(t, 200, 'GET', `/api/v1/issues/${id}?fresh=true`, { token });
    const bad = await expectStatus(t, 400, 'PATCH', `/api/v1/issues/${id}`, { token, body: { applicant: { inn: '123' } }, headers: { 'x-request-id': 'audit-edit-0001' } });
    assert.equal(bad.body.errors[0].field, 'inn');
    await expectStatus(t, 200, 'DELETE', `/api/v1/issues/${id}`, { token });

    const about = await entries(`targetId=${id}`);
    const create = about.filter((e) => e.action === 'createCertificateIssue');
    assert.equal(create.length, 1, 'one entry for the creation');
    assert.equal(create[0].outcome, 'success');
    assert.equal(create[0].requestId, 'audit-create-0001');
    assert.ok(create[0].konturRequestId, 'the Kontur request id is kept');
    assert.equal(create[0].targetType, 'issue');
    assert.equal(create[0].targetName, 'Аудитова Анна Сергеевна');
    assert.equal(create[0].actorDisplayName, 'Администратор');
    assert.ok(about.some((e) => e.action === 'getIssue' && e.outcome === 'success' && e.konturRequestId));
    const edit = about.filter((e) => e.action === 'editCertificateIssueRequest');
    assert.equal(edit.length, 1, 'the failed edit once');
    assert.equal(edit[0].outcome, 'failure');
    assert.equal(edit[0].details?.errors[0].field, 'inn');
    assert.ok(about.some((e) => e.action === 'deleteCertificateIssueRequest' && e.outcome === 'success'));
    // One name per operation: no developer aliases, and one entry per request.
    assert.deepEqual(about.filter((e) => /\./.test(e.action)), []);
    const perRequest = new Map<string, string[]>();
    for (const e of about) perRequest.set(e.requestId!, [...(perRequest.get(e.requestId!) ?? []), e.action]);
    for (const [request, actions] of perRequest) assert.equal(actions.length, 1, `request ${request}: ${actions.join(', ')}`);
  });

  it('records failed and refused changes of settings and users, and names people instead of ids', async () => {
    const badSetting = await t.request('PATCH', '/api/v1/settings', { token, body: { RestClientMaxTimeout: 5 }, headers: { 'x-request-id': 'audit-settings-0001' } });
    assert.equal(badSetting.status, 400);
    const operator = await t.userWithRole('operator');
    await expectStatus(t, 403, 'PATCH', '/api/v1/settings', { token: operator.token, body: { RestClientMaxTimeout: 5000 } });
    const duplicate = await t.request('POST', '/api/v1/users', { token, body: { username: 'admin', displayName: 'Второй', role: 'admin', password: 'long-password-123' } });
    assert.ok(duplicate.status >= 400 && duplicate.status < 500);

    const settings = await entries('action=updateSettings');
    const failed = settings.find((e) => e.requestId === 'audit-settings-0001');
    assert.equal(failed?.outcome, 'failure');
    assert.equal(failed?.details?.status, 400);
    const denied = settings.find((e) => e.outcome === 'denied');
    assert.equal(denied?.targetType, 'settings');
    assert.notEqual(denied?.actorName, 'admin');
    assert.ok((await entries('action=createUser&outcome=failure')).length >= 1);

    const employee = await createEmployee(t, token, { lastName: 'Именова', firstName: 'Ирина' });
    const [update] = await entries(`action=createEmployee&targetId=${employee.id}`);
    assert.equal(update.targetName, 'Именова Ирина Петровна');
    assert.equal(update.actorName, 'admin');
  });

  it('records sandbox console actions, successful or not', async () => {
    await expectStatus(t, 200, 'PUT', '/sandbox/console/faults', { token, body: { latencyMs: 0, errorRate: 0, timeoutRate: 0 } });
    const missing = '00000000-0000-4000-8000-000000000000';
    const refused = await t.request('POST', `/sandbox/console/issues/${missing}/approve`, { token });
    assert.ok(refused.status >= 400);
    const faults = await entries('action=sandboxConsolePutFaults');
    assert.equal(faults[0]?.outcome, 'success');
    const approve = await entries(`action=sandboxConsoleApproveIssue&targetId=${missing}`);
    assert.equal(approve[0]?.outcome, 'failure');
    assert.equal(approve[0]?.targetType, 'issue');
  });

  it('exports the filtered log as CSV with Russian headers and action names', async () => {
    const response = await fetch(`${t.url}/api/v1/audit/export?action=createCertificateIssue`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="audit-/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for spreadsheets');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('Время (UTC);Действие;Код действия;Кто;'), text.slice(0, 80));
    const lines = text.trim().split('\r\n');
    assert.ok(lines.length >= 2);
    assert.ok(lines.slice(1).every((line) => line.includes(';Создание заявки на сертификат;createCertificateIssue;')), lines[1]);
    assert.ok(lines.slice(1).some((line) => line.includes('Аудитова Анна Сергеевна')));

    // A cell a spreadsheet would run as a formula (a file name is the uploader's choice) is defused.
    const upload = await t.request('POST', `/api/v1/documents?fileName=${encodeURIComponent('=SUM(1;2).txt')}`, { token, raw: 'payload', headers: { 'content-type': 'text/plain' } });
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    const uploads = await (await fetch(`${t.url}/api/v1/audit/export?action=uploadDocument`, { headers: { authorization: `Bearer ${token}` } })).text();
    assert.ok(uploads.includes(`;"'=SUM(1;2).txt";`), uploads);

    const bad = await t.request('GET', '/api/v1/audit/export?from=yesterday', { token });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].field, 'from');
    const operator = await t.userWithRole('operator');
    assert.equal((await t.request('GET', '/api/v1/audit/export', { token: operator.token })).status, 403);
  });
});
