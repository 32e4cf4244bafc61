// How the issues service calls KCR so that the caller never has to: waits while an issue is
// being actualized (409) and while Kontur asks to slow down (429), repeats calls that Kontur
// did not carry out (503 before any work), and — for calls that are not safe to repeat — looks
// at the issue after an unknown outcome (timeout, 502/504) and repeats only if the change is not
// there. Everything within one time budget, then a clear error.
import {
  KcrActualizingError,
  KcrRateLimitedError,
  KcrUnavailableError,
  KcrValidationError,
} from '../kontur/kcr-errors.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import type { KcrIssue } from '../kontur/kcr-types.ts';

export interface ChangeOptions {
  /** True when the change is already visible in the issue (for calls not safe to repeat). */
  applied?: (issue: KcrIssue) => boolean;
  /** The call may simply be repeated after an unknown outcome (its repetition is harmless). */
  harmlessToRepeat?: boolean;
  /** Kontur error codes that, on a repeated try, mean "your earlier try worked". */
  alreadyDoneCodes?: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KonturCalls {
  constructor(
    readonly kcr: KcrClient,
    /** The whole budget of one service operation, waits included. */
    private readonly budgetMs: number,
  ) {}

  /** Polls the issue until `actualized` (bounded by the deadline). */
  async actualized(issueId: string, deadline = Date.now() + this.budgetMs): Promise<KcrIssue> {
    let delay = 50;
    for (;;) {
      const issue = await this.kcr.getIssue(issueId);
      if (issue.actualized || Date.now() + delay > deadline) {
        if (!issue.actualized) throw new KcrActualizingError(409, 'IssueIsBeingActualized', 'issue is still being actualized', [], 'wait');
        return issue;
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 1000);
    }
  }

  /** A call that needs an actualized issue and may be repeated (reads, renders, idempotent writes). */
  async read<T>(issueId: string, call: () => Promise<T>): Promise<T> {
    return this.change(issueId, call, { harmlessToRepeat: true });
  }

  async change<T>(issueId: string, call: () => Promise<T>, options: ChangeOptions): Promise<T> {
    const deadline = Date.now() + this.budgetMs;
    let uncertain = false;
    let backoff = 100;
    for (;;) {
      try {
        return await call();
      } catch (error) {
        const timeLeft = deadline - Date.now();
        if (error instanceof KcrActualizingError && timeLeft > 0) {
          await this.actualized(issueId, deadline);
          continue;
        }
        if (error instanceof KcrRateLimitedError && error.retryAfterSeconds * 1000 < timeLeft) {
          await sleep(error.retryAfterSeconds * 1000);
          continue;
        }
        if (error instanceof KcrValidationError && uncertain && options.alreadyDoneCodes?.includes(error.code)) {
          return undefined as T;
        }
        if (error instanceof KcrUnavailableError && timeLeft > backoff) {
          if (error.outcomeUnknown && !options.harmlessToRepeat) {
            if (!options.applied) throw error;
            uncertain = true;
            await sleep(backoff);
            const issue = await this.actualized(issueId, deadline).catch(() => undefined);
            if (issue && options.applied(issue)) return undefined as T;
          } else {
            await sleep(backoff + Math.floor(Math.random() * backoff));
          }
          backoff = Math.min(backoff * 2, 2000);
          continue;
        }
        throw error;
      }
    }
  }
}
