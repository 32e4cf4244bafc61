// Starts a real server for a test file: its own DATA_DIR, and either the embedded PostgreSQL
// (default) or a fresh database on an external PostgreSQL server when KCA_TEST_DB=postgres
// (created from TEST_DATABASE_URL and dropped afterwards). Tests talk to it over real HTTP.
import { cpSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { loggerOptions } from '../../src/http/logging.ts';
import type { Role } from '../../src/domain/roles.ts';

export const ADMIN_PASSWORD = 'admin-password-1';
export const usesPostgres = process.env.KCA_TEST_DB === 'postgres';

export interface TestServer {
  url: string;
  server: RunningServer;
  dataDir: string;
  databaseUrl: string | undefined;
  env: Record<string, string>;
  /** Bearer token of a user. */
  token(username?: string, password?: string): Promise<string>;
  /** fetch against the server with JSON in and out; `token` adds the Authorization header. */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: RequestInit['body'] }): Promise<{ status: number; body: any; headers: Headers }>;
  /** Creates a user with the role (and an employee card for `employee`) and returns its token. */
  userWithRole(role: Role): Promise<{ token: string; userId: string; employeeId: string | null }>;
  /** Stops the server, keeping its data (for restart tests). */
  stop(): Promise<void>;
  /** Starts it again on the same data and database. */
  restart(): Promise<void>;
  /** Stops and removes all its data. */
  close(): Promise<void>;
}

/** A new, empty database on the PostgreSQL server of `base` (TEST_DATABASE_URL by default). */
export async function createPostgresDatabase(base = process.env.TEST_DATABASE_URL): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!base) throw new Error('KCA_TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `kca_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  // A migrated template made once per run (scripts/run-tests.js), when there is one.
  const template = process.env.KCA_TEST_DATABASE_TEMPLATE;
  await admin.query(`create database ${name}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

let userCounter = 0;

export interface TestServerOptions {
  /** Where log lines go (to check what is and is not logged); silent by default. */
  logDestination?: { write(line: string): void };
}

export async function startTestServer(extraEnv: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kca-test-'));
  const database = usesPostgres ? await createPostgresDatabase() : undefined;
  // The embedded database starts on a copy of the run's migrated cluster (scripts/run-tests.js).
  if (!database && process.env.KCA_TEST_CLUSTER_TEMPLATE) cpSync(process.env.KCA_TEST_CLUSTER_TEMPLATE, join(dataDir, 'postgres'), { recursive: true });
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...extraEnv,
  };
  const logger = options.logDestination ? pino({ ...loggerOptions(env.LOG_LEVEL) }, options.logDestination) : pino({ level: env.LOG_LEVEL });
  let server = await startServer(loadConfig(env), { http: true, worker: true, logger });

  const harness: TestServer = {
    url: server.url!,
    server,
    dataDir,
    databaseUrl: database?.url,
    env,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: RequestInit['body'] = options.raw;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(harness.url + path, { method, headers, body });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return { status: response.status, body: type.includes('json') && text ? JSON.parse(text) : text, headers: response.headers };
    },
    async token(username = 'admin', password = ADMIN_PASSWORD) {
      const response = await harness.request('POST', '/api/v1/auth/token', { body: { username, password } });
      if (response.status !== 200) throw new Error(`cannot get a token for ${username}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token;
    },
    async userWithRole(role) {
      const admin = await harness.token();
      userCounter++;
      let employeeId: string | null = null;
      if (role === 'employee') {
        const employee = await harness.request('POST', '/api/v1/employees', {
          token: admin,
          body: { lastName: 'Тестов', firstName: 'Тест', middleName: 'Тестович', phone: `+7900${String(10_000_000 + userCounter).slice(1)}` },
        });
        if (employee.status !== 201) throw new Error(`cannot create an employee: ${JSON.stringify(employee.body)}`);
        employeeId = employee.body.id;
      }
      const username = `${role}${userCounter}-${randomBytes(3).toString('hex')}`;
      const password = 'user-password-1';
      const user = await harness.request('POST', '/api/v1/users', { token: admin, body: { username, role, password, employeeId } });
      if (user.status !== 201) throw new Error(`cannot create a user: ${JSON.stringify(user.body)}`);
      return { token: await harness.token(username, password), userId: user.body.id, employeeId };
    },
    async stop() {
      await server.close();
    },
    async restart() {
      server = await startServer(loadConfig({ ...env, PORT: String(new URL(harness.url).port) }), { http: true, worker: true, logger });
      harness.server = server;
    },
    async close() {
      await server.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
