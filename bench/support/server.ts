// A server for a benchmark: `kca serve` as a child process, started the way `npm start` starts
// it (bin/kca.js with the Node flags of the `start` script), on the embedded PostgreSQL or on a
// fresh database of an external PostgreSQL server (BENCH_DATABASE_URL, else TEST_DATABASE_URL,
// else the local server), with the built-in sandbox.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startKca, waitForHealthy, type KcaProcess } from '../../test/support/process.ts';
import { createPostgresDatabase } from '../../test/support/server.ts';

export type DatabaseKind = 'embedded' | 'postgres';
export const ADMIN_PASSWORD = 'bench-admin-password';
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The Node.js flags `npm start` gives the server, read from package.json so that both stay the same. */
export const START_FLAGS: string[] =
  /\bnode ((?:--\S+ )*)bin\/kca\.js serve/.exec(JSON.parse(readFileSync('package.json', 'utf8')).scripts.start)?.[1].trim().split(' ').filter(Boolean) ?? [];

export interface BenchServer {
  url: string;
  pid: number;
  dataDir: string;
  database: DatabaseKind;
  /** Milliseconds from spawning the process to the first healthy answer. */
  startMs: number;
  process: KcaProcess;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  database: DatabaseKind;
  /** Node flags instead of npm start's. */
  flags?: string[];
  env?: Record<string, string>;
}

export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kca-bench-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const postgres = options.database === 'postgres' ? await createPostgresDatabase(POSTGRES_URL) : undefined;
  const started = performance.now();
  const child = startKca(
    ['serve'],
    {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      SANDBOX_ACTUALIZATION_MS: '50',
      ISSUE_EVENTS_POLL_MS: '100',
      // The load starts hundreds of signing operations for one signer: the SMS limits at their maximum.
      SMS_LIMIT_SIGN_PER_HOUR: '1000',
      SMS_LIMIT_OPEN_SIGN_OPERATIONS: '1000',
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
      ...options.env,
    },
    [...(options.flags ?? START_FLAGS), 'bin/kca.js'],
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(url, 120_000, 10);
  } catch (error) {
    child.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${child.output()}`);
  }
  const startMs = performance.now() - started;
  return {
    url,
    pid: child.child.pid!,
    dataDir,
    database: options.database,
    startMs,
    process: child,
    async stop() {
      child.child.kill('SIGTERM');
      await child.exited;
      await postgres?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
