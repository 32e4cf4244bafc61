// Checks a detached CMS signature of a document before it is attached, and again on demand:
// the signed digest equals the document's, the signer is the expected certificate, the
// signature value verifies, the certificate chains to a trusted root, and what CAdES adds
// (time-stamps, validation references and values) holds.
import { verifyCades, verifyCadesStream, type CadesFailureReason, type CadesVerifyResult } from '../crypto/cades.ts';
import { certificateThumbprint, summarizeCertificate, type Certificate } from '../crypto/x509.ts';

export interface SignatureCheck {
  valid: boolean;
  /** Machine-readable reason of a failure (the crypto layer's, or `signer-mismatch`). */
  reason: CadesFailureReason | 'signer-mismatch' | 'no-signer' | null;
  /** In Russian, for the user. */
  message: string;
  signer: { subject: string; issuer: string; serialNumber: string; thumbprint: string; validFrom: string; validTo: string } | null;
  signingTime: Date | null;
  /** CAdES-BES, CAdES-T, ..., CAdES-X Long Type 1. */
  level: string | null;
  /** The time a time-stamp authority vouches for (CAdES-T and above). */
  timeStamp: Date | null;
  certificate: Certificate | null;
}

const REASONS: Record<string, string> = {
  malformed: 'это не подпись CMS или она повреждена',
  'content-missing': 'нет содержимого для проверки отсоединённой подписи',
  'unsupported-algorithm': 'алгоритм подписи не поддерживается',
  'signer-not-found': 'в подписи нет сертификата подписанта',
  'digest-mismatch': 'подпись относится к другому содержимому (хэш документа не совпадает)',
  'bad-signature': 'значение подписи неверно',
  'signing-certificate-mismatch': 'сертификат подписанта подменён',
  'certificate-expired': 'срок действия сертификата подписанта истёк',
  'certificate-not-yet-valid': 'сертификат подписанта ещё не действует',
  'bad-certificate-signature': 'подпись удостоверяющего центра на сертификате неверна',
  'not-a-ca': 'в цепочке сертификатов есть сертификат, не являющийся сертификатом УЦ',
  'untrusted-chain': 'сертификат подписанта не выдан доверенным корневым УЦ',
  'bad-timestamp': 'штамп времени в подписи недействителен',
  'bad-validation-data': 'данные для проверки подписи (ссылки, списки отзыва, ответы OCSP) недействительны',
  'certificate-revoked': 'сертификат подписанта отозван до момента подписания',
  'signer-mismatch': 'подпись сделана не тем сертификатом, который выбран для подписания',
  'no-signer': 'в подписи нет ни одного подписанта',
};

function checkOf(result: CadesVerifyResult, expectedThumbprint?: string): SignatureCheck {
  const signer = result.signers[0];
  const certificate = signer?.certificate ?? null;
  const summary = certificate ? summarizeCertificate(certificate) : null;
  const base = {
    signer: summary
      ? { subject: summary.subject, issuer: summary.issuer, serialNumber: summary.serialNumber, thumbprint: summary.thumbprint, validFrom: summary.notBefore, validTo: summary.notAfter }
      : null,
    signingTime: signer?.signingTime ?? null,
    level: signer && 'level' in signer ? signer.level ?? null : null,
    timeStamp: signer && 'timeStamp' in signer ? signer.timeStamp?.genTime ?? null : null,
    certificate,
  };
  if (!result.valid) return { valid: false, reason: result.reason, message: `Подпись недействительна: ${REASONS[result.reason] ?? result.message}`, ...base };
  if (result.signers.length !== 1 || !certificate) return { valid: false, reason: 'no-signer', message: `Подпись недействительна: ${REASONS['no-signer']}`, ...base };
  if (expectedThumbprint && certificateThumbprint(certificate) !== expectedThumbprint.toUpperCase()) {
    return { valid: false, reason: 'signer-mismatch', message: `Подпись недействительна: ${REASONS['signer-mismatch']}`, ...base };
  }
  return { valid: true, reason: null, message: 'Подпись действительна', ...base };
}

/** Against the document's digest (hex in OpenSSL's byte order), computed when it was uploaded. */
export function checkSignatureByDigest(cms: Uint8Array, digestHex: string, trustedRoots: Certificate[], expectedThumbprint?: string): SignatureCheck {
  return checkOf(verifyCades(cms, { contentDigest: new Uint8Array(Buffer.from(digestHex, 'hex')), trustedRoots }), expectedThumbprint);
}

/** Against the document's bytes, hashed again while streaming. */
export async function checkSignatureByContent(cms: Uint8Array, content: AsyncIterable<Uint8Array>, trustedRoots: Certificate[], expectedThumbprint?: string): Promise<SignatureCheck> {
  return checkOf(await verifyCadesStream(cms, content, { trustedRoots }), expectedThumbprint);
}
