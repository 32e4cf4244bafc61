// Logger options: JSON lines, secrets redacted wherever they may travel (headers, bodies,
// query strings). SMS codes, passwords, tokens and API keys never reach a log line.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger, LoggerOptions } from 'pino';

const SECRET_QUERY_PARAMETERS = /([?&](?:confirmationCode|smsCode|code|token|password|apiKey|apikey)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETERS, '$1[REDACTED]');
}

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-kontur-apikey"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.KcrApiKey',
  '*.apiKey',
  '*.smsCode',
  '*.confirmationCode',
  '*.privateKey',
  'headers.authorization',
  'headers["x-kontur-apikey"]',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    serializers: {
      req(request: { method: string; url: string; id: string; ip?: string }) {
        return { method: request.method, url: redactUrl(request.url), id: request.id, ip: request.ip };
      },
    },
  };
}

/**
 * Fastify's own request log lines (its LogController): one line per answered request, at a level
 * by its outcome: a successful request at debug (at info, logging every request cost more than
 * answering /healthz), a refused one (4xx) at info, a failed one (5xx) at error. Set
 * LOG_LEVEL=debug to see every request. No "incoming request" line, and Fastify's other
 * per-request lines (its default error handler, unknown routes) stay off: errors are logged by
 * our error handler.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ disableRequestLogging: true });
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const level = error || status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if ((request.log as Logger).isLevelEnabled(level)) request.log[level]({ req: request, res: { statusCode: status }, responseTime: reply.elapsedTime }, 'request completed');
  }
}
