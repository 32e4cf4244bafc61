// The embedded database's own process: PGlite (PostgreSQL compiled to WebAssembly) on the data
// directory, serving the PostgreSQL wire protocol on a Unix socket to the server that started it
// (src/store/embedded-process.ts). In a process of its own, PGlite's compiled code and heap
// (~90 MiB) stay out of the server's memory, and the server talks to it exactly as to a
// PostgreSQL server (node-postgres, the same Drizzle driver and migrations).
//
// PGlite is a single backend: one connection is served at a time and the others wait their turn
// (the server keeps one). When a connection ends, whatever it left open is rolled back and its
// session state discarded before the next one starts. A lock file next to the data directory
// lets only one process open it (PGlite itself does not check). The process ignores SIGINT and
// SIGTERM sent to its whole process group (Ctrl-C, systemd): it closes the database when the
// server asks or when the server is gone (its IPC channel closes), so requests still in flight in
// the server keep their database until the server has finished them.
//
//   node embedded-postgres.mjs <pglite data dir> <socket path>
import { createServer, type Socket } from 'node:net';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

export type EmbeddedMessage = { type: 'ready' } | { type: 'failed'; message: string };

const LOCK_WAIT_MS = 15_000;
// Protocol codes of the untyped first messages (PostgreSQL protocol 3, "Message Formats").
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]); // 'S', length 4

const [dataDir, socketPath] = process.argv.slice(2);
const lockPath = `${dataDir}.lock`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock; waits for a holder that is still closing (a restart), takes over a dead holder's. */
async function lock(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(lockPath, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (!holder || !isAlive(holder)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the embedded database ${dataDir} is in use by process ${holder}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type ReaderAction = { kind: 'pglite'; bytes: Buffer } | { kind: 'no-encryption' } | { kind: 'end' };

/** Splits what a client sent into complete messages; PGlite must never see a partial one. */
class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;

  /** The complete messages received so far (in order), as PGlite input or a reply this side gives. */
  take(chunk: Buffer): ReaderAction[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const actions: ReaderAction[] = [];
    let offset = 0;
    let batchStart = 0;
    const flushBatch = () => {
      if (offset > batchStart) actions.push({ kind: 'pglite', bytes: this.pending.subarray(batchStart, offset) });
      batchStart = offset;
    };
    /** Terminate, a cancel request or an impossible length: what came before still goes to PGlite, then the connection ends. */
    const end = () => {
      flushBatch();
      this.pending = Buffer.alloc(0);
      return [...actions, { kind: 'end' } as const];
    };
    while (this.pending.length - offset >= (this.started ? 5 : 8)) {
      if (!this.started) {
        const length = this.pending.readInt32BE(offset);
        if (length < 8) return end();
        if (this.pending.length - offset < length) break;
        const code = this.pending.readInt32BE(offset + 4);
        if (code === CANCEL_REQUEST) return end();
        offset += length;
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          actions.push({ kind: 'no-encryption' });
          batchStart = offset;
        } else {
          // The startup message itself goes to PGlite, on its own.
          this.started = true;
          flushBatch();
        }
        continue;
      }
      const length = 1 + this.pending.readInt32BE(offset + 1);
      if (length < 5 || this.pending[offset] === TERMINATE) return end();
      if (this.pending.length - offset < length) break;
      offset += length;
    }
    flushBatch();
    // Keep only the incomplete tail (a copy: the chunk's memory is not held longer than needed).
    this.pending = Buffer.from(this.pending.subarray(offset));
    return actions;
  }
}

async function main(): Promise<void> {
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);
  await lock();
  const db = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });

  const waiting: Socket[] = [];
  let active: Socket | undefined;
  /** Settles when the active connection has ended and its session has been reset. */
  let released: Promise<void> = Promise.resolve();
  let closing = false;

  const serveNext = () => {
    if (active || closing) return;
    const socket = waiting.shift();
    if (!socket) return;
    active = socket;
    let release!: () => void;
    released = new Promise((resolve) => (release = resolve));
    const reader = new MessageReader();
    let work = Promise.resolve();
    const run = async (actions: ReaderAction[]) => {
      for (const action of actions) {
        if (action.kind === 'no-encryption') socket.write('N');
        else if (action.kind === 'end') socket.end();
        else if (!socket.destroyed) {
          // execProtocolRawStream, not execProtocolRaw: PGlite 0.5's execProtocolRaw also parses
          // every answer into objects that it keeps until the next execProtocol call, which the
          // socket never makes (~30 KB per query, kept for good). The stream hands over views of
          // the WebAssembly memory: copied before PGlite runs again.
          const answer: Buffer[] = [];
          await db.execProtocolRawStream(new Uint8Array(action.bytes.buffer, action.bytes.byteOffset, action.bytes.length), {
            onRawData: (chunk) => void answer.push(Buffer.from(chunk)),
          });
          if (answer.length > 0 && !socket.destroyed) socket.write(answer.length === 1 ? answer[0] : Buffer.concat(answer));
        }
      }
    };
    socket.on('data', (chunk: Buffer) => {
      const actions = reader.take(chunk);
      if (actions.length) work = work.then(() => run(actions)).catch(() => void socket.destroy());
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      void work.then(async () => {
        // Whatever the client left behind: an unfinished extended query, an open transaction, session state.
        await db.execProtocolRaw(new Uint8Array(SYNC)).catch(() => undefined);
        await db.exec('ROLLBACK').catch(() => undefined);
        await db.exec('DISCARD ALL').catch(() => undefined);
        active = undefined;
        release();
        serveNext();
      });
    });
    socket.resume();
  };

  const server = createServer((socket) => {
    socket.pause();
    if (closing) return void socket.destroy();
    waiting.push(socket);
    serveNext();
  });
  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  chmodSync(socketPath, 0o600);

  const close = async () => {
    if (closing) return;
    closing = true;
    server.close();
    for (const socket of waiting.splice(0)) socket.destroy();
    active?.destroy();
    await released;
    await db.close();
    rmSync(socketPath, { force: true });
    rmSync(lockPath, { force: true });
    process.exit(0);
  };
  process.on('message', (message: { type?: string }) => message?.type === 'close' && void close());
  process.on('disconnect', () => void close());
  process.send?.({ type: 'ready' } satisfies EmbeddedMessage);
}

main().catch((error: Error) => {
  process.send?.({ type: 'failed', message: error.message } satisfies EmbeddedMessage, () => process.exit(1));
  if (!process.send) process.exit(1);
});
