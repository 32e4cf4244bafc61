// Test helper: a small GOST PKI (root CA, a time-stamp authority and a signer) made in memory.
import { generateKeyPair, type GostKeyPair } from '../../src/crypto/gost3410.ts';
import { OID } from '../../src/crypto/oids.ts';
import type { TimeStampAuthority } from '../../src/crypto/tsp.ts';
import { createSelfSignedRoot, issueEndEntityCertificate, naturalPersonSubject, type Certificate } from '../../src/crypto/x509.ts';

export const DAY = 86_400_000;

export interface TestPki {
  root: Certificate;
  rootKeys: GostKeyPair;
  tsa: TimeStampAuthority;
  signer: Certificate;
  signerKeys: GostKeyPair;
  /** Another end-entity certificate of the same CA (to revoke). */
  other: Certificate;
}

export function makeTestPki(): TestPki {
  const rootKeys = generateKeyPair('cryptopro-A');
  const root = createSelfSignedRoot({ subject: { CN: 'Тестовый УЦ', O: 'Тест', C: 'RU' }, ...rootKeys, notBefore: new Date(Date.now() - 10 * DAY) });
  const tsaKeys = generateKeyPair('cryptopro-A');
  const tsaCertificate = issueEndEntityCertificate({
    subject: { CN: 'Служба штампов времени', O: 'Тест', C: 'RU' },
    publicKey: tsaKeys.publicKey,
    issuerCertificate: root,
    issuerPrivateKey: rootKeys.privateKey,
    notBefore: new Date(Date.now() - DAY),
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extendedKeyUsage: [OID.ekuTimeStamping],
    extendedKeyUsageCritical: true,
  });
  const signerKeys = generateKeyPair('cryptopro-A');
  const signer = issueEndEntityCertificate({
    subject: naturalPersonSubject({ lastName: 'Сидорова', firstName: 'Анна', snils: '11223344595', inn: '500100732259', email: 'anna@example.ru' }),
    publicKey: signerKeys.publicKey,
    issuerCertificate: root,
    issuerPrivateKey: rootKeys.privateKey,
    notBefore: new Date(Date.now() - DAY),
    validDays: 30,
  });
  const other = issueEndEntityCertificate({
    subject: { CN: 'Другой', C: 'RU' },
    publicKey: generateKeyPair('cryptopro-A').publicKey,
    issuerCertificate: root,
    issuerPrivateKey: rootKeys.privateKey,
    notBefore: new Date(Date.now() - DAY),
  });
  return { root, rootKeys, tsa: { certificate: tsaCertificate, privateKey: tsaKeys.privateKey, policy: '2.25.314159265358979323846264338327950288' }, signer, signerKeys, other };
}
