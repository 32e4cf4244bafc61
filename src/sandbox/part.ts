// What every part of the sandbox (KCR, cloud signature, later Реестро) is given when it is
// mounted, and what it declares about itself. A part registers its routes, hooks and error
// handlers in its own Fastify scope, so one part's Kontur error shape never leaks into another.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConsoleGuard } from './console-access.ts';
import type { Logger } from 'pino';
import type { SandboxCa } from './ca.ts';
import type { SandboxConfig } from './config.ts';
import type { SandboxDb } from './store/database.ts';

export interface SandboxContext {
  /** The sandbox's database, migrated once for all parts. */
  db: SandboxDb;
  /** Where a part may keep files (the cloud sandbox's uploads live under it). */
  dataDir: string;
  config: SandboxConfig;
  /** 32 bytes that seal the sandbox's private keys at rest. */
  masterKey: Buffer;
  logger: Logger;
  /** Decides who may use the console routes; throws an error with `statusCode` to refuse. */
  consoleGuard: ConsoleGuard;
  /** The sandbox's certification authority, shared by every part (KCR releases, the cloud signs, /sandbox/ca publishes). */
  ca: SandboxCa;
  /**
   * The client identity the transport established for a request (the thumbprint of a TLS
   * client certificate), or undefined. The cloud sandbox uses it when a request has no
   * `certificate` parameter.
   */
  transportIdentity(request: FastifyRequest): string | undefined;
}

export interface SandboxPart {
  /** Short name for logs ("kcr", "cloud", ...). */
  name: string;
  /** What it plays, for the start message. */
  title: string;
  /** Where its API answers, relative to the server's root (e.g. "/sandbox/kcr/"). */
  apiPath: string;
  register(app: FastifyInstance, context: SandboxContext): Promise<void>;
}
