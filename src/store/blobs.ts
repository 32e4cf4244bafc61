// Content-addressed file store under DATA_DIR/blobs: a file is named by its SHA-256, written
// to a temporary file while streaming and renamed into place, so a crash never leaves a
// half-written blob under a real name. Size and content type are recorded in the database.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { blobs, documents, issueScans } from './schema/index.ts';

/** Every column that points at a blob: a blob is deleted only when none of them does. */
const BLOB_REFERENCES = [documents.blobSha256, issueScans.blobSha256] as const;

export interface StoredBlob {
  sha256: string;
  size: number;
  contentType: string;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob larger than ${limit} bytes`);
  }
}

/**
 * Sees every chunk as it streams past (to compute other digests on the way). A returned
 * promise holds the stream until it settles (backpressure from a slower consumer, e.g. a
 * hashing worker thread); a rejection fails the put.
 */
export type ChunkObserver = ((chunk: Buffer) => void) | ((chunk: Buffer) => Promise<void>);

export class BlobStore {
  private readonly root: string;
  private readonly tmp: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.root = join(dataDir, 'blobs');
    this.tmp = join(this.root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tmp, { recursive: true });
  }

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: Readable | Buffer, contentType: string, options: { maxBytes?: number; observe?: ChunkObserver } = {}): Promise<StoredBlob> {
    const temp = join(this.tmp, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (options.maxBytes !== undefined && size > options.maxBytes) return callback(new BlobTooLargeError(options.maxBytes));
        hash.update(chunk);
        let observed: unknown;
        try {
          observed = options.observe?.(chunk);
        } catch (error) {
          return callback(error as Error);
        }
        if (observed instanceof Promise) observed.then(() => callback(null, chunk), callback);
        else callback(null, chunk);
      },
    });
    const input = Buffer.isBuffer(source) ? [source] : source;
    try {
      await pipeline(input, meter, createWriteStream(temp, { flags: 'wx' }));
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(temp, target);
      await this.db.insert(blobs).values({ sha256, size, contentType }).onConflictDoNothing();
      return { sha256, size, contentType };
    } finally {
      await rm(temp, { force: true });
    }
  }

  async info(sha256: string): Promise<StoredBlob | undefined> {
    const [row] = await this.db.select().from(blobs).where(eq(blobs.sha256, sha256));
    return row ? { sha256: row.sha256, size: row.size, contentType: row.contentType } : undefined;
  }

  async exists(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Deletes a blob (row and file) that no row references any more; content-addressed, so
   * another document or scan may share it, and then it stays. Returns whether it was deleted.
   * The blob's row is locked while the references are checked; the file goes after the commit.
   */
  async removeUnreferenced(sha256: string): Promise<boolean> {
    const removed = await this.db.transaction(async (tx) => {
      const [row] = await tx.select({ sha256: blobs.sha256 }).from(blobs).where(eq(blobs.sha256, sha256)).for('update');
      if (!row) return false;
      for (const column of BLOB_REFERENCES) {
        const [used] = await tx.select({ one: sql<number>`1` }).from(column.table).where(eq(column, sha256)).limit(1);
        if (used) return false;
      }
      await tx.delete(blobs).where(eq(blobs.sha256, sha256));
      return true;
    });
    if (removed) await rm(this.pathOf(sha256), { force: true });
    return removed;
  }

  open(sha256: string, range?: { start: number; end?: number }): ReadStream {
    return createReadStream(this.pathOf(sha256), range);
  }
}
