// How the bridge reaches its built-in sandbox (src/sandbox): only through this dynamic import of
// the sandbox's entry, so that the bridge type-checks, bundles and runs with src/sandbox deleted
// (then the settings must point at a real Kontur, or at a sandbox running elsewhere).
// From the TypeScript sources the entry is src/sandbox/index.ts; from the server bundle it is
// sandbox.mjs next to the bundle (scripts/server-bundle.js builds it only when the folder exists).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import { PACKAGE_ROOT } from './package-files.ts';

/** What the console guard grants (src/sandbox/console-access.ts): everything, or the SMS outbox of one phone. */
export type ConsoleAccess = { scope: 'all' } | { scope: 'ownSms'; phone: string };

/** What the host gives the sandbox (src/sandbox/index.ts: SandboxMountOptions). */
export interface SandboxMountOptions {
  pool: pg.Pool;
  dataDir: string;
  masterKey: Buffer;
  logger: Logger;
  consoleGuard(request: FastifyRequest): Promise<ConsoleAccess | void>;
  /** Where the sandbox reads its SANDBOX_* settings. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface MountedSandbox {
  parts: { name: string; title: string; apiPath: string }[];
  consolePath: string;
  /** The sandbox's SMTP mail catcher: where notices go while no SMTP server is set. */
  mailCatcher: { host: string; port: number };
}

/** The sandbox entry's exports (src/sandbox/index.ts). */
export interface SandboxEntry {
  checkSandboxConfig(env: SandboxMountOptions['env']): void;
  migrateSandbox(pool: pg.Pool): Promise<void>;
  mountSandbox(app: FastifyInstance, options: SandboxMountOptions): Promise<MountedSandbox>;
}

/** Where the entry would be for the code now running. */
export function sandboxEntryFile(): string {
  const bundled = !import.meta.url.endsWith('.ts');
  return bundled ? fileURLToPath(new URL('./sandbox.mjs', import.meta.url)) : join(PACKAGE_ROOT, 'src', 'sandbox', 'index.ts');
}

/** The sandbox's entry, or undefined when this installation has none. */
export async function loadSandbox(): Promise<SandboxEntry | undefined> {
  const file = sandboxEntryFile();
  if (!existsSync(file)) return undefined;
  return (await import(pathToFileURL(file).href)) as SandboxEntry;
}

/** A wrong SANDBOX_* value (the sandbox's SandboxConfigError), told apart from other failures by name. */
export function isSandboxConfigError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'SandboxConfigError';
}
