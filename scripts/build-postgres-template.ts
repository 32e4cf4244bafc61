// Makes dist/postgres-template: an empty PostgreSQL cluster (initdb) that the embedded database
// copies into a new DATA_DIR instead of running initdb on the first start. Runs at `npm install`;
// a failure only costs that second on the first start, so it never aborts the install.
import { buildClusterTemplate } from '../src/store/embedded-postgres.ts';

try {
  const started = Date.now();
  if (buildClusterTemplate()) process.stdout.write(`embedded PostgreSQL: cluster template ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  else process.stdout.write('embedded PostgreSQL: no binaries for this platform (set DATABASE_URL to use a PostgreSQL server)\n');
} catch (error) {
  process.stdout.write(`embedded PostgreSQL: no cluster template (${(error as Error).message}); the first start runs initdb\n`);
}
