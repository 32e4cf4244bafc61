// Starts and stops the embedded database's process (src/store/embedded-postgres.ts, or
// embedded-postgres.mjs next to the server bundle) and tells where its socket is. If the process
// dies unexpectedly it is started again (a few times a minute at most), and the server's
// connection pool reconnects on its next query.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddedMessage } from './embedded-postgres.ts';

/** node-postgres finds a Unix socket as `${host}/.s.PGSQL.${port}`. */
const PORT = 5432;
const START_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 30_000;
const MAX_RESTARTS_PER_MINUTE = 3;
/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with the terminating zero). */
const MAX_SOCKET_PATH = 107;

export interface EmbeddedPostgres {
  /** The socket's directory, as node-postgres' `host`. */
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Node's flags for the database process, measured with bench/sign.ts and a query loop: only
 * V8's baseline compiler for PGlite's WebAssembly (--liftoff-only: 168 → 130 MiB resident; simple
 * queries ~0.6 → ~0.9 ms, inserts barely slower), and the same lean heap settings as `npm start`.
 */
const PROCESS_FLAGS = ['--liftoff-only', '--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1'];

/** The process's command line: the .ts entry through tsx next to the sources, the .mjs next to a bundle. */
function command(dataDir: string, socketPath: string): string[] {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(typescript ? './embedded-postgres.ts' : './embedded-postgres.mjs', import.meta.url));
  return [...PROCESS_FLAGS, ...(typescript ? ['--import', import.meta.resolve('tsx')] : []), entry, dataDir, socketPath];
}

/** A directory for the socket that only this user can enter: next to the data, or in the temp dir when that path is too long. */
function socketDirectory(dataDir: string): { dir: string; temporary: boolean } {
  const dir = join(dirname(dataDir), 'run');
  if (join(dir, `.s.PGSQL.${PORT}`).length <= MAX_SOCKET_PATH) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return { dir, temporary: false };
  }
  return { dir: mkdtempSync(join(tmpdir(), 'kca-db-')), temporary: true };
}

interface RunningProcess {
  child: ChildProcess;
  /** Settles when the process has exited (taken at spawn, so an early exit is never missed). */
  exited: Promise<unknown>;
}

function startProcess(dataDir: string, socketPath: string): Promise<RunningProcess> {
  const child = spawn(process.execPath, command(dataDir, socketPath), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit').catch(() => undefined);
  // The server's own work keeps it alive, not this process: a server that ends without closing
  // the database still exits, and the database process then closes itself (its IPC channel ends).
  child.unref();
  child.channel?.unref();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the embedded database did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', settle);
      if (error) reject(error);
      else resolve({ child, exited });
    };
    const onMessage = (message: EmbeddedMessage) => settle(message.type === 'ready' ? undefined : new Error(`the embedded database did not start: ${message.message}`));
    const onExit = (code: number | null) => settle(new Error(`the embedded database process exited while starting (code ${code})`));
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', settle);
  });
}

/** `warn` hears of the process dying and being started again. */
export async function startEmbeddedPostgres(directory: string, warn: (message: string) => void): Promise<EmbeddedPostgres> {
  // Absolute: node-postgres takes a host that starts with / for a socket directory.
  const dataDir = resolve(directory);
  const socket = socketDirectory(dataDir);
  const socketPath = join(socket.dir, `.s.PGSQL.${PORT}`);
  let running = await startProcess(dataDir, socketPath);
  let closing = false;
  const restarts: number[] = [];

  const watch = (current: RunningProcess) => {
    current.child.once('exit', (code, signal) => {
      if (closing) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts[0] < now - 60_000) restarts.shift();
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        warn(`the embedded database process exited (${signal ?? `code ${code}`}) too often; not restarting`);
        return;
      }
      warn(`the embedded database process exited (${signal ?? `code ${code}`}); restarting it`);
      startProcess(dataDir, socketPath).then(
        (next) => {
          running = next;
          if (closing) void stop(next);
          else watch(next);
        },
        (error: Error) => warn(`the embedded database could not be restarted: ${error.message}`),
      );
    });
  };
  watch(running);

  const stop = async ({ child, exited }: RunningProcess) => {
    if (child.exitCode === null && child.signalCode === null && child.connected) {
      child.ref();
      child.channel?.ref();
      child.send({ type: 'close' });
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  return {
    host: socket.dir,
    port: PORT,
    async close() {
      closing = true;
      await stop(running);
      if (socket.temporary) rmSync(socket.dir, { recursive: true, force: true });
    },
  };
}
