// Errors the KCR sandbox answers with, in Kontur's shape:
// {"error": {"code", "message", "details": [{"code", "target", "message"}]}}.
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

export const notFound = () => new KcrError(404, 'IssueNotFound', 'Issue not found');
export const beingActualized = () => new KcrError(409, 'IssueIsBeingActualized', 'Issue is being actualized, retry later');
export const badRequest = (message: string, details: KcrErrorDetail[] = [], code = 'ValidationError') => new KcrError(400, code, message, details);
export const wrongStatus = (status: string, operation: string) =>
  new KcrError(400, 'InvalidIssueStatus', `Operation ${operation} is not allowed in status ${status}`);

export function sendKcrError(reply: FastifyReply, error: KcrError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  const body: { error: { code: string; message: string; details?: KcrErrorDetail[] } } = { error: { code: error.code, message: error.message } };
  if (error.details.length) body.error.details = error.details;
  return reply.code(error.status).type('application/json; charset=utf-8').send(body);
}
