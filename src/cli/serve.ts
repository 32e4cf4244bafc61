import { parseArgs } from 'node:util';
import { closeOnSignals, createLogger, startServer } from '../server.ts';
import { configOrExit } from './config-or-exit.ts';
import { isSandboxConfigError, loadSandbox } from '../sandbox-host.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'no-worker': { type: 'boolean', default: false } } });
  const config = configOrExit();
  if (!config) return 2;
  const logger = createLogger(config);
  try {
    (await loadSandbox())?.checkSandboxConfig(config.sandboxEnv);
  } catch (error) {
    // A wrong SANDBOX_* value is a configuration error like any other: one line, exit 2.
    if (!isSandboxConfigError(error)) throw error;
    process.stderr.write(`kca: configuration error: ${error.message}\n`);
    return 2;
  }
  const server = await startServer(config, { http: true, worker: !values['no-worker'], logger });
  await closeOnSignals(server, logger);
  return 0;
}
