// GOST TLS through Debian's stunnel4 with OpenSSL's GOST engine (libengine-gost-openssl).
// Node's TLS cannot speak GOST: its OpenSSL has no GOST cipher suites, even with the engine
// loaded. stunnel, run with an OPENSSL_CONF that loads the engine, does TLS 1.2 with
// GOST2012-KUZNYECHIK-KUZNYECHIKOMAC and GOST2012-MAGMA-MAGMAOMAC. This module finds the tools,
// writes stunnel's configuration, runs one stunnel process under supervision (restarted when it
// dies, a bounded number of times) and reads its log, connection by connection, so that callers
// can tell what happened to a connection (cipher suite, peer certificate, why a handshake failed).
// Used by the bridge's tunnel to Kontur (src/kontur/gost-tunnel.ts) and by the sandbox's GOST TLS
// front; it knows nothing about either.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { GostTlsTools } from './gost-openssl.ts';

export { findGostTlsTools, gostOpensslConfig, GostTlsUnavailableError, type GostTlsTools } from './gost-openssl.ts';

/** The cipher suites of GOST TLS 1.2 (RFC 9189), strongest first. */
export const GOST_TLS_CIPHERS = ['GOST2012-KUZNYECHIK-KUZNYECHIKOMAC', 'GOST2012-MAGMA-MAGMAOMAC'] as const;

export type StunnelOptions = Record<string, string | number | readonly string[] | undefined>;

/** stunnel's configuration file: global options, then one section per service. Values never span lines. */
export function stunnelConfig(global: StunnelOptions, services: Record<string, StunnelOptions>): string {
  const lines = (options: StunnelOptions) =>
    Object.entries(options).flatMap(([name, value]) =>
      value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => {
        const text = String(item);
        if (/[\r\n]/.test(text)) throw new Error(`stunnel option ${name} must be one line`);
        return `${name} = ${text}`;
      }),
    );
  return [...lines(global), ...Object.entries(services).flatMap(([name, options]) => ['', `[${name}]`, ...lines(options)]), ''].join('\n');
}

export interface StunnelLogLine {
  /** syslog level: 3 error, 4 warning, 5 notice, 6 info, 7 debug. */
  level: number;
  /** The connection's number, or `ui`/`cron`/`config` for the process's own lines. */
  connection: string;
  text: string;
}

const CONFIG_TIME_LEVELS: Record<string, number> = { '!': 3, ':': 4, '.': 5, ' ': 7 };

/** One line of stunnel's log: `2026.01.31 12:00:00 LOG5[3]: text`, or `[!] text` while it reads its configuration. */
export function parseStunnelLine(line: string): StunnelLogLine | undefined {
  const logged = /^\S+ \S+ LOG(\d)\[([^\]]*)\]: (.*)$/.exec(line);
  if (logged) return { level: Number(logged[1]), connection: logged[2], text: logged[3] };
  const early = /^\[([!:. ])\] (.*)$/.exec(line);
  if (early) return { level: CONFIG_TIME_LEVELS[early[1]], connection: 'config', text: early[2] };
  return undefined;
}

/** What stunnel logged about one connection. */
export interface StunnelConnection {
  /** `${start}:${connection}`: stunnel numbers connections from 0 in each process. */
  key: string;
  /** The address the connection came from (`127.0.0.1:41234`), once logged. */
  peer?: string;
  lines: StunnelLogLine[];
  /** stunnel logged its end (closed or reset). */
  ended: boolean;
}

export interface StunnelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: Date;
  /** The last error lines before the exit. */
  errors: string[];
}

/** stunnel did not come up; `lines` are its errors. */
export class StunnelStartError extends Error {
  constructor(
    message: string,
    readonly errors: string[],
    /** The port to listen on was taken. */
    readonly addressInUse: boolean,
  ) {
    super(message);
  }
}

export interface SupervisorLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; past that the tunnel stays down until started again. */
  maxRestarts: number;
  windowMs: number;
  /** Delay before the n-th restart in a row (1-based). */
  delayMs(restart: number): number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxRestarts: 3,
  windowMs: 60_000,
  delayMs: (restart) => Math.min(10_000, 250 * 2 ** (restart - 1)),
};

export type SupervisorState = 'stopped' | 'starting' | 'running' | 'restarting' | 'failed';

export interface SupervisedStunnelOptions {
  tools: GostTlsTools;
  /** Writes what one start needs (configuration, certificates, key) and returns the configuration file's path. */
  prepare(): Promise<string>;
  /** stunnel has read its configuration: a private key file can be removed now. */
  loaded?(): Promise<void> | void;
  /** After every exit (also a wanted one): remove what prepare() wrote. */
  cleanup?(): Promise<void> | void;
  log: SupervisorLog;
  /** A name for logs. */
  name: string;
  restart?: RestartPolicy;
  startTimeoutMs?: number;
}

const KEPT_CONNECTIONS = 512;
const STOP_TIMEOUT_MS = 5_000;

/** Whether a line is stunnel's note that a connection has ended. */
function endsConnection(text: string): boolean {
  return /^Connection (closed|reset)/.test(text);
}

/**
 * One stunnel process, started on demand and restarted when it dies unexpectedly (at most
 * `maxRestarts` times within `windowMs`, with growing delays; each exit is logged). stop()
 * ends it and removes its files. Its log lines are kept per connection.
 */
export class SupervisedStunnel {
  private child: ChildProcess | undefined;
  private starts = 0;
  /** When the restarts of the current window happened. */
  private restarts: number[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private starting: Promise<void> | undefined;
  private readonly connections = new Map<string, StunnelConnection>();
  private readonly waiters = new Set<() => void>();
  private readonly policy: RestartPolicy;
  private _state: SupervisorState = 'stopped';
  /** The last exit that was not asked for. */
  lastExit: StunnelExit | undefined;
  /** Why the last start failed. */
  lastStartError: StunnelStartError | undefined;
  /** When the next restart is due (state `restarting`). */
  restartAt: Date | undefined;
  /** When the restarts ran out (state `failed` after exits). */
  gaveUpAt: Date | undefined;

  constructor(private readonly options: SupervisedStunnelOptions) {
    this.policy = options.restart ?? DEFAULT_RESTART_POLICY;
  }

  get state(): SupervisorState {
    return this._state;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts stunnel unless it runs; resolves once it accepts connections. */
  start(): Promise<void> {
    if (this._state === 'running') return Promise.resolve();
    this.stopping = false;
    clearTimeout(this.restartTimer);
    this.starting ??= this.spawnOnce().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Ends stunnel (SIGTERM, then SIGKILL) and removes its files; no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.restartAt = undefined;
    await this.starting?.catch(() => undefined);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    this.child = undefined;
    this._state = 'stopped';
    await this.options.cleanup?.();
  }

  /**
   * The log of the connection that came from `peer` (`127.0.0.1:41234`) in the current or last
   * process, once `done` holds for it (by default: stunnel logged its end), or whatever is known
   * when `timeoutMs` has passed.
   */
  async connectionFrom(peer: string, timeoutMs: number, done: (connection: StunnelConnection) => boolean = (c) => c.ended): Promise<StunnelConnection | undefined> {
    const find = () => [...this.connections.values()].reverse().find((c) => c.peer === peer);
    const ready = () => {
      const found = find();
      return found && done(found) ? found : undefined;
    };
    const now = ready();
    if (now || timeoutMs <= 0) return now ?? find();
    return new Promise((resolve) => {
      const check = () => {
        const found = ready();
        if (!found) return;
        finish(found);
      };
      const finish = (found: StunnelConnection | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => finish(find()), timeoutMs);
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private record(start: number, line: StunnelLogLine): void {
    if (!/^\d+$/.test(line.connection)) return;
    const key = `${start}:${line.connection}`;
    let connection = this.connections.get(key);
    if (!connection) {
      connection = { key, lines: [], ended: false };
      this.connections.set(key, connection);
      if (this.connections.size > KEPT_CONNECTIONS) this.connections.delete(this.connections.keys().next().value!);
    }
    connection.lines.push(line);
    const accepted = /accepted connection from (\S+)$/.exec(line.text);
    if (accepted) connection.peer = accepted[1];
    if (endsConnection(line.text)) connection.ended = true;
    this.notify();
  }

  private spawnOnce(): Promise<void> {
    this._state = 'starting';
    const start = ++this.starts;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const errors: string[] = [];
      const settle = (error?: StunnelStartError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        this._state = 'failed';
        child?.kill('SIGKILL');
        settle(new StunnelStartError(`stunnel did not start within ${this.options.startTimeoutMs ?? 15_000} ms`, errors, false));
      }, this.options.startTimeoutMs ?? 15_000);
      let child: ChildProcess | undefined;
      this.options
        .prepare()
        .then((configPath) => {
          if (this.stopping) return settle(new StunnelStartError('stopped while starting', [], false));
          const { stunnel, setpriv, env } = this.options.tools;
          child = setpriv ? spawn(setpriv, ['--pdeathsig', 'TERM', stunnel, configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(stunnel, [configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
          this.child = child;
          const spawned = child;
          for (const stream of [spawned.stdout!, spawned.stderr!]) {
            createInterface({ input: stream }).on('line', (raw) => {
              const line = parseStunnelLine(raw);
              if (!line) return;
              if (line.level <= 3 || /Address already in use/.test(line.text)) {
                errors.push(line.text);
                if (errors.length > 20) errors.shift();
              }
              this.record(start, line);
              if (!settled && line.text === 'Accepting new connections') {
                this._state = 'running';
                Promise.resolve(this.options.loaded?.()).then(() => settle(), () => settle());
              }
            });
          }
          spawned.once('error', (error) => {
            if (settled) return;
            this._state = 'failed';
            settle(new StunnelStartError(`stunnel cannot be run: ${error.message}`, [error.message], false));
          });
          spawned.once('exit', (code, signal) => {
            if (this.child === spawned) this.child = undefined;
            const exit: StunnelExit = { code, signal, at: new Date(), errors: [...errors] };
            if (!settled) {
              this._state = 'failed';
              const addressInUse = errors.some((text) => /Address already in use/i.test(text));
              const error = new StunnelStartError(errors.at(-1) ?? `stunnel exited with ${signal ?? code}`, errors, addressInUse);
              this.lastStartError = error;
              Promise.resolve(this.options.cleanup?.()).finally(() => settle(error));
              return;
            }
            // A start that timed out was killed by us: it never ran, so there is nothing to restart.
            if (this.stopping || this._state !== 'running') return;
            this.lastExit = exit;
            this.options.log.warn({ tunnel: this.options.name, code, signal, errors: exit.errors.slice(-3) }, 'stunnel exited');
            Promise.resolve(this.options.cleanup?.()).finally(() => this.scheduleRestart());
          });
        })
        .catch((error: unknown) => {
          this._state = 'failed';
          settle(error instanceof StunnelStartError ? error : new StunnelStartError((error as Error).message, [(error as Error).message], false));
        });
    });
  }

  private scheduleRestart(): void {
    if (this.stopping) return;
    const now = Date.now();
    this.restarts = this.restarts.filter((at) => now - at < this.policy.windowMs);
    if (this.restarts.length >= this.policy.maxRestarts) {
      this._state = 'failed';
      this.restartAt = undefined;
      this.gaveUpAt = new Date(now);
      this.options.log.error({ tunnel: this.options.name, restarts: this.restarts.length, windowMs: this.policy.windowMs }, 'stunnel keeps exiting: not restarted again until it is started anew');
      return;
    }
    this.restarts.push(now);
    const restart = this.restarts.length;
    const delay = this.policy.delayMs(restart);
    this._state = 'restarting';
    this.restartAt = new Date(now + delay);
    this.options.log.info({ tunnel: this.options.name, restart, delayMs: delay }, 'stunnel will be restarted');
    this.restartTimer = setTimeout(() => {
      this.restartAt = undefined;
      this.start().then(
        () => this.options.log.info({ tunnel: this.options.name, pid: this.pid }, 'stunnel restarted'),
        (error: Error) => {
          this.options.log.error({ tunnel: this.options.name, error: error.message }, 'stunnel could not be restarted');
          this.scheduleRestart();
        },
      );
    }, delay);
    this.restartTimer.unref();
  }
}

/**
 * Removes `<prefix><pid>` directories under `runDir` whose process is gone: a process killed
 * before it could clean up leaves its stunnel files there (a private key among them, if it died
 * while stunnel was starting).
 */
export function removeStaleRunDirectories(runDir: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(runDir, name), { recursive: true, force: true });
    }
  }
}
