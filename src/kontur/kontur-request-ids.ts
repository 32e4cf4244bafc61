// The request ids Kontur gave the calls of one operation, for the audit log. An operation runs
// inside `collectKonturRequestIds`; every client notes the id of each answer it gets
// (`X-Kontur-Request-Id`, else `X-Request-Id`), so no call signature has to carry them.
import { AsyncLocalStorage } from 'node:async_hooks';

const collected = new AsyncLocalStorage<string[]>();

/** Most ids kept for one operation (the first ones and the last one). */
const MAX_IDS = 20;

export function konturRequestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  for (const name of ['x-kontur-request-id', 'x-request-id']) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) return value.slice(0, 200);
  }
  return undefined;
}

/** Notes the request id of one answer from Kontur for the operation running now, if any. */
export function noteKonturRequestId(headers: Record<string, string | string[] | undefined>): void {
  const ids = collected.getStore();
  const id = konturRequestIdOf(headers);
  if (!ids || !id || ids.includes(id)) return;
  if (ids.length >= MAX_IDS) ids.splice(MAX_IDS - 1, 1);
  ids.push(id);
}

/** Runs an operation and returns, with its outcome, the Kontur request ids of its calls. */
export async function collectKonturRequestIds<T>(work: () => Promise<T>): Promise<{ outcome: { ok: true; value: T } | { ok: false; error: unknown }; requestIds: string[] }> {
  const ids: string[] = [];
  try {
    const value = await collected.run(ids, work);
    return { outcome: { ok: true, value }, requestIds: ids };
  } catch (error) {
    return { outcome: { ok: false, error }, requestIds: ids };
  }
}
