// Housekeeping that runs every hour in whichever worker picks it up.
import type { JobDefinition } from './queue.ts';
import type { AuthService } from '../services/auth.ts';
import type { SmsLimits } from '../services/sms-limits.ts';

/** Expired sessions and tokens, old sign-in failures, and SMS code requests no limit counts any more. */
export function purgeExpiredTokensJob(auth: AuthService, smsLimits: SmsLimits): JobDefinition {
  return {
    name: 'maintenance.purge-expired-tokens',
    everySeconds: 3600,
    async handle() {
      await auth.purgeExpired();
      await smsLimits.purgeOld();
    },
  };
}
