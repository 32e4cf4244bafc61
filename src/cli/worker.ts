import { closeOnSignals, createLogger, startServer } from '../server.ts';
import { configOrExit } from './config-or-exit.ts';

export async function run(): Promise<number> {
  const config = configOrExit();
  if (!config) return 2;
  const logger = createLogger(config);
  const server = await startServer(config, { http: false, worker: true, logger });
  logger.info({ database: server.database.kind }, 'worker started');
  await closeOnSignals(server, logger);
  return 0;
}
