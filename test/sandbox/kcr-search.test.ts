// Conformance of the KCR sandbox's search (docs/kontur-api.md §6): GET /v1/issues with the filters
// public clients use (status repeated, inn, subjectPhone, subjectEmail), an unknown filter refused
// rather than ignored, and list items that carry cspType and certificateState.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertKonturError, mobilePhone, startSandbox, validInn, type SandboxUnderTest } from './harness.ts';

describe('KCR sandbox: search', () => {
  let sandbox: SandboxUnderTest;
  let released: any;
  const ids = (answer: { body: { issues: { id: string }[] } }) => answer.body.issues.map((item) => item.id);

  before(async () => {
    sandbox = await startSandbox();
    released = await sandbox.releasedIssue({ cspInfo: { type: 'asess' } });
  });
  after(() => sandbox?.close());

  it('filters by status (repeated), inn, subjectPhone and subjectEmail, and by all of them at once', async () => {
    const inn = validInn();
    const phone = mobilePhone();
    const email = `Search.${Date.now()}@Example.RU`;
    const issue = await sandbox.createIssue({ subjectInfo: { inn, phone, email } });
    const other = await sandbox.createIssue();
    const byInn = await sandbox.kcr('GET', `v1/issues?inn=${inn}`);
    assert.deepEqual(ids(byInn), [issue.id]);
    assert.equal(byInn.body.totalCount, 1);
    // The phone as the public low-code client sends it: the last ten digits.
    assert.deepEqual(ids(await sandbox.kcr('GET', `v1/issues?subjectPhone=${phone.slice(-10)}`)), [issue.id]);
    assert.deepEqual(ids(await sandbox.kcr('GET', `v1/issues?subjectPhone=${encodeURIComponent(phone)}`)), [issue.id]);
    assert.deepEqual(ids(await sandbox.kcr('GET', `v1/issues?subjectEmail=${encodeURIComponent(email.toLowerCase())}`)), [issue.id]);
    assert.deepEqual(ids(await sandbox.kcr('GET', `v1/issues?status=preparing&inn=${inn}&subjectPhone=${phone.slice(-10)}&subjectEmail=${encodeURIComponent(email)}`)), [issue.id]);
    assert.deepEqual(ids(await sandbox.kcr('GET', `v1/issues?status=released&inn=${inn}`)), []);
    const both = ids(await sandbox.kcr('GET', 'v1/issues?status=preparing&status=released&limit=1000'));
    assert.ok(both.includes(issue.id) && both.includes(other.id) && both.includes(released.id));
    assert.deepEqual(ids(await sandbox.kcr('GET', 'v1/issues?status=released')), [released.id]);
  });

  it('pages with offset and limit and sorts by creation time', async () => {
    const ascending = await sandbox.kcr('GET', 'v1/issues?sortOrder=asc&limit=1000');
    const descending = await sandbox.kcr('GET', 'v1/issues?sortOrder=desc&limit=1000');
    assert.deepEqual(ids(ascending), ids(descending).reverse());
    const second = await sandbox.kcr('GET', 'v1/issues?sortOrder=asc&offset=1&limit=1');
    assert.deepEqual(ids(second), [ids(ascending)[1]]);
    assert.equal(second.body.totalCount, ascending.body.totalCount);
  });

  it('refuses an unknown filter with 400 naming it, instead of ignoring it', async () => {
    const error = assertKonturError(await sandbox.kcr('GET', 'v1/issues?status=preparing&subjectName=Петрова'), 400, 'BadRequest');
    assert.deepEqual(error.details.map((detail) => detail.target), ['subjectName']);
    assert.deepEqual(assertKonturError(await sandbox.kcr('GET', 'v1/issues/?phone=9001234567'), 400).details.map((detail) => detail.target), ['phone']);
  });

  it('refuses wrong filter values naming the filter', async () => {
    const targets = async (query: string) => assertKonturError(await sandbox.kcr('GET', `v1/issues?${query}`), 400).details.map((detail) => detail.target);
    assert.deepEqual(await targets('status=archived'), ['status']);
    assert.deepEqual(await targets('sortOrder=newest'), ['sortOrder']);
    assert.deepEqual(await targets('subjectPhone=12345'), ['subjectPhone']);
    assert.deepEqual(await targets('inn=1234567890'), ['inn']);
    assert.deepEqual(await targets('limit=-1'), ['limit']);
  });

  it('puts cspType and certificateState on list items', async () => {
    const list = await sandbox.kcr('GET', `v1/issues?status=released&inn=${released.subjectInfo.inn}`);
    const [item] = list.body.issues;
    assert.equal(item.id, released.id);
    assert.equal(item.cspType, 'asess');
    assert.equal(item.certificateState, 'valid');
    // What the public low-code module does with the list: keep its valid `asess` certificates.
    const kept = list.body.issues.filter((issue: { cspType: string; certificateState: string }) => issue.cspType === 'asess' && issue.certificateState === 'valid');
    assert.equal(kept.length, 1);
    const preparing = (await sandbox.kcr('GET', 'v1/issues?status=preparing&limit=1')).body.issues[0];
    assert.equal(preparing.cspType, 'cryptoPro');
    assert.equal(preparing.certificateState, 'notReleased');
  });
});
