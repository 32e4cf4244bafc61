// Housekeeping that runs every hour in whichever worker picks it up.
import type { JobDefinition } from './queue.ts';
import type { AuthService } from '../services/auth.ts';

export function purgeExpiredTokensJob(auth: AuthService): JobDefinition {
  return {
    name: 'maintenance.purge-expired-tokens',
    everySeconds: 3600,
    async handle() {
      await auth.purgeExpired();
    },
  };
}
