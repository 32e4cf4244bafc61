// Outbound HTTP to Kontur's APIs (KCR, the cloud signature API) and to webhook receivers: one
// keep-alive connection pool per transport on Node's own http/https client, a deadline per
// call, and retries with exponential backoff and full jitter — only for calls the caller marks
// as safe to repeat. Logs method, path, status and timing; never headers, query strings or
// bodies (they carry API keys and personal data).
//
// Why node:http and not undici (ARCHITECTURE.md names undici): undici parses HTTP with a
// WebAssembly build of llhttp, and loading plus compiling it costs the server ~30 MiB of
// resident memory (README: "Memory"); Node's client uses the same parser compiled in.
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Statuses worth another try of a repeatable call. */
  retryStatuses: readonly number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  retryStatuses: [408, 429, 502, 503, 504],
};

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute base address (ends with /) and a path relative to it. */
  baseUrl: string;
  path: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Deadline of one attempt. */
  timeoutMs: number;
  /** True when sending the same request twice has the effect of sending it once. */
  repeatable: boolean;
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
    const maxAttempts = request.repeatable ? this.policy.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let outcome: OutboundResponse | TransportError;
      try {
        outcome = await this.once(url, request, attempt);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        outcome = error;
      }
      const ms = Math.round(performance.now() - started);
      const log = { operation: request.operation, method: request.method, path: url.pathname, attempt, ms };
      const retryable =
        outcome instanceof TransportError ? true : this.policy.retryStatuses.includes(outcome.status);
      if (!retryable || attempt >= maxAttempts) {
        if (outcome instanceof TransportError) {
          this.logger.warn({ ...log, error: outcome.kind }, 'outbound call failed');
          throw outcome;
        }
        this.logger.debug({ ...log, status: outcome.status }, 'outbound call');
        return outcome;
      }
      const wait = backoffDelay(this.policy, attempt, outcome instanceof TransportError ? undefined : retryAfterSeconds(outcome.headers));
      this.logger.info({ ...log, status: outcome instanceof TransportError ? outcome.kind : outcome.status, retryInMs: wait }, 'outbound call will be retried');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** One attempt: the whole answer within `timeoutMs`, from connecting to the last byte of the body. */
  private once(url: URL, request: OutboundRequest, attempt: number): Promise<OutboundResponse> {
    return new Promise((resolve, reject) => {
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
      const fail = (kind: TransportError['kind'], message: string, cause?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outgoing.destroy();
        reject(new TransportError(kind, request.operation, message, connected, { cause }, localPort));
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
      const deadline = setTimeout(() => fail('timeout', `no answer within ${request.timeoutMs} ms`), request.timeoutMs);
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
