// Outbound HTTP to Kontur's APIs (KCR here, the cloud signature API next): one undici pool per
// origin with keep-alive, a deadline per call, and retries with exponential backoff and full
// jitter — only for calls the caller marks as safe to repeat. Logs method, path, status and
// timing; never headers, query strings or bodies (they carry API keys and personal data).
import { Agent } from 'undici';
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
  ) {
    super(message, options);
  }
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current = error as { code?: string; cause?: unknown } | undefined;
  while (current && !seen.has(current)) {
    seen.add(current);
    if (typeof current.code === 'string') return current.code;
    current = current.cause as typeof current;
  }
  return undefined;
}

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
  private readonly agent: Agent;

  constructor(
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    agent?: Agent,
  ) {
    this.agent = agent ?? new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 16 });
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
        outcome = error as TransportError;
      }
      const ms = Math.round(performance.now() - started);
      const log = { operation: request.operation, method: request.method, path: url.pathname, attempt, ms };
      const retryable =
        outcome instanceof TransportError ? true : this.policy.retryStatuses.includes(outcome.status);
      if (!retryable || attempt >= maxAttempts) {
        if (outcome instanceof TransportError) {
          this.logger.warn({ ...log, error: outcome.kind }, 'kontur call failed');
          throw outcome;
        }
        this.logger.debug({ ...log, status: outcome.status }, 'kontur call');
        return outcome;
      }
      const wait = backoffDelay(this.policy, attempt, outcome instanceof TransportError ? undefined : retryAfterSeconds(outcome.headers));
      this.logger.info({ ...log, status: outcome instanceof TransportError ? outcome.kind : outcome.status, retryInMs: wait }, 'kontur call will be retried');
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async once(url: URL, request: OutboundRequest, attempt: number): Promise<OutboundResponse> {
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body, attempts: attempt };
    } catch (error) {
      const code = errorCode(error);
      if (signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (error as Error).name === 'TimeoutError') {
        throw new TransportError('timeout', request.operation, `no answer within ${request.timeoutMs} ms`, true, { cause: error });
      }
      throw new TransportError('network', request.operation, `connection failed (${code ?? 'unknown'})`, !NOT_SENT_CODES.has(code ?? ''), { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
