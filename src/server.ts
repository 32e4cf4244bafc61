// Composition root: opens the database, builds services, starts the HTTP front and/or the
// job worker, and shuts them down in order on SIGTERM.
import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './store/db.ts';
import { BlobStore } from './store/blobs.ts';
import { stopBackgroundStreebog } from './crypto/streebog-background.ts';
import { createServices, type Services } from './services/container.ts';
import { JobQueue } from './jobs/queue.ts';
import { purgeExpiredTokensJob } from './jobs/maintenance.ts';
import { IssueEventPoller, webhookDeliveryJob } from './jobs/issue-events.ts';
import { finishScheduler, signingFinishJob } from './jobs/sign-operations.ts';
import { followCertificateFormsJob } from './jobs/certificate-forms.ts';
import { mailDispatcher, mailSendJob, mailSweepJob } from './jobs/mail.ts';
import { noticeDeliveryScheduler, reconcileCertificatesJob } from './jobs/certificate-lifecycle.ts';
import { buildHttpApp, type App, type BuiltApp } from './http/app.ts';
import { createMetricsRegistry } from './http/metrics.ts';
import { loggerOptions } from './http/logging.ts';

export interface RunningServer {
  config: Config;
  database: Database;
  services: Services;
  jobs: JobQueue;
  app?: App;
  routes?: BuiltApp['routes'];
  /** Where the HTTP front listens, e.g. http://127.0.0.1:8080 */
  url?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  http: boolean;
  worker: boolean;
  logger?: Logger;
}

export function createLogger(config: Config): Logger {
  return pino(loggerOptions(config.logLevel));
}

export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const database = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    warn: (message) => logger.warn({ component: 'database' }, message),
    info: (message) => logger.info({ component: 'database' }, message),
  });
  const blobs = new BlobStore(database.db, config.dataDir);
  await blobs.init();
  const services = createServices(config, database, blobs, logger);

  const admin = await services.users.ensureAdmin(config.adminPassword);
  if (admin.generatedPassword) {
    // Printed once, on the console only: the log stream may be shipped elsewhere.
    process.stdout.write(
      `\n  First start: user "admin" was created with the password  ${admin.generatedPassword}\n` +
        '  It is not shown again. Set ADMIN_PASSWORD before the first start to choose it.\n\n',
    );
  }

  const jobs = new JobQueue(database, logger.child({ component: 'jobs' }), { leaseMs: config.jobLeaseMs });
  jobs.define(purgeExpiredTokensJob(services.auth, services.smsLimits));
  jobs.define(webhookDeliveryJob(services.webhooks, jobs));
  jobs.define(signingFinishJob(services.signing, jobs));
  services.signing.useScheduler(finishScheduler(jobs));
  jobs.define(followCertificateFormsJob(services.certificateForms, config.reestroFormsPollSeconds));
  jobs.define(mailSendJob(services.notifications));
  jobs.define(mailSweepJob(services.notifications, jobs));
  services.notifications.useDispatcher(mailDispatcher(jobs));
  jobs.define(reconcileCertificatesJob(services.certificateRenewals, config.certificateReconcileSeconds));
  services.certificateNotices.useScheduler(noticeDeliveryScheduler(jobs));
  await jobs.start({ work: options.worker });
  // Confirmed signing operations that a stopped process left unfinished get their job again.
  if (options.worker) await services.signing.resumeUnfinished();
  await services.events.start();
  // Worker processes poll Kontur's issue events; a lease in the database keeps one poller active.
  const poller = options.worker
    ? new IssueEventPoller(database, services.kcr, services.issues, services.webhooks, services.notifications, jobs, config.issueEventsPollMs, logger.child({ component: 'issue-events' }), config.konturDeadlineMs)
    : undefined;

  let built: BuiltApp | undefined;
  let url: string | undefined;
  if (options.http) {
    try {
      built = await buildHttpApp({ config, database, blobs, services, jobs, metrics: createMetricsRegistry() }, logger);
      await built.app.listen({ port: config.port, host: config.host });
    } catch (error) {
      // A start that fails here (a port in use, a wrong SANDBOX_* value) ends the process cleanly:
      // nothing started above may keep it alive.
      await built?.app.close().catch(() => undefined);
      await jobs.stop();
      await services.events.close();
      await database.close();
      throw error;
    }
    const address = built.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    services.settings.useListeningPort(port);
    url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    services.notifications.useWebAddress(url);
    logger.info({ url, database: database.kind, worker: options.worker }, 'Kontur CA Bridge is listening');
  }
  // Started after the HTTP front, so that with the default settings the poller finds the built-in sandbox listening.
  poller?.start();

  let closing: Promise<void> | undefined;
  return {
    config,
    database,
    services,
    jobs,
    app: built?.app,
    routes: built?.routes,
    url,
    close() {
      closing ??= (async () => {
        // New requests are refused, in-flight ones finish; then running jobs finish.
        await poller?.stop();
        await built?.app.close();
        await stopBackgroundStreebog();
        await jobs.stop();
        // The tunnel goes after the jobs that may still call the cloud API through it.
        await services.cloudConnections.tunnel.stop();
        await services.audit.flushReads();
        await services.events.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/** Runs until SIGTERM or SIGINT, then closes gracefully. */
export function closeOnSignals(server: RunningServer, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down: finishing requests and jobs');
      server
        .close()
        .catch((error) => logger.error({ err: error }, 'error while shutting down'))
        .finally(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
