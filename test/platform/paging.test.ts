// Keyset paging of the lists that grow without bound (issues, documents; the directory's is in
// employees.test.ts): every row once, newest first, across pages cut by the cursor, even when
// rows share a creation time to the millisecond; the total only on a page asked for without one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee } from '../issuance/helpers.ts';

async function walk(t: TestServer, token: string, path: string, limit: number): Promise<{ ids: string[]; total: number; pages: number }> {
  const ids: string[] = [];
  let page = await t.request('GET', `${path}?limit=${limit}`, { token });
  assert.equal(page.status, 200, JSON.stringify(page.body));
  const total = page.body.total;
  let pages = 1;
  for (;;) {
    ids.push(...page.body.items.map((item: { id: string }) => item.id));
    if (!page.body.nextCursor) break;
    page = await t.request('GET', `${path}?limit=${limit}&after=${encodeURIComponent(page.body.nextCursor)}`, { token });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(page.body.total, undefined);
    pages++;
  }
  return { ids, total, pages };
}

describe('keyset paging of issues and documents', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer({ SANDBOX_ACTUALIZATION_MS: '20' });
    token = await t.token();
  });
  after(() => t.close());

  it('walks every document once, newest first, including ones created in the same millisecond', async () => {
    for (let i = 0; i < 7; i++) {
      const created = await t.request('POST', `/api/v1/documents?fileName=doc-${i}.txt`, { token, raw: `document ${i}`, headers: { 'content-type': 'text/plain' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    // Two rows with one creation time to the millisecond but not to the microsecond, and two with exactly the same.
    await t.server.database.sql.executeSql(`update documents set created_at = '2026-01-01T00:00:00.123001Z' where file_name in ('doc-1.txt')`);
    await t.server.database.sql.executeSql(`update documents set created_at = '2026-01-01T00:00:00.123002Z' where file_name in ('doc-2.txt', 'doc-3.txt')`);
    const { ids, total, pages } = await walk(t, token, '/api/v1/documents', 2);
    assert.equal(total, 7);
    assert.equal(pages, 4);
    assert.equal(new Set(ids).size, 7, 'no document twice or missing');
    const all = (await t.request('GET', '/api/v1/documents?limit=50', { token })).body.items.map((d: { id: string }) => d.id);
    assert.deepEqual(ids, all, 'the same order as one big page');
  });

  it('walks every issue once, newest first', async () => {
    for (let i = 0; i < 5; i++) {
      const employee = await createEmployee(t, token);
      const created = await t.request('POST', '/api/v1/issues', { token, body: { employeeId: employee.id, cspType: 'dss' } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const { ids, total } = await walk(t, token, '/api/v1/issues', 2);
    assert.equal(total, 5);
    assert.equal(new Set(ids).size, 5);
    const refused = await t.request('GET', '/api/v1/issues?after=garbage', { token });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors[0].field, 'after');
  });
});
