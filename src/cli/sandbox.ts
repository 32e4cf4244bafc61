// `kca sandbox`: the Kontur sandbox alone on ${SANDBOX_PORT:-9090}, for other projects to develop
// against, with its own database: the embedded one under ${SANDBOX_DATA_DIR:-$DATA_DIR/sandbox}
// (so it may run next to a server using DATA_DIR), or DATABASE_URL, where it keeps to its own
// schemas. Its console is open (it is a development tool). The sandbox is reached only through
// its entry (sandbox-host.ts), like the server does.
import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { openDatabase } from '../store/db.ts';
import { createLogger } from '../server.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { isSandboxConfigError, loadSandbox, sandboxEntryFile } from '../sandbox-host.ts';

export async function run(): Promise<number> {
  let config;
  try {
    const dataDir = resolve(process.env.SANDBOX_DATA_DIR || join(process.env.DATA_DIR || './data', 'sandbox'));
    config = loadConfig({ ...process.env, DATA_DIR: dataDir });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`kca: configuration error: ${error.message}\n`);
    return 2;
  }
  const sandbox = await loadSandbox();
  if (!sandbox) {
    process.stderr.write(`kca: this installation has no sandbox (${sandboxEntryFile()} is missing)\n`);
    return 2;
  }
  const logger = createLogger(config);
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, migrate: false });
  const app = Fastify({ loggerInstance: logger }) as unknown as FastifyInstance;
  let mounted;
  try {
    mounted = await sandbox.mountSandbox(app, {
      pool: database.pool,
      dataDir: config.dataDir,
      masterKey: config.masterKey,
      logger: logger.child({ component: 'sandbox' }),
      consoleGuard: async () => undefined,
      env: config.sandboxEnv,
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    await database.close();
    if (!isSandboxConfigError(error)) throw error;
    process.stderr.write(`kca: configuration error: ${error.message}\n`);
    return 2;
  }
  app.get('/healthz', async () => ({ status: 'ok' }));
  const address = await app.listen({ port: config.sandboxPort, host: config.host });
  const origin = address.replace(/\/$/, '');
  for (const part of mounted.parts) logger.info({ url: origin + part.apiPath }, `sandbox: ${part.title} at ${origin}${part.apiPath}`);
  logger.info({ smtp: mounted.mailCatcher }, `sandbox: mail catcher (SMTP) at ${mounted.mailCatcher.host}:${mounted.mailCatcher.port}, mailbox at ${origin}/sandbox/console/mail`);
  logger.info(
    { url: origin + mounted.consolePath, database: config.databaseUrl ? 'DATABASE_URL' : join(config.dataDir, 'postgres') },
    `sandbox: listening on ${origin}, console at ${origin}${mounted.consolePath}`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await app.close();
  await database.close();
  return 0;
}
