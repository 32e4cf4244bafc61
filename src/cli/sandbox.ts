// `kca sandbox`: the Kontur sandbox alone on ${SANDBOX_PORT:-9090}, for other projects to
// develop against (KCR at /sandbox/kcr, cloud signature at /sandbox/cloud/v3, the console at /sandbox/console, no authentication).
// Its state lives in its own schemas (sandbox, sandbox_kcr, sandbox_cloud): PGlite under DATA_DIR, or DATABASE_URL.
import Fastify from 'fastify';
import { openDatabase } from '../store/db.ts';
import { createLogger } from '../server.ts';
import { sandboxPlugin } from '../sandbox/plugin.ts';
import { cloudSandboxPlugin } from '../sandbox/cloud-plugin.ts';
import { openSandboxDb } from '../sandbox/store/database.ts';
import { configOrExit } from './config-or-exit.ts';

export async function run(): Promise<number> {
  const config = configOrExit();
  if (!config) return 2;
  const logger = createLogger(config);
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const db = await openSandboxDb(database.pool);
  const app = Fastify({ loggerInstance: logger });
  await app.register(sandboxPlugin, {
    db,
    config: config.sandbox,
    masterKey: config.masterKey,
    logger: logger.child({ component: 'sandbox' }),
    // Standalone, the sandbox is a development tool: its console is open.
    consoleGuard: async () => undefined,
  });
  await app.register(cloudSandboxPlugin, {
    db,
    dataDir: config.dataDir,
    config: config.sandbox,
    masterKey: config.masterKey,
    logger: logger.child({ component: 'sandbox-cloud' }),
    consoleGuard: async () => undefined,
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port: config.sandbox.port, host: config.host });
  logger.info({ url: `http://${config.host}:${config.sandbox.port}/sandbox/kcr/`, apiKey: config.sandbox.kcrApiKey === process.env.SANDBOX_KCR_API_KEY ? '(from SANDBOX_KCR_API_KEY)' : '(the documented default)' }, 'Kontur KCR sandbox is listening');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await app.close();
  await database.close();
  return 0;
}
