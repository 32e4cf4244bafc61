// The sandbox's only entry: a look-alike of Kontur's services (KCR, cloud signature, ...) that a
// host mounts into its Fastify server. The host (the bridge's server, or `kca sandbox` alone)
// loads this module dynamically and gives it a PostgreSQL pool, a data directory, a master key,
// a logger, a console guard and the SANDBOX_* variables; the sandbox migrates its own schemas
// and registers every part. Nothing outside src/sandbox imports it statically, so the bridge
// builds and runs with this folder deleted.
//
// A new part is a SandboxPart added to PARTS below.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ConsoleGuard } from './console-access.ts';
import { readSandboxConfig } from './config.ts';
import { openSandboxDb } from './store/database.ts';
import type { SandboxContext, SandboxPart } from './part.ts';
import { kcrSandbox } from './kcr-plugin.ts';
import { cloudSandbox } from './cloud-plugin.ts';
import { caSandbox } from './ca-plugin.ts';
import { SandboxCa } from './ca.ts';
import { tlsClientThumbprint } from './transport-identity.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import { reestroSandbox } from './reestro-plugin.ts';
import { mountMailCatcher } from './mail-plugin.ts';

/** Every part, mounted in this order. */
const PARTS: readonly SandboxPart[] = [kcrSandbox, cloudSandbox, caSandbox, reestroSandbox];

export type { ConsoleAccess, ConsoleGuard } from './console-access.ts';

export interface SandboxMountOptions {
  /** A pool on the database that holds the sandbox's schemas (sandbox, sandbox_kcr, ...). */
  pool: pg.Pool;
  /** A directory the sandbox may write files under. */
  dataDir: string;
  /** 32 bytes that seal the sandbox's keys (its CA, the cloud signers). */
  masterKey: Buffer;
  logger: Logger;
  /**
   * Decides who may use /sandbox/console: everything, or only the SMS outbox filtered to one phone
   * (see console-access.ts); throws an error with `statusCode` to refuse.
   */
  consoleGuard: ConsoleGuard;
  /** The environment to read SANDBOX_* from. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * How the transport identified a request's client (e.g. a GOST TLS terminator in front of the
   * sandbox); by default the thumbprint of the TLS client certificate Node's TLS received.
   */
  transportIdentity?(request: FastifyRequest): string | undefined;
}

export interface MountedSandbox {
  parts: { name: string; title: string; apiPath: string }[];
  /** The operator console (SMS outbox, CA operator, ESIA, faults). */
  consolePath: string;
  /** The mail catcher's SMTP server (see mail-catcher.ts), the host's default for outgoing mail. */
  mailCatcher: { host: string; port: number };
}

/** Migrates the sandbox's schemas and registers every part on `app`. */
/** Applies the sandbox's migrations to the database behind `pool` (mountSandbox does it too). */
export async function migrateSandbox(pool: SandboxMountOptions['pool']): Promise<void> {
  await openSandboxDb(pool);
}

/** Checks the SANDBOX_* settings alone (a SandboxConfigError names the wrong one), before anything starts. */
export function checkSandboxConfig(env: SandboxMountOptions['env']): void {
  readSandboxConfig(env);
}

export async function mountSandbox(app: FastifyInstance, options: SandboxMountOptions): Promise<MountedSandbox> {
  const config = readSandboxConfig(options.env);
  const db = await openSandboxDb(options.pool);
  const context: SandboxContext = {
    db,
    dataDir: options.dataDir,
    config,
    masterKey: options.masterKey,
    logger: options.logger,
    consoleGuard: options.consoleGuard,
    ca: new SandboxCa(db, new SecretBox(options.masterKey), { validityDays: config.certValidityDays }),
    transportIdentity: options.transportIdentity ?? tlsClientThumbprint,
  };
  for (const part of PARTS) {
    await app.register(async (scope) => part.register(scope, { ...context, logger: options.logger.child({ sandboxPart: part.name }) }));
  }
  const mailCatcher = await mountMailCatcher(app, context);
  return { parts: PARTS.map(({ name, title, apiPath }) => ({ name, title, apiPath })), consolePath: '/sandbox/console/', mailCatcher };
}
