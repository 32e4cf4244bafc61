// Ajv lets an infinite number through a schema's integer and range checks when it coerces one
// from a query string ("-Infinity") or a JSON body holds one (1e400 parses as Infinity): its
// minimum/maximum only test finite numbers. No field of the API takes an infinite number, so a
// request carrying one is refused here, after validation, naming the field, instead of reaching
// the database as a value it cannot read (a 500).
import type { FastifyInstance } from 'fastify';
import { ValidationError, type FieldProblem } from '../services/errors.ts';

const MAX_DEPTH = 32;

function collectInfinite(value: unknown, path: string, found: FieldProblem[], depth: number): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) found.push({ field: path, message: 'Ожидается конечное число' });
    return;
  }
  // Only what a parser made of the request (plain objects and arrays): an upload's body is a stream
  // whose fields lead to the socket and the whole server.
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return;
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return;
  for (const [key, item] of Object.entries(value)) collectInfinite(item, path ? `${path}.${key}` : key, found, depth + 1);
}

export function refuseInfiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    const found: FieldProblem[] = [];
    // The query string's and the path's parsers make objects of their own kind (not plain ones):
    // one level of fields holding strings, numbers or arrays of them.
    for (const fields of [request.query, request.params]) {
      if (fields && typeof fields === 'object') for (const [key, value] of Object.entries(fields)) collectInfinite(Array.isArray(value) ? [...value] : value, key, found, 0);
    }
    collectInfinite(request.body, '', found, 0);
    done(found.length ? new ValidationError(found) : undefined);
  });
}
