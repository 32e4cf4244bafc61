// How the issues service calls KCR so that the caller never has to, within the operation's one
// deadline (deadline.ts). Failed calls are repeated in one place only, the transport (safe
// calls on any failure; others only when the answer proves nothing was done: 503, 429, a
// connection refused). What is left here is KCR's protocol, not retrying:
// - 409 "being actualized": wait until the issue is actualized, then make the call (it was refused, not failed);
// - an unknown outcome (timeout, 500/502/504) of a call that is not safe to repeat: look at the
//   issue; the change is there → done; it is provably not there → the call is made again; no
//   way to tell → the error goes to the caller.
// All of it ends by the deadline.
import { KcrActualizingError, KcrUnavailableError, KcrValidationError } from '../kontur/kcr-errors.ts';
import type { KcrClient } from '../kontur/kcr-client.ts';
import type { KcrIssue } from '../kontur/kcr-types.ts';
import { currentDeadline, pause, withDeadline } from '../kontur/deadline.ts';

export interface ChangeOptions {
  /** True when the change is already visible in the issue (for calls not safe to repeat). */
  applied?: (issue: KcrIssue) => boolean;
  /**
   * The call's repetition is harmless and its client marks it repeatable: the transport repeats it
   * after any failure, and nothing is reconciled here.
   */
  harmlessToRepeat?: boolean;
  /** Kontur error codes that, on a repeated try, mean "your earlier try worked". */
  alreadyDoneCodes?: string[];
}

export class KcrCalls {
  constructor(
    readonly kcr: KcrClient,
    /** The deadline of one service operation when the caller opened none. */
    private readonly deadlineMs: number,
  ) {}

  /** Polls the issue until `actualized`, up to the operation's deadline. */
  actualized(issueId: string): Promise<KcrIssue> {
    return withDeadline(this.deadlineMs, async () => {
      const deadline = currentDeadline()!;
      let delay = 50;
      for (;;) {
        const issue = await this.kcr.getIssue(issueId);
        if (issue.actualized) return issue;
        if (deadline.remainingMs() <= delay) throw new KcrActualizingError(409, 'IssueIsBeingActualized', 'issue is still being actualized', [], 'wait');
        await pause(delay, deadline);
        delay = Math.min(delay * 2, 1000);
      }
    });
  }

  /** A call that needs an actualized issue and may be repeated (reads, renders, idempotent writes). */
  async read<T>(issueId: string, call: () => Promise<T>): Promise<T> {
    return this.change(issueId, call, { harmlessToRepeat: true });
  }

  change<T>(issueId: string, call: () => Promise<T>, options: ChangeOptions): Promise<T> {
    return withDeadline(this.deadlineMs, async () => {
      const deadline = currentDeadline()!;
      let uncertain = false;
      // Paces the look-and-call rounds after quick 502s, so that Kontur is not hammered until the deadline.
      let pace = 100;
      for (;;) {
        try {
          return await call();
        } catch (error) {
          if (deadline.passed) throw error;
          if (error instanceof KcrActualizingError) {
            await this.actualized(issueId);
            continue;
          }
          if (error instanceof KcrValidationError && uncertain && options.alreadyDoneCodes?.includes(error.code)) {
            return undefined as T;
          }
          if (error instanceof KcrUnavailableError && error.outcomeUnknown && options.applied && !options.harmlessToRepeat) {
            uncertain = true;
            const issue = await this.actualized(issueId).catch(() => undefined);
            if (!issue) throw error;
            if (options.applied(issue)) return undefined as T;
            // The issue proves the call was not carried out: it is made again.
            await pause(pace, deadline);
            pace = Math.min(pace * 2, 2000);
            continue;
          }
          throw error;
        }
      }
    });
  }
}
