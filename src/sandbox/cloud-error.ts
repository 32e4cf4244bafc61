// Errors the cloud-signature sandbox answers with. Kontur's Crypto API speaks PascalCase, so
// its errors do too: {"Code", "Message", "Target"?, "AttemptsLeft"?} (see docs/sandbox.md).
import type { FastifyReply } from 'fastify';

export class CloudError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { Target?: string; AttemptsLeft?: number; Length?: number } = {},
  ) {
    super(message);
  }
}

export const cloudBadRequest = (code: string, message: string, target?: string) => new CloudError(400, code, message, target ? { Target: target } : {});

export function sendCloudError(reply: FastifyReply, error: CloudError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send({ Code: error.code, Message: error.message, ...error.extra });
}
