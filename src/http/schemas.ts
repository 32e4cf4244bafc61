// Schema pieces that many routes share.
import { Type, type TSchema } from 'typebox';

/** Problem responses for the given status codes. */
export const problems = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, Type.Ref('Problem')]));

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const Paging = {
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};

/** Dates leave the services as Date objects; the serializer writes them as ISO strings. */
export const DateTimeValue = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });

/** A string enum with a precise TypeScript type. */
export const StringEnum = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
