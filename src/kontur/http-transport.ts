// Outbound HTTP to Kontur's APIs (KCR, the cloud signature API) and to webhook receivers: one
// keep-alive connection pool per transport on Node's own http/https client, and the one place
// where a failed call is repeated. Retries use exponential backoff with full jitter (or the
// server's Retry-After) and happen only when safe: any failure of a call the caller marks as
// repeatable; for any other call only an answer that proves nothing was done — the connection
// failed before the request was sent (refused, unreachable), 503 (Kontur answers it before any
// work) or 429 (refused as too many) — never a timeout or a 500/502/504 after sending. Every
// attempt and every pause ends by the operation's deadline (deadline.ts): an attempt gets
// min(timeoutMs, the time left), its socket is closed when the deadline passes, and no retry
// starts that could not end in time. Logs method, path, status and timing; never headers,
// query strings or bodies (they carry API keys and personal data).
//
// Why node:http and not undici (ARCHITECTURE.md names undici): undici parses HTTP with a
// WebAssembly build of llhttp, and loading plus compiling it costs the server ~30 MiB of
// resident memory (README: "Memory"); Node's client uses the same parser compiled in.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import { currentDeadline, pause, type Deadline } from './deadline.ts';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Statuses worth another try of a repeatable call. */
  retryStatuses: readonly number[];
  /** Statuses that prove the request was not carried out: another try even of a call that is not repeatable (default 429, 503). */
  unprocessedStatuses?: readonly number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  retryStatuses: [408, 429, 502, 503, 504],
  unprocessedStatuses: [429, 503],
};

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute base address (ends with /) and a path relative to it. */
  baseUrl: string;
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Deadline of one attempt (cut to the time the operation's deadline leaves). */
  timeoutMs: number;
  /** True when sending the same request twice has the effect of sending it once. */
  repeatable: boolean;
  /** Exactly one attempt whatever the answer: the caller repeats by itself (webhook deliveries, a job with its own retries). */
  once?: boolean;
  /** The operation's deadline; by default the one the calling operation opened (deadline.ts). */
  deadline?: Deadline;
  /** Short name of the operation for logs and metrics. */
  operation: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  attempts: number;
  /** The local port of the connection that carried the answer. */
  localPort?: number;
}

/** No response came back: the request may or may not have been carried out. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    readonly operation: string,
    message: string,
    /** False only when the connection failed before anything was sent. */
    readonly mayHaveBeenProcessed: boolean,
    options?: { cause?: unknown },
    /** The local port of the call's connection, once it was connected (a local tunnel logs it as the connection's origin). */
    readonly localPort?: number,
    /** The operation's deadline ended the call (not the attempt's own timeout): no time is left for another. */
    readonly deadlinePassed = false,
  ) {
    super(message, options);
  }
}

/** TLS client material for an https address: a PEM pair or a PFX with its password. */
export type ClientTlsMaterial = { cert: string; key: string } | { pfx: Buffer; passphrase: string };

export interface TransportOptions {
  /** Presented as the TLS client certificate on https connections. */
  tls?: ClientTlsMaterial;
  /** Certificates (PEM) trusted for servers' TLS certificates besides Node's bundled roots. */
  trustedCa?: readonly string[];
  /** A larger answer is dropped as a network failure rather than held in memory. */
  maxResponseBytes?: number;
}

/** An idle kept-alive connection is closed after this long (Fastify, like most servers, keeps them 72 s). */
const IDLE_SOCKET_MS = 30_000;
const MAX_SOCKETS_PER_ORIGIN = 16;
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Delay before the attempt after `attempt` (1-based): full jitter over an exponential cap, or the server's Retry-After. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds)) return Math.min(policy.maxDelayMs, Math.max(0, retryAfterSeconds * 1000));
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

export function retryAfterSeconds(headers: OutboundResponse['headers']): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

export class HttpTransport {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly maxResponseBytes: number;

  constructor(
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    options: TransportOptions = {},
  ) {
    const pool = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    this.httpAgent = new HttpAgent(pool);
    this.httpsAgent = new HttpsAgent({ ...pool, ...options.tls, ...(options.trustedCa ? { ca: [...rootCertificates, ...options.trustedCa] } : {}) });
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async request(request: OutboundRequest): Promise<OutboundResponse> {
    const url = new URL(request.path.replace(/^\//, ''), request.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    const deadline = request.deadline ?? currentDeadline();
    const maxAttempts = request.once ? 1 : this.policy.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let outcome: OutboundResponse | TransportError;
      try {
        outcome = await this.once(url, request, attempt, deadline);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        outcome = error;
      }
      const ms = Math.round(performance.now() - started);
      const log = { operation: request.operation, method: request.method, path: url.pathname, attempt, ms };
      const retryable = this.mayRepeat(request, outcome);
      const wait = retryable ? backoffDelay(this.policy, attempt, outcome instanceof TransportError ? undefined : retryAfterSeconds(outcome.headers)) : 0;
      // No retry that could not end by the deadline: a pause that outlasts it, or no time left for an attempt.
      const inTime = !deadline || deadline.remainingMs() > wait + 50;
      if (!retryable || attempt >= maxAttempts || !inTime) {
        if (outcome instanceof TransportError) {
          this.logger.warn({ ...log, error: outcome.kind, ...(retryable && !inTime ? { deadline: 'passed' } : {}) }, 'outbound call failed');
          throw outcome;
        }
        this.logger.debug({ ...log, status: outcome.status }, 'outbound call');
        return outcome;
      }
      this.logger.info({ ...log, status: outcome instanceof TransportError ? outcome.kind : outcome.status, retryInMs: wait }, 'outbound call will be retried');
      await pause(wait, deadline);
    }
  }

  /** Whether another attempt is safe after this outcome (the deadline aside). */
  private mayRepeat(request: OutboundRequest, outcome: OutboundResponse | TransportError): boolean {
    if (request.once) return false;
    if (outcome instanceof TransportError) {
      // The deadline passed: no time for another attempt, and a timeout proves nothing.
      if (outcome.deadlinePassed) return false;
      return request.repeatable || !outcome.mayHaveBeenProcessed;
    }
    const statuses = request.repeatable ? this.policy.retryStatuses : (this.policy.unprocessedStatuses ?? DEFAULT_RETRY_POLICY.unprocessedStatuses!);
    return statuses.includes(outcome.status);
  }

  /**
   * One attempt: the whole answer within `timeoutMs` or the time the deadline leaves, whichever is
   * shorter, from connecting to the last byte of the body.
   */
  private once(url: URL, request: OutboundRequest, attempt: number, operationDeadline: Deadline | undefined): Promise<OutboundResponse> {
    return new Promise((resolve, reject) => {
      const timeoutMs = operationDeadline ? Math.min(request.timeoutMs, operationDeadline.remainingMs()) : request.timeoutMs;
      const cutByDeadline = operationDeadline !== undefined && timeoutMs < request.timeoutMs;
      if (timeoutMs <= 0) {
        reject(new TransportError('timeout', request.operation, 'the operation\'s deadline passed before the call', false, undefined, undefined, true));
        return;
      }
      const https = url.protocol === 'https:';
      if (!https && url.protocol !== 'http:') {
        reject(new TransportError('network', request.operation, `unsupported address scheme ${url.protocol}`, false));
        return;
      }
      const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
      const headers: Record<string, string> = { ...request.headers };
      if (body) headers['content-length'] = String(body.length);
      // Until a connection is up nothing has left this process, so the call certainly was not carried out.
      let connected = false;
      let localPort: number | undefined;
      let settled = false;
      const onAbort = () => fail('timeout', 'the operation\'s deadline passed', undefined, true);
      const fail = (kind: TransportError['kind'], message: string, cause?: unknown, deadlinePassed = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        operationDeadline?.signal.removeEventListener('abort', onAbort);
        outgoing.destroy();
        reject(new TransportError(kind, request.operation, message, connected, { cause }, localPort, deadlinePassed));
      };
      const send = https ? httpsRequest : httpRequest;
      let outgoing: ClientRequest;
      try {
        outgoing = send(url, { method: request.method, headers, agent: https ? this.httpsAgent : this.httpAgent });
      } catch (error) {
        // A header Node refuses to send (a programming error, not an outage).
        reject(error);
        return;
      }
      const deadline = setTimeout(
        () => fail('timeout', cutByDeadline ? `no answer by the operation's deadline (${timeoutMs} ms)` : `no answer within ${timeoutMs} ms`, undefined, cutByDeadline),
        timeoutMs,
      );
      // The socket is closed the moment the operation's deadline passes (or the operation is cancelled).
      operationDeadline?.signal.addEventListener('abort', onAbort, { once: true });
      outgoing.on('socket', (socket) => {
        // Known as soon as connect() was issued: a local tunnel that resets the connection at once
        // (a failed handshake) can make the connection fail before 'connect' is ever seen.
        localPort = socket.localPort;
        if (!socket.connecting) connected = true;
        else {
          socket.once('connect', () => (localPort ??= socket.localPort));
          socket.once(https ? 'secureConnect' : 'connect', () => (connected = true));
        }
      });
      outgoing.on('error', (error: NodeJS.ErrnoException) => fail('network', `connection failed (${error.code ?? error.message})`, error));
      outgoing.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > this.maxResponseBytes) fail('network', `the answer is larger than ${this.maxResponseBytes} bytes`);
          else chunks.push(chunk);
        });
        response.on('error', (error) => fail('network', `the answer broke off (${error.message})`, error));
        response.on('close', () => {
          if (!response.complete) fail('network', 'the answer broke off');
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          operationDeadline?.signal.removeEventListener('abort', onAbort);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks, received), attempts: attempt, localPort });
        });
      });
      outgoing.end(body);
    });
  }

  async close(): Promise<void> {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
