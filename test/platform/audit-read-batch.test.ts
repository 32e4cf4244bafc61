// The batch that writes the audit entries of reads after their answers (src/services/audit-read-batch.ts):
// many rows in one write, at most the window's delay late, written in order, and a failed write
// reported without stopping the batches after it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuditReadBatch, type AuditRow } from '../../src/services/audit-read-batch.ts';

function row(n: number): AuditRow {
  return { actorName: 'reader', action: 'getIssue', outcome: 'success', targetId: String(n) };
}

describe('audit entries of reads', () => {
  it('writes the rows of one window in one write, stamped with the time they were added', async () => {
    const writes: AuditRow[][] = [];
    let written!: () => void;
    const done = new Promise<void>((resolve) => (written = resolve));
    const batch = new AuditReadBatch(async (rows) => { writes.push(rows); written(); }, assert.fail, { maxRows: 100, maxDelayMs: 20 });
    const before = Date.now();
    for (let n = 0; n < 5; n++) batch.add(row(n));
    assert.equal(writes.length, 0, 'nothing is written while the window is open');
    // The batch's timer does not keep a process alive (unref): this test's own does, meanwhile.
    const alive = setInterval(() => undefined, 1000);
    await done.finally(() => clearInterval(alive));
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0].map((r) => r.targetId), ['0', '1', '2', '3', '4']);
    for (const r of writes[0]) assert.ok(r.at instanceof Date && r.at.getTime() >= before && r.at.getTime() <= Date.now());
  });

  it('knows the requests whose rows wait or are being written, until they are written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batch = new AuditReadBatch(() => gate, assert.fail, { maxRows: 100, maxDelayMs: 60_000 });
    batch.add({ ...row(1), requestId: 'request-1' });
    assert.equal(batch.holds('request-1'), true, 'waiting for its batch');
    assert.equal(batch.holds('request-2'), false);
    const flushed = batch.flush();
    assert.equal(batch.holds('request-1'), true, 'being written');
    release();
    await flushed;
    assert.equal(batch.holds('request-1'), false, 'written');
  });

  it('starts a write as soon as a batch is full, and flush() waits for every earlier row', async () => {
    const writes: string[][] = [];
    const batch = new AuditReadBatch(async (rows) => { await Promise.resolve(); writes.push(rows.map((r) => r.targetId!)); }, assert.fail, { maxRows: 3, maxDelayMs: 60_000 });
    for (let n = 0; n < 7; n++) batch.add(row(n));
    await batch.flush();
    assert.deepEqual(writes, [['0', '1', '2'], ['3', '4', '5'], ['6']], 'full batches at once, the rest on flush, in order');
    await batch.flush();
    assert.equal(writes.length, 3, 'an empty flush writes nothing');
  });

  it('reports a failed write with its row count and goes on with the next batches', async () => {
    const lost: number[] = [];
    const writes: string[][] = [];
    let fail = true;
    const batch = new AuditReadBatch(
      async (rows) => {
        if (fail) { fail = false; throw new Error('database down'); }
        writes.push(rows.map((r) => r.targetId!));
      },
      (error, rows) => { assert.match(String(error), /database down/); lost.push(rows); },
      { maxRows: 2, maxDelayMs: 60_000 },
    );
    for (let n = 0; n < 4; n++) batch.add(row(n));
    await batch.flush();
    assert.deepEqual(lost, [2]);
    assert.deepEqual(writes, [['2', '3']]);
  });
});
