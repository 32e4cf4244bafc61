import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { BlobStore, BlobTooLargeError } from '../../src/store/blobs.ts';

describe('blob store', () => {
  let dataDir: string;
  let database: Database;
  let blobs: BlobStore;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kca-blobs-'));
    database = await openDatabase({ dataDir });
    blobs = new BlobStore(database.db, dataDir);
    await blobs.init();
  });
  after(async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('streams a file in under its SHA-256, records size and type, and streams it out', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 11);
    let observed = 0;
    const stored = await blobs.put(Readable.from([content.subarray(0, 1000), content.subarray(1000)]), 'application/pdf', {
      observe: (chunk) => (observed += chunk.length),
    });
    assert.equal(stored.sha256, createHash('sha256').update(content).digest('hex'));
    assert.equal(stored.size, content.length);
    assert.equal(observed, content.length);
    assert.deepEqual(await blobs.info(stored.sha256), { sha256: stored.sha256, size: content.length, contentType: 'application/pdf' });
    const chunks: Buffer[] = [];
    for await (const chunk of blobs.open(stored.sha256)) chunks.push(chunk as Buffer);
    assert.ok(Buffer.concat(chunks).equals(content));
    assert.equal(await text(blobs.open(stored.sha256, { start: 0, end: 0 })), content.subarray(0, 1).toString());
  });

  it('stores the same content once', async () => {
    const first = await blobs.put(Buffer.from('одно и то же'), 'text/plain');
    const second = await blobs.put(Buffer.from('одно и то же'), 'text/plain');
    assert.equal(first.sha256, second.sha256);
    assert.equal(await blobs.exists(first.sha256), true);
  });

  it('refuses content over the limit and leaves no partial file behind', async () => {
    await assert.rejects(blobs.put(Readable.from([randomBytes(600), randomBytes(600)]), 'image/png', { maxBytes: 1000 }), BlobTooLargeError);
    assert.deepEqual(await readdir(join(dataDir, 'blobs', 'tmp')), []);
    assert.equal(await blobs.info('0'.repeat(64)), undefined);
  });
});
