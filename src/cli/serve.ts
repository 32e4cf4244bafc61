import { parseArgs } from 'node:util';
import { closeOnSignals, createLogger, startServer } from '../server.ts';
import { configOrExit } from './config-or-exit.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'no-worker': { type: 'boolean', default: false } } });
  const config = configOrExit();
  if (!config) return 2;
  const logger = createLogger(config);
  const server = await startServer(config, { http: true, worker: !values['no-worker'], logger });
  await closeOnSignals(server, logger);
  return 0;
}
