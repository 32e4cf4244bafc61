// Runs the test files under test/ with Node's own test runner (through tsx for TypeScript).
// Node 20's runner takes no globs, so the files are listed here. The suite runs on the
// embedded PostgreSQL; when TEST_DATABASE_URL is set, the files that use a database run a
// second time on that PostgreSQL server (KCA_TEST_DB=postgres).
//   node scripts/run-tests.js [path-part ...]   only the files whose path contains a part
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Files that never open a database, or only the embedded one (a PostgreSQL pass would repeat them): run once. */
const EMBEDDED_ONLY = [
  /^test\/crypto\//,
  /^test\/web\//,
  /identifiers\.test\.ts$/,
  /embedded-database\.test\.ts$/,
  /server-bundle\.test\.ts$/,
  /kcr-client(-answers)?\.test\.ts$/,
  /kontur-failures\.test\.ts$/,
  /^test\/sandbox\/(boundary|apart)\.test\.ts$/,
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

function run(files, env) {
  if (files.length === 0) return 0;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
    { stdio: 'inherit', env: { ...process.env, ...env } },
  );
  return result.status ?? 1;
}

const filter = process.argv.slice(2);
const files = findTests('test')
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filter.join(' ')}`);
  process.exit(1);
}

console.log(`\n=== ${files.length} test files on the embedded PostgreSQL ===\n`);
let status = run(files, { KCA_TEST_DB: 'embedded' });
if (process.env.TEST_DATABASE_URL) {
  const withDatabase = files.filter((f) => !EMBEDDED_ONLY.some((pattern) => pattern.test(f)));
  console.log(`\n=== ${withDatabase.length} test files on PostgreSQL (${new URL(process.env.TEST_DATABASE_URL).host}) ===\n`);
  status = run(withDatabase, { KCA_TEST_DB: 'postgres' }) || status;
}
process.exit(status);
