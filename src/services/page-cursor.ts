// Keyset paging: a page ends with a cursor that holds the sort key of its last row, and the next
// page starts after that key (an index seek, however deep the page), instead of OFFSET, which
// reads and throws away every row before the page. The cursor is opaque to callers: base64url of
// the key's values.
import { ValidationError } from './errors.ts';

export type CursorKey = (string | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key in a cursor of `arity` values; a malformed one is a 400 naming the `after` parameter. */
export function decodeCursor(raw: string, arity: number): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((v) => v === null || typeof v === 'string'))
    throw new ValidationError([{ field: 'after', message: 'Неверная закладка страницы: возьмите nextCursor из предыдущего ответа' }]);
  return key as CursorKey;
}

/** A page from `limit + 1` rows read: the first `limit`, and a cursor after them when there was one more. */
export function pageOf<T>(rows: T[], limit: number, key: (last: T) => CursorKey): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null };
}
