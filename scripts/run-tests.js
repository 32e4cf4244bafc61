// Runs the test files under test/ with Node's own test runner (through tsx for TypeScript).
// Node 20's runner takes no globs, so the files are listed here. The suite runs on the
// embedded PostgreSQL; when TEST_DATABASE_URL is set, the files that use a database run a
// second time on that PostgreSQL server (KCA_TEST_DB=postgres). Files run in parallel, as many
// as the machine has cores (TEST_CONCURRENCY to choose), each on a copy of a database migrated
// once for the run (scripts/test-templates.ts).
//   node scripts/run-tests.js [path-part ...]   only the files whose path contains a part
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { testEnvironment } from './test-environment.js';

/** Files that never open a database, or only the embedded one (a PostgreSQL pass would repeat them): run once. */
const EMBEDDED_ONLY = [
  /^test\/crypto\//,
  /^test\/web\//,
  /identifiers\.test\.ts$/,
  /embedded-database\.test\.ts$/,
  /server-bundle\.test\.ts$/,
  /kcr-client(-answers)?\.test\.ts$/,
  /kcr-failures\.test\.ts$/,
  /audit-read-batch\.test\.ts$/,
  /^test\/sandbox\/(boundary|apart)\.test\.ts$/,
  /gost-tunnel\.test\.ts$/,
  /check-connection-cli\.test\.ts$/,
  /platform\/config\.test\.ts$/,
];

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const concurrency = Number(process.env.TEST_CONCURRENCY) || availableParallelism();

const baseEnvironment = testEnvironment(process.env);

function run(files, env) {
  if (files.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    // --test-force-exit: a file whose tests all finished ends even if a timer was left behind
    // (seen once on Node 24 under heavy load: the run waited for ever on a passed file).
    ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files],
    { stdio: 'inherit', env: { ...baseEnvironment, ...env } },
  );
  return result.status ?? 1;
}

/** The run's migrated databases (scripts/test-templates.ts). */
function createTemplates(dir) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test-templates.ts', 'create', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error('could not prepare the test databases');
  return JSON.parse(result.stdout);
}

const filter = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}

const templatesDir = mkdtempSync(join(tmpdir(), 'kca-test-templates-'));
let status = 1;
let templates;
try {
  templates = createTemplates(templatesDir);
  console.log(`\n=== ${files.length} test files on the embedded PostgreSQL, ${concurrency} at a time ===\n`);
  status = run(files, { KCA_TEST_DB: 'embedded', KCA_TEST_CLUSTER_TEMPLATE: templates.cluster });
  if (process.env.TEST_DATABASE_URL) {
    const withDatabase = files.filter((f) => !EMBEDDED_ONLY.some((pattern) => pattern.test(f)));
    console.log(`\n=== ${withDatabase.length} test files on PostgreSQL (${new URL(process.env.TEST_DATABASE_URL).host}), ${concurrency} at a time ===\n`);
    status = run(withDatabase, { KCA_TEST_DB: 'postgres', KCA_TEST_DATABASE_TEMPLATE: templates.database }) || status;
  }
} finally {
  if (templates?.database) spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test-templates.ts', 'drop', templates.database], { stdio: 'inherit' });
  rmSync(templatesDir, { recursive: true, force: true });
}
process.exit(status);
