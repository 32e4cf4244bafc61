// Databases that test files copy instead of migrating their own (run by scripts/run-tests.js):
// an embedded cluster and, with TEST_DATABASE_URL, a database on that server, each with the
// bridge's migrations, the sandbox's (when the sandbox is there) and pg-boss's schema applied.
// A test file's server then starts on a copy (a directory copy, or CREATE DATABASE ... TEMPLATE)
// and finds nothing to migrate.
//
//   node --import tsx scripts/test-templates.ts create <dir>   prints {"cluster", "database"} as JSON
//   node --import tsx scripts/test-templates.ts drop <database>
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase, type Database } from '../src/store/db.ts';
import { JobQueue } from '../src/jobs/queue.ts';
import { loadSandbox } from '../src/sandbox-host.ts';

async function migrateAll(database: Database): Promise<void> {
  await (await loadSandbox())?.migrateSandbox(database.pool);
  const jobs = new JobQueue(database, pino({ level: 'silent' }));
  await jobs.start({ work: false });
  await jobs.stop();
}

async function create(dir: string): Promise<{ cluster: string; database?: string }> {
  const embedded = await openDatabase({ dataDir: dir });
  await migrateAll(embedded);
  await embedded.close();
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return { cluster: join(dir, 'postgres') };
  const name = `kca_test_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const postgres = await openDatabase({ dataDir: dir, databaseUrl: url.toString() });
  await migrateAll(postgres);
  await postgres.close();
  return { cluster: join(dir, 'postgres'), database: name };
}

const [command, argument] = process.argv.slice(2);
if (command === 'create') {
  process.stdout.write(JSON.stringify(await create(argument)));
} else if (command === 'drop') {
  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${pg.escapeIdentifier(argument)} with (force)`);
  await admin.end();
} else {
  process.stderr.write('usage: test-templates.ts create <dir> | drop <database>\n');
  process.exit(2);
}
