// How the Реестро services call Kontur so that a caller never has to: a create is sent with a
// unique externalId, and after an unknown outcome (timeout, 502/504) or a DuplicatedExternalId
// the thing is looked up by that externalId instead of being created twice; 503 ("nothing was
// done") and 429 (honouring Retry-After) are waited out. Everything within one time budget.
import { setTimeout as sleep } from 'node:timers/promises';
import { ReestroRateLimitedError, ReestroUnavailableError, ReestroValidationError } from '../kontur/reestro-errors.ts';


export interface CreateOnce<T> {
  create: () => Promise<T>;
  /** The object Реестро already has under this externalId, if any. */
  find: () => Promise<T | undefined>;
  /** True when an earlier try's outcome is unknown: look before creating. */
  uncertain: boolean;
  budgetMs: number;
}

/** Creates at most once; returns what was created or found and whether it was found. */
export async function createOnce<T>(options: CreateOnce<T>): Promise<{ value: T; found: boolean }> {
  const deadline = Date.now() + options.budgetMs;
  let uncertain = options.uncertain;
  let backoff = 200;
  for (;;) {
    if (uncertain) {
      const found = await options.find();
      if (found) return { value: found, found: true };
    }
    try {
      return { value: await options.create(), found: false };
    } catch (error) {
      const timeLeft = deadline - Date.now();
      if (error instanceof ReestroUnavailableError && timeLeft > backoff) {
        // Реестро may have made it although no answer came: look before trying again.
        if (error.outcomeUnknown) uncertain = true;
        await sleep(backoff + Math.floor(Math.random() * backoff));
        backoff = Math.min(backoff * 2, 2000);
        continue;
      }
      if (error instanceof ReestroRateLimitedError && error.retryAfterSeconds * 1000 < timeLeft) {
        await sleep(error.retryAfterSeconds * 1000);
        continue;
      }
      if (error instanceof ReestroValidationError && error.errors.length > 0 && error.errors.every((e) => e.code === 'DuplicatedExternalId')) {
        const found = await options.find();
        if (found) return { value: found, found: true };
      }
      throw error;
    }
  }
}

/** Repeats a call that Реестро did not carry out (503, a refused connection) or asked to delay (429). */
export async function withPatience<T>(call: () => Promise<T>, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let backoff = 200;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const timeLeft = deadline - Date.now();
      if (error instanceof ReestroUnavailableError && !error.outcomeUnknown && timeLeft > backoff) {
        await sleep(backoff + Math.floor(Math.random() * backoff));
        backoff = Math.min(backoff * 2, 2000);
        continue;
      }
      if (error instanceof ReestroRateLimitedError && error.retryAfterSeconds * 1000 < timeLeft) {
        await sleep(error.retryAfterSeconds * 1000);
        continue;
      }
      throw error;
    }
  }
}
