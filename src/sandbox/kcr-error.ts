// Errors the KCR sandbox answers with, in Kontur's shape:
// {"error": {"code", "message", "details": [{"code", "target", "message"}]}}. `details` is always
// there, empty when nothing more is known: public clients iterate it without checking (§6).
import type { FastifyReply } from 'fastify';

export interface KcrErrorDetail {
  code: string;
  target?: string;
  message: string;
}

export class KcrError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: KcrErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const notFound = () => new KcrError(404, 'IssueNotFound', 'Заявка не найдена');
export const beingActualized = () => new KcrError(409, 'IssueIsBeingActualized', 'Заявка актуализируется после изменения, повторите позже');
/** A request the service cannot take as sent: `BadRequest`, the code public clients see (§6), with the fields in details. */
export const badRequest = (message: string, details: KcrErrorDetail[] = [], code = 'BadRequest') => new KcrError(400, code, message, details);
export const wrongStatus = (status: string, operation: string) => new KcrError(400, 'InvalidIssueStatus', `Операция ${operation} недоступна в статусе ${status}`);

export function sendKcrError(reply: FastifyReply, error: KcrError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message, details: error.details } });
}
