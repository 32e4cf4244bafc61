// Errors the Реестро sandbox answers with, in seed 004's shape:
// {"code": "validation", "message", "target": "api", "errors": [{"code", "message", "target", "context"}]}.
// As in the seed, an entry's `target` is the API that refused (CryptoApi, EntityApi) and the field
// at fault is named in its message ("field 'person.snils' ...").
import type { FastifyReply } from 'fastify';

export interface ReestroErrorEntry {
  code: string;
  message: string;
  target: string;
  context: unknown;
}

export class ReestroError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: ReestroErrorEntry[] = [],
  ) {
    super(message);
  }
}

/** Collects the entries of one 400 answer; `target` is the API the route belongs to. */
export class ReestroProblems {
  readonly entries: ReestroErrorEntry[] = [];
  constructor(private readonly target: 'CryptoApi' | 'EntityApi') {}

  add(code: string, message: string, context: unknown = null): void {
    this.entries.push({ code, message, target: this.target, context });
  }

  wrongField(field: string, why: string): void {
    this.add('WrongFieldValue', `field '${field}' has a wrong value: ${why}`);
  }

  required(field: string): void {
    this.add('AbsenceOfRequiredField', `field '${field}' is required`);
  }

  get any(): boolean {
    return this.entries.length > 0;
  }

  throwIfAny(): void {
    if (this.any) throw validation(this.entries);
  }
}

export const validation = (errors: ReestroErrorEntry[]) => new ReestroError(400, 'validation', 'Failed to validate request', errors);
export const notFound = (what: string) => new ReestroError(404, 'notFound', `${what} not found`);
export const conflict = (code: string, message: string) => new ReestroError(409, code, message);

export function sendReestroError(reply: FastifyReply, error: ReestroError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send({ code: error.code, message: error.message, target: 'api', errors: error.errors });
}
