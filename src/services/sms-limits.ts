// How many SMS codes may be asked for. Each signing operation sends an SMS and brings fresh tries
// for the code, and a release-statement code can be asked for again and again: without limits a
// caller could flood a phone or guess codes by starting over. The limits (config.ts, SMS_LIMIT_*):
//   - signing operations waiting for a code at once, per signer and per document;
//   - signing operations started within an hour (each an SMS), per signer and per document;
//   - release-statement codes asked for within an hour, per issue.
// Counting and admitting happen in one transaction under an advisory lock per signer, document or
// issue, so that requests arriving together (or on several processes) cannot all slip under a limit.
// Each refusal is a TooManyRequestsError (429) with the seconds until a slot frees (Retry-After)
// and the limit's name, which the HTTP layer counts in metrics.
import { and, count, eq, gt, inArray, isNotNull, lt, min, or, sql, type SQL } from 'drizzle-orm';
import type { SmsLimits as SmsLimitSettings } from '../config.ts';
import type { Db } from '../store/db.ts';
import { signOperationDocuments, signOperations, smsCodeRequests } from '../store/schema/index.ts';
import { TooManyRequestsError } from './errors.ts';

const HOUR_MS = 3600_000;
/** A signing operation waits for its code a few minutes at Kontur; one older than an hour is not counted as open. */
const OPEN_WINDOW_MS = HOUR_MS;
/** When an open operation frees its slot is up to Kontur (the code expires, the owner declines): ask again in a minute. */
const OPEN_RETRY_SECONDS = 60;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Names of the limits, as the metrics label them. */
export type SmsLimitName = 'sign-open-per-signer' | 'sign-open-per-document' | 'sign-per-hour-per-signer' | 'sign-per-hour-per-document' | 'statement-codes-per-hour';

function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

function minutes(seconds: number): string {
  const n = Math.max(1, Math.ceil(seconds / 60));
  return `${n} ${plural(n, 'минуту', 'минуты', 'минут')}`;
}

/** Seconds until the oldest of the counted requests leaves the hour. */
function secondsUntilHourPasses(oldest: Date | null): number {
  if (!oldest) return 1;
  return Math.max(1, Math.ceil((oldest.getTime() + HOUR_MS - Date.now()) / 1000));
}

export class SmsLimits {
  constructor(
    private readonly db: Db,
    readonly settings: SmsLimitSettings,
  ) {}

  /**
   * Admits a new signing operation of `employeeId` on `documentIds` (one operation, one SMS, however
   * many documents): `insert` runs (in the same transaction) only when no limit of the signer or of
   * any of the documents is reached. A document counts the operations it is part of.
   */
  async admitSignOperation<T>(employeeId: string, documentIds: readonly string[], insert: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await this.lock(tx, `sign:employee:${employeeId}`);
      // Always in the same order, so that two operations sharing documents cannot deadlock.
      const documents = [...new Set(documentIds)].sort();
      for (const documentId of documents) await this.lock(tx, `sign:document:${documentId}`);
      const now = Date.now();
      const bySigner = eq(signOperations.employeeId, employeeId);
      const byDocument = (documentId: string) =>
        or(
          eq(signOperations.documentId, documentId),
          inArray(signOperations.id, tx.select({ id: signOperationDocuments.operationId }).from(signOperationDocuments).where(eq(signOperationDocuments.documentId, documentId))),
        )!;
      const open = (scope: SQL) =>
        tx
          .select({ n: count() })
          .from(signOperations)
          .where(and(scope, inArray(signOperations.state, ['created', 'waitingUser']), gt(signOperations.createdAt, new Date(now - OPEN_WINDOW_MS))));
      // An SMS went out for every operation Kontur registered, and may for one still registering.
      const sent = (scope: SQL) =>
        tx
          .select({ n: count(), oldest: min(signOperations.createdAt) })
          .from(signOperations)
          .where(and(scope, gt(signOperations.createdAt, new Date(now - HOUR_MS)), or(isNotNull(signOperations.konturOperationId), eq(signOperations.state, 'created'))));
      const { openSignOperations, signPerHour } = this.settings;
      const [[signerOpen], [signerSent]] = await Promise.all([open(bySigner), sent(bySigner)]);
      if (signerOpen.n >= openSignOperations) {
        throw this.refusal('sign-open-per-signer', `У подписанта уже ${signerOpen.n} ${plural(signerOpen.n, 'операция', 'операции', 'операций')} подписания, ожидающих кода из СМС (не больше ${openSignOperations}): введите код или дождитесь, пока время на ввод истечёт`, OPEN_RETRY_SECONDS);
      }
      for (const documentId of documents) {
        const [documentOpen] = await open(byDocument(documentId));
        if (documentOpen.n >= openSignOperations) {
          throw this.refusal('sign-open-per-document', `Документ уже ждёт кода из СМС в ${documentOpen.n} ${plural(documentOpen.n, 'операции', 'операциях', 'операциях')} подписания (не больше ${openSignOperations}): введите код или дождитесь, пока время на ввод истечёт`, OPEN_RETRY_SECONDS);
        }
      }
      if (signerSent.n >= signPerHour) {
        const wait = secondsUntilHourPasses(signerSent.oldest);
        throw this.refusal('sign-per-hour-per-signer', `Слишком много СМС с кодами подписания за час: не больше ${signPerHour} на подписанта. Повторите через ${minutes(wait)}`, wait);
      }
      for (const documentId of documents) {
        const [documentSent] = await sent(byDocument(documentId));
        if (documentSent.n >= signPerHour) {
          const wait = secondsUntilHourPasses(documentSent.oldest);
          throw this.refusal('sign-per-hour-per-document', `Слишком много СМС с кодами подписания этого документа за час: не больше ${signPerHour}. Повторите через ${minutes(wait)}`, wait);
        }
      }
      return insert(tx);
    });
  }

  /** Admits a request for a release-statement code of an issue, and counts it. */
  async admitStatementCode(issueId: string, requestedBy: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.lock(tx, `statement:issue:${issueId}`);
      const [asked] = await tx
        .select({ n: count(), oldest: min(smsCodeRequests.requestedAt) })
        .from(smsCodeRequests)
        .where(and(eq(smsCodeRequests.issueId, issueId), eq(smsCodeRequests.purpose, 'releaseStatement'), gt(smsCodeRequests.requestedAt, new Date(Date.now() - HOUR_MS))));
      const limit = this.settings.statementCodesPerHour;
      if (asked.n >= limit) {
        const wait = secondsUntilHourPasses(asked.oldest);
        throw this.refusal('statement-codes-per-hour', `Код для подписания заявления уже запрашивали ${asked.n} ${plural(asked.n, 'раз', 'раза', 'раз')} за час (не больше ${limit}). Повторите через ${minutes(wait)}`, wait);
      }
      await tx.insert(smsCodeRequests).values({ purpose: 'releaseStatement', issueId, requestedBy });
    });
  }

  /** Housekeeping: code requests older than a day are no longer counted by anything. */
  async purgeOld(): Promise<number> {
    const rows = await this.db.delete(smsCodeRequests).where(lt(smsCodeRequests.requestedAt, new Date(Date.now() - 24 * HOUR_MS))).returning({ id: smsCodeRequests.id });
    return rows.length;
  }

  private async lock(tx: Tx, key: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`kca:sms-limits:${key}`}))`);
  }

  private refusal(limit: SmsLimitName, message: string, retryAfterSeconds: number): TooManyRequestsError {
    return new TooManyRequestsError(message, retryAfterSeconds, limit);
  }
}
