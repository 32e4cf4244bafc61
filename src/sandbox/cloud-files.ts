// Files uploaded to the cloud-signature sandbox: CreateFile announces one (name, MD5, length),
// UploadChunk appends up to 16 MiB at a time at an offset, and the MD5 of the whole file is
// checked when the last byte arrives. Bytes live on disk under DATA_DIR/sandbox-cloud; the
// row keeps how many contiguous bytes arrived, so an interrupted upload resumes from there.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxCloudFiles } from './store/schema.ts';
import { Streebog, toHex } from '../crypto/streebog.ts';
import { CloudError, cloudBadRequest } from './cloud-error.ts';

export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** The largest file the sandbox accepts (bigger documents are signed by hash). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024;

export type SandboxCloudFile = typeof sandboxCloudFiles.$inferSelect;

const fileNotFound = () => new CloudError(404, 'FileNotFound', 'File not found');

export class CloudFiles {
  private readonly dir: string;

  constructor(
    private readonly db: SandboxDb,
    dataDir: string,
  ) {
    this.dir = join(dataDir, 'sandbox-cloud');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  private pathOf(id: string): string {
    return join(this.dir, id);
  }

  /** CreateFile: a new file, or the unfinished one with the same name, MD5 and length (to resume). */
  async create(client: string, input: { md5?: string; length?: string; fileName?: string }): Promise<{ FileId: string; Length: number }> {
    const md5 = (input.md5 ?? '').toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(md5)) throw cloudBadRequest('InvalidMd5', 'md5 must be 32 hexadecimal characters', 'md5');
    if (!input.length || !/^\d+$/.test(input.length) || Number(input.length) > MAX_FILE_BYTES) {
      throw cloudBadRequest('InvalidLength', `length must be a number of bytes from 0 to ${MAX_FILE_BYTES}`, 'length');
    }
    const length = Number(input.length);
    const fileName = (input.fileName ?? '').trim();
    if (!fileName || fileName.length > 255) throw cloudBadRequest('InvalidFileName', 'fileName must be 1 to 255 characters', 'fileName');
    const [existing] = await this.db
      .select()
      .from(sandboxCloudFiles)
      .where(and(eq(sandboxCloudFiles.client, client), eq(sandboxCloudFiles.md5, md5), eq(sandboxCloudFiles.length, length), eq(sandboxCloudFiles.fileName, fileName)))
      .limit(1);
    if (existing) return { FileId: existing.id, Length: existing.received };
    const [row] = await this.db.insert(sandboxCloudFiles).values({ client, md5, length, fileName, complete: length === 0 && md5 === 'd41d8cd98f00b204e9800998ecf8427e' }).returning();
    await (await open(this.pathOf(row.id), 'w')).close();
    return { FileId: row.id, Length: 0 };
  }

  async get(client: string, id: string | undefined): Promise<SandboxCloudFile> {
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw fileNotFound();
    const [row] = await this.db.select().from(sandboxCloudFiles).where(and(eq(sandboxCloudFiles.id, id), eq(sandboxCloudFiles.client, client)));
    if (!row) throw fileNotFound();
    return row;
  }

  /** UploadChunk: writes the body at `offset` (≤ bytes received so far), at most 16 MiB. */
  async uploadChunk(client: string, fileId: string | undefined, rawOffset: string | undefined, body: Readable): Promise<{ FileId: string; Length: number }> {
    const file = await this.get(client, fileId);
    if (!rawOffset || !/^\d+$/.test(rawOffset)) throw cloudBadRequest('InvalidOffset', 'offset must be a number of bytes', 'offset');
    const offset = Number(rawOffset);
    if (file.complete) {
      // A repeated last chunk after the file was completed: nothing to do.
      body.resume();
      return { FileId: file.id, Length: file.length };
    }
    if (offset > file.received) {
      body.resume();
      throw new CloudError(409, 'OffsetMismatch', `offset ${offset} is past the ${file.received} bytes received; resume from Length`, { Length: file.received });
    }
    const room = Math.min(MAX_CHUNK_BYTES, file.length - offset);
    let written = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (written > room) {
          return callback(
            written > MAX_CHUNK_BYTES
              ? new CloudError(413, 'ChunkTooLarge', `a chunk is at most ${MAX_CHUNK_BYTES} bytes`)
              : cloudBadRequest('ChunkBeyondLength', `the chunk goes past the announced length ${file.length}`, 'offset'),
          );
        }
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, limiter, createWriteStream(this.pathOf(file.id), { flags: 'r+', start: offset }));
    } catch (error) {
      body.resume();
      throw error;
    }
    const received = Math.max(file.received, offset + written);
    if (received < file.length) {
      await this.db.update(sandboxCloudFiles).set({ received, updatedAt: new Date() }).where(eq(sandboxCloudFiles.id, file.id));
      return { FileId: file.id, Length: received };
    }
    const md5 = createHash('md5');
    await pipeline(createReadStream(this.pathOf(file.id), { highWaterMark: 1 << 20 }), async function* (source) {
      for await (const chunk of source) md5.update(chunk as Buffer);
    });
    if (md5.digest('hex') !== file.md5) {
      // The bytes do not match what was announced: start over rather than sign something else.
      await (await open(this.pathOf(file.id), 'w')).close();
      await this.db.update(sandboxCloudFiles).set({ received: 0, updatedAt: new Date() }).where(eq(sandboxCloudFiles.id, file.id));
      throw new CloudError(400, 'Md5Mismatch', 'the MD5 of the received bytes differs from the announced md5; the file was reset, upload it again', { Target: 'md5', Length: 0 });
    }
    await this.db.update(sandboxCloudFiles).set({ received, complete: true, updatedAt: new Date() }).where(eq(sandboxCloudFiles.id, file.id));
    return { FileId: file.id, Length: received };
  }

  /** Streebog-256 of an uploaded file, streamed from disk. */
  async digestHex(id: string): Promise<string> {
    const hasher = new Streebog('streebog256');
    for await (const chunk of createReadStream(this.pathOf(id), { highWaterMark: 1 << 20 })) hasher.update(chunk as Buffer);
    return toHex(hasher.digest());
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}
