import { openDatabase } from '../store/db.ts';
import { configOrExit } from './config-or-exit.ts';

/** Opening the database applies the pending migrations. */
export async function run(): Promise<number> {
  const config = configOrExit();
  if (!config) return 2;
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await database.close();
  process.stdout.write(`migrations applied (${database.kind})\n`);
  return 0;
}
