// The release statement's SMS code as the issue's history tells it: when the newest code was sent
// (and not used since), so that a reopened page still offers the field for it.
import type { IssueHistoryEntry } from '../api/types.ts';

/**
 * How long a code is taken to live. Kontur's API documentation does not state it; the bridge's
 * sandbox keeps a code 10 minutes (SANDBOX_KCR_SMS_CODE_TTL_MS). Past it the page offers a new code.
 */
export const STATEMENT_CODE_LIFETIME_MS = 10 * 60_000;
/** A new code is offered this long after the last one, so that an SMS on its way is not doubled. */
export const STATEMENT_CODE_RESEND_MS = 60_000;

/** When the newest statement code was sent, if the statement has not been signed with it since. */
export function statementCodeSentAt(history: IssueHistoryEntry[]): string | undefined {
  let sentAt: string | undefined;
  for (const entry of history) {
    if (entry.action === 'sendReleaseStatement') sentAt = entry.createdAt;
    if (entry.action === 'signReleaseStatement') sentAt = undefined;
  }
  return sentAt;
}
