import type { CertificateSource, CertificateState } from '../api/certificates.ts';

export const CERTIFICATE_STATE_NAMES: Record<CertificateState, string> = {
  valid: 'Действует',
  expiring: 'Скоро истекает',
  expired: 'Истёк',
  revoked: 'Отозван',
};

export const CERTIFICATE_STATE_TONES: Record<CertificateState, 'success' | 'warning' | 'neutral' | 'error'> = {
  valid: 'success',
  expiring: 'warning',
  expired: 'neutral',
  revoked: 'error',
};

export const CERTIFICATE_SOURCE_NAMES: Record<CertificateSource, string> = {
  kcr: 'УЦ Контур (KCR)',
  reestro: 'Реестро',
  upload: 'Загружен',
};

export const RENEWAL_STATE_NAMES: Record<string, string> = {
  renewing: 'Перевыпускается',
  renewed: 'Заменён новым',
  failed: 'Перевыпуск не удался',
};
