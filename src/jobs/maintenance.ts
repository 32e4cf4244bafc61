// Housekeeping that runs on a schedule in whichever worker picks it up.
import type { JobDefinition } from './queue.ts';
import type { AuthService } from '../services/auth.ts';

export function purgeExpiredTokensJob(auth: AuthService): JobDefinition {
  return {
    name: 'maintenance.purge-expired-tokens',
    schedule: '17 * * * *',
    async handle() {
      await auth.purgeExpired();
    },
  };
}
