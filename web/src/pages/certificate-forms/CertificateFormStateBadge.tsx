import { FORM_STATE_NAMES, FORM_STATE_TONES } from '../../domain/certificateForms.ts';

export function CertificateFormStateBadge({ state }: { state: string | null }) {
  return <span className={`badge badge_${(state && FORM_STATE_TONES[state]) || 'neutral'}`}>{(state && FORM_STATE_NAMES[state]) ?? state ?? 'Не создана'}</span>;
}
