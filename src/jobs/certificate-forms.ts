// Follows certificate forms that wait for the CA at Реестро: a recurring pass (at most one per
// period across all processes) asks Реестро about each (a 304 when nothing changed) and puts
// issued certificates into the employee cards.
import type { JobDefinition } from './queue.ts';
import type { CertificateFormsService } from '../services/certificate-forms.ts';

export const FOLLOW_FORMS_JOB = 'certificate-forms.follow';

export function followCertificateFormsJob(forms: CertificateFormsService, everySeconds: number): JobDefinition {
  return {
    name: FOLLOW_FORMS_JOB,
    everySeconds,
    retryLimit: 0,
    async handle() {
      await forms.followAll();
    },
  };
}
