// Schema pieces that many routes share.
import { Type, type TSchema } from 'typebox';

/** Problem responses for the given status codes. */
export const problems = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, Type.Ref('Problem')]));

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * List paging: `after` (the previous page's nextCursor) reads the next page by its key, however
 * deep; `offset` jumps to a page by number (reads and skips the rows before it). A page asked
 * for without `after` also carries the total.
 */
export const Paging = {
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  after: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'nextCursor of the previous page' })),
};

/** What a list answers besides its items. */
export const PageInfo = {
  total: Type.Optional(Type.Integer({ description: 'all matching rows; only on a page asked for without `after`' })),
  nextCursor: Nullable(Type.String({ description: 'pass as `after` for the next page; null on the last page' })),
};

/** Dates leave the services as Date objects; the serializer writes them as ISO strings. */
export const DateTimeValue = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

/** A string enum with a precise TypeScript type. */
export const StringEnum = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
