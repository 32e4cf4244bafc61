// Certification requests as the KCR sandbox's CA takes them (upload-certificate-request): a
// PKCS#10 CertificationRequest (RFC 2986) in DER, PEM (`CERTIFICATE REQUEST` or CryptoPro's `NEW
// CERTIFICATE REQUEST`) or bare base64, for a GOST R 34.10-2012 key, whose self-signature (the
// proof that the applicant holds the key) verifies. Anything else is refused with the reason.
import { Tag, parseDer, readBitString, readOid, readSmallInteger } from '../crypto/der.ts';
import { decodePemBlocks } from '../crypto/pem.ts';
import { digestAlgorithmFor, parseSubjectPublicKeyInfo, signatureAlgorithmOidFor } from '../crypto/keys.ts';
import { verifyDigest, type GostPublicKey } from '../crypto/gost3410.ts';
import { streebog } from '../crypto/streebog.ts';

export interface CertificationRequest {
  /** The request in DER. */
  der: Buffer;
  /** The key the certificate is to certify. */
  publicKey: GostPublicKey;
}

export class CertificationRequestError extends Error {}

/** DER from DER, PEM text or bare base64 text. */
function derOf(body: Buffer): Buffer {
  if (body[0] === 0x30) return body;
  const text = body.toString('latin1').trim();
  if (text.includes('-----BEGIN ')) {
    const block = decodePemBlocks(text).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
    if (!block) throw new CertificationRequestError('В PEM нет блока CERTIFICATE REQUEST');
    return Buffer.from(block.der);
  }
  const compact = text.replace(/\s+/g, '');
  if (compact && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64');
    if (decoded[0] === 0x30) return decoded;
  }
  throw new CertificationRequestError('Это не запрос на сертификат: ожидается PKCS#10 в DER, PEM или base64');
}

/** Reads and checks a PKCS#10 request; throws CertificationRequestError with a Russian reason. */
export function readCertificationRequest(body: Buffer): CertificationRequest {
  const der = derOf(body);
  let publicKey: GostPublicKey;
  let signed: { info: Uint8Array; algorithm: string; signature: Uint8Array };
  try {
    const request = parseDer(der).expect(Tag.sequence, 'CertificationRequest');
    if (request.children.length !== 3) throw new Error('CertificationRequest has three parts');
    const info = request.child(0).expect(Tag.sequence, 'CertificationRequestInfo');
    if (readSmallInteger(info.child(0, 'version')) !== 0) throw new Error('version must be 0');
    info.child(1, 'subject').expect(Tag.sequence, 'subject');
    if (!info.child(3, 'attributes').isContext(0)) throw new Error('attributes [0] expected');
    publicKey = parseSubjectPublicKeyInfo(info.child(2, 'subjectPKInfo'));
    signed = { info: info.raw, algorithm: readOid(request.child(1).child(0, 'signature algorithm')), signature: readBitString(request.child(2)).bytes };
  } catch (error) {
    throw new CertificationRequestError(`Запрос на сертификат не разобран (нужен PKCS#10 с ключом ГОСТ Р 34.10-2012): ${(error as Error).message}`);
  }
  if (signed.algorithm !== signatureAlgorithmOidFor(publicKey.paramSet)) {
    throw new CertificationRequestError(`Запрос подписан алгоритмом ${signed.algorithm}, а не тем, что положен его ключу`);
  }
  if (!verifyDigest(publicKey, streebog(digestAlgorithmFor(publicKey.paramSet), signed.info), signed.signature)) {
    throw new CertificationRequestError('Подпись запроса не сходится с его ключом');
  }
  return { der, publicKey };
}
