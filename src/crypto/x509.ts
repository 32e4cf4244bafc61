// X.509 certificates with GOST R 34.10-2012 keys (RFC 5280, RFC 9215): parsing into a
// readable summary, building (self-signed roots, CA-issued end-entity certificates),
// signature verification and chain building to explicitly trusted roots.
import { createHash, randomBytes } from 'node:crypto';
import {
  DerError, Tag, bigintToBytes, bytesEqual, bytesToBigint, der, parseDer, readBitString, readBoolean,
  readInteger, readOctetString, readOid, readSmallInteger, readTime, type DerNode,
} from './der.ts';
import { type GostParamSet } from './gost-curves.ts';
import {
  publicKeysEqual, signDigest, verifyDigest, type GostPrivateKey, type GostPublicKey,
} from './gost3410.ts';
import {
  KeyFormatError, digestAlgorithmFor, encodeSubjectPublicKeyInfo, parseSubjectPublicKeyInfo, signatureAlgorithmOidFor,
} from './keys.ts';
import { OID } from './oids.ts';
import { decodePemBlocks, encodePem, looksLikePem } from './pem.ts';
import { streebog } from './streebog.ts';
import {
  encodeName, formatName, nameFields, namesMatch, parseName, type NameAttribute, type NameFields, type NameInput,
} from './x509-names.ts';

export class CertificateError extends Error {
  override name = 'CertificateError';
}

export const KEY_USAGE_NAMES = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

export interface CertificateExtension {
  oid: string;
  critical: boolean;
  /** DER of the extension value (the content of extnValue). */
  value: Uint8Array;
}

export interface Certificate {
  der: Uint8Array;
  /** The exact TBSCertificate bytes the issuer signed. */
  tbs: Uint8Array;
  version: number;
  serialNumber: bigint;
  /** Uppercase hex of the serial's big-endian bytes. */
  serialNumberHex: string;
  signatureAlgorithmOid: string;
  signatureValue: Uint8Array;
  issuer: NameAttribute[];
  issuerDer: Uint8Array;
  subject: NameAttribute[];
  subjectDer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  publicKeyAlgorithmOid: string;
  /** The subjectPublicKey BIT STRING's bytes (what key identifiers and OCSP key hashes digest). */
  subjectPublicKeyBits: Uint8Array;
  /** Set when the key is a GOST R 34.10-2012 key that decodes to a valid point. */
  publicKey?: GostPublicKey;
  /** Why a GOST-looking key could not be decoded. */
  publicKeyError?: string;
  extensions: CertificateExtension[];
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: string[];
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: Uint8Array;
}

// ---- parsing -------------------------------------------------------------------------

/** Parses a certificate from DER bytes or PEM (text or bytes). Throws CertificateError. */
export function parseCertificate(input: Uint8Array | string): Certificate {
  const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'latin1')) : input;
  let derBytes = bytes;
  if (looksLikePem(bytes)) {
    const block = decodePemBlocks(Buffer.from(bytes).toString('latin1')).find((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE');
    if (!block) throw new CertificateError('no "CERTIFICATE" PEM block found');
    derBytes = block.der;
  } else if (bytes[0] !== 0x30) {
    throw new CertificateError('not a certificate: expected DER (a SEQUENCE) or PEM ("-----BEGIN CERTIFICATE-----")');
  }
  try {
    return parseCertificateNode(parseDer(derBytes));
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    throw new CertificateError(`malformed certificate: ${(error as Error).message}`);
  }
}

/** Parses every certificate in a PEM bundle (or a single DER certificate). */
export function parseCertificates(input: Uint8Array | string): Certificate[] {
  const bytes = typeof input === 'string' ? new Uint8Array(Buffer.from(input, 'latin1')) : input;
  if (!looksLikePem(bytes)) return [parseCertificate(bytes)];
  const blocks = decodePemBlocks(Buffer.from(bytes).toString('latin1')).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new CertificateError('no "CERTIFICATE" PEM block found');
  return blocks.map((block) => parseCertificate(block.der));
}

export function parseCertificateNode(node: DerNode): Certificate {
  node.expect(Tag.sequence, 'Certificate');
  if (node.children.length !== 3) throw new CertificateError('a Certificate is a SEQUENCE of three elements');
  const [tbsNode, algorithmNode, signatureNode] = node.children;
  tbsNode.expect(Tag.sequence, 'TBSCertificate');
  const signatureAlgorithmOid = readOid(algorithmNode.expect(Tag.sequence, 'signatureAlgorithm').child(0));
  const { bytes: signatureValue } = readBitString(signatureNode);

  const fields = tbsNode.children;
  let index = 0;
  let version = 1;
  if (fields[0]?.isContext(0)) {
    version = readSmallInteger(fields[0].child(0, 'version')) + 1;
    index = 1;
  }
  const serialNumberNode = fields[index++];
  if (!serialNumberNode) throw new CertificateError('TBSCertificate is truncated');
  const serialNumber = readInteger(serialNumberNode);
  const innerAlgorithm = fields[index++];
  if (!innerAlgorithm) throw new CertificateError('TBSCertificate is truncated');
  const innerSignatureOid = readOid(innerAlgorithm.expect(Tag.sequence, 'signature').child(0));
  if (innerSignatureOid !== signatureAlgorithmOid) {
    throw new CertificateError('signature algorithm inside TBSCertificate differs from the outer one');
  }
  const issuerNode = fields[index++];
  const validityNode = fields[index++];
  const subjectNode = fields[index++];
  const spkiNode = fields[index++];
  if (!issuerNode || !validityNode || !subjectNode || !spkiNode) throw new CertificateError('TBSCertificate is truncated');
  validityNode.expect(Tag.sequence, 'Validity');

  const certificate: Certificate = {
    der: node.raw,
    tbs: tbsNode.raw,
    version,
    serialNumber,
    serialNumberHex: Buffer.from(bigintToBytes(serialNumber < 0n ? -serialNumber : serialNumber)).toString('hex').toUpperCase(),
    signatureAlgorithmOid,
    signatureValue,
    issuer: parseName(issuerNode),
    issuerDer: issuerNode.raw,
    subject: parseName(subjectNode),
    subjectDer: subjectNode.raw,
    notBefore: readTime(validityNode.child(0, 'notBefore')),
    notAfter: readTime(validityNode.child(1, 'notAfter')),
    publicKeyAlgorithmOid: readOid(spkiNode.expect(Tag.sequence, 'SubjectPublicKeyInfo').child(0).child(0)),
    subjectPublicKeyBits: readBitString(spkiNode.child(1, 'subjectPublicKey')).bytes,
    extensions: [],
  };
  if (certificate.publicKeyAlgorithmOid === OID.gost3410_2012_256 || certificate.publicKeyAlgorithmOid === OID.gost3410_2012_512) {
    try {
      certificate.publicKey = parseSubjectPublicKeyInfo(spkiNode);
    } catch (error) {
      if (!(error instanceof KeyFormatError) && !(error instanceof DerError)) throw error;
      certificate.publicKeyError = error.message;
    }
  }
  for (const field of fields.slice(index)) {
    if (field.isContext(3)) certificate.extensions = parseExtensions(field.child(0, 'extensions'));
  }
  applyKnownExtensions(certificate);
  return certificate;
}

function parseExtensions(node: DerNode): CertificateExtension[] {
  node.expect(Tag.sequence, 'Extensions');
  return node.children.map((extension) => {
    extension.expect(Tag.sequence, 'Extension');
    const oid = readOid(extension.child(0, 'extnID'));
    let critical = false;
    let valueNode = extension.child(1, 'extnValue');
    if (valueNode.isUniversal(Tag.boolean)) {
      critical = readBoolean(valueNode);
      valueNode = extension.child(2, 'extnValue');
    }
    return { oid, critical, value: readOctetString(valueNode) };
  });
}

function applyKnownExtensions(certificate: Certificate): void {
  for (const extension of certificate.extensions) {
    const value = parseDer(extension.value);
    switch (extension.oid) {
      case OID.basicConstraints: {
        value.expect(Tag.sequence, 'BasicConstraints');
        let ca = false;
        let pathLength: number | undefined;
        for (const item of value.children) {
          if (item.isUniversal(Tag.boolean)) ca = readBoolean(item);
          else if (item.isUniversal(Tag.integer)) pathLength = readSmallInteger(item);
        }
        certificate.basicConstraints = { ca, pathLength };
        break;
      }
      case OID.keyUsage: {
        const { bytes } = readBitString(value);
        certificate.keyUsage = KEY_USAGE_NAMES.filter((_, bit) => (bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7)));
        break;
      }
      case OID.extKeyUsage:
        certificate.extendedKeyUsage = value.expect(Tag.sequence, 'ExtKeyUsage').children.map(readOid);
        break;
      case OID.subjectKeyIdentifier:
        certificate.subjectKeyIdentifier = readOctetString(value);
        break;
      case OID.authorityKeyIdentifier: {
        const keyId = value.expect(Tag.sequence, 'AuthorityKeyIdentifier').children.find((item) => item.isContext(0));
        if (keyId) certificate.authorityKeyIdentifier = keyId.content;
        break;
      }
      default:
        break;
    }
  }
}

// ---- summary -------------------------------------------------------------------------

/** SHA-1 of the DER, uppercase hex: the "thumbprint" Windows and CryptoPro show. */
export function certificateThumbprint(certificate: Certificate | Uint8Array): string {
  const bytes = certificate instanceof Uint8Array ? certificate : certificate.der;
  return createHash('sha1').update(bytes).digest('hex').toUpperCase();
}

const ALGORITHM_NAMES: Record<string, string> = {
  [OID.gost3410_2012_256]: 'GOST R 34.10-2012 (256-bit)',
  [OID.gost3410_2012_512]: 'GOST R 34.10-2012 (512-bit)',
  [OID.signWithStreebog256]: 'GOST R 34.10-2012 with GOST R 34.11-2012 (256-bit)',
  [OID.signWithStreebog512]: 'GOST R 34.10-2012 with GOST R 34.11-2012 (512-bit)',
  '1.2.643.2.2.19': 'GOST R 34.10-2001',
  '1.2.643.2.2.3': 'GOST R 34.10-2001 with GOST R 34.11-94',
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
};

const EKU_NAMES: Record<string, string> = {
  [OID.ekuServerAuth]: 'serverAuth',
  [OID.ekuClientAuth]: 'clientAuth',
  [OID.ekuCodeSigning]: 'codeSigning',
  [OID.ekuEmailProtection]: 'emailProtection',
  [OID.ekuTimeStamping]: 'timeStamping',
  [OID.ekuOcspSigning]: 'OCSPSigning',
};

export interface CertificateSummary {
  subject: string;
  subjectFields: NameFields;
  issuer: string;
  issuerFields: NameFields;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  thumbprint: string;
  keyAlgorithm: string;
  keyAlgorithmOid: string;
  /** Parameter set name (e.g. "cryptopro-A") for GOST keys. */
  paramSet?: string;
  paramSetOid?: string;
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  isCA: boolean;
  selfIssued: boolean;
  keyUsage: string[];
  extendedKeyUsage: string[];
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
}

export function summarizeCertificate(certificate: Certificate): CertificateSummary {
  const paramSet: GostParamSet | undefined = certificate.publicKey?.paramSet;
  return {
    subject: formatName(certificate.subject),
    subjectFields: nameFields(certificate.subject),
    issuer: formatName(certificate.issuer),
    issuerFields: nameFields(certificate.issuer),
    serialNumber: certificate.serialNumberHex,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    thumbprint: certificateThumbprint(certificate),
    keyAlgorithm: ALGORITHM_NAMES[certificate.publicKeyAlgorithmOid] ?? certificate.publicKeyAlgorithmOid,
    keyAlgorithmOid: certificate.publicKeyAlgorithmOid,
    paramSet: paramSet?.name,
    paramSetOid: paramSet?.oid,
    signatureAlgorithm: ALGORITHM_NAMES[certificate.signatureAlgorithmOid] ?? certificate.signatureAlgorithmOid,
    signatureAlgorithmOid: certificate.signatureAlgorithmOid,
    isCA: certificate.basicConstraints?.ca ?? false,
    selfIssued: bytesEqual(certificate.issuerDer, certificate.subjectDer),
    keyUsage: certificate.keyUsage ?? [],
    extendedKeyUsage: (certificate.extendedKeyUsage ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
    subjectKeyIdentifier: certificate.subjectKeyIdentifier && Buffer.from(certificate.subjectKeyIdentifier).toString('hex').toUpperCase(),
    authorityKeyIdentifier: certificate.authorityKeyIdentifier && Buffer.from(certificate.authorityKeyIdentifier).toString('hex').toUpperCase(),
  };
}

/** Multi-line human-readable rendering of a summary (used by `kca cert show`). */
export function formatCertificateSummary(summary: CertificateSummary): string {
  const lines: Array<[string, string | undefined]> = [
    ['Subject', summary.subject],
    ['Issuer', summary.issuer],
    ['Serial number', summary.serialNumber],
    ['Valid from', summary.notBefore],
    ['Valid to', summary.notAfter],
    ['Thumbprint (SHA-1)', summary.thumbprint],
    ['Public key', summary.paramSet ? `${summary.keyAlgorithm}, ${summary.paramSet} (${summary.paramSetOid})` : summary.keyAlgorithm],
    ['Signature algorithm', summary.signatureAlgorithm],
    ['CA', summary.isCA ? 'yes' : 'no'],
    ['Key usage', summary.keyUsage.join(', ') || undefined],
    ['Extended key usage', summary.extendedKeyUsage.join(', ') || undefined],
    ['Subject key ID', summary.subjectKeyIdentifier],
    ['Authority key ID', summary.authorityKeyIdentifier],
  ];
  const fields = Object.entries(summary.subjectFields).map(([key, value]) => `  ${key.padEnd(7)} ${value}`);
  return [
    ...lines.filter(([, value]) => value !== undefined).map(([label, value]) => `${`${label}:`.padEnd(21)} ${value}`),
    'Subject attributes:',
    ...fields,
  ].join('\n') + '\n';
}

// ---- signatures ----------------------------------------------------------------------

/** Checks the issuer's signature on a certificate. Never throws: false on any mismatch. */
export function verifyCertificateSignature(certificate: Certificate, issuer: Certificate | GostPublicKey): boolean {
  const issuerKey = 'der' in issuer ? issuer.publicKey : issuer;
  if (!issuerKey) return false;
  if (certificate.signatureAlgorithmOid !== signatureAlgorithmOidFor(issuerKey.paramSet)) return false;
  const digest = streebog(digestAlgorithmFor(issuerKey.paramSet), certificate.tbs);
  return verifyDigest(issuerKey, digest, certificate.signatureValue);
}

// ---- building ------------------------------------------------------------------------

export interface CertificateTemplate {
  subject: NameInput;
  publicKey: GostPublicKey;
  /** Default: 16 random bytes (positive). */
  serialNumber?: bigint;
  /** Default: now minus one minute (tolerates clock skew). */
  notBefore?: Date;
  /** Default: notBefore plus `validDays` (default 365). */
  notAfter?: Date;
  validDays?: number;
  isCA?: boolean;
  /** CA only: how many intermediate CAs may follow. */
  pathLength?: number;
  keyUsage?: readonly KeyUsageName[];
  /** Extended key usage OIDs (see OID.eku*). */
  extendedKeyUsage?: readonly string[];
  /** Mark the extended key usage critical (a time-stamp authority's must be, RFC 3161 2.3). */
  extendedKeyUsageCritical?: boolean;
  /** Further extensions, e.g. Russian subjectSignTool or certificatePolicies. */
  extraExtensions?: readonly CertificateExtension[];
}

export interface CertificateIssuer {
  /** The issuing CA certificate; omit for a self-signed certificate. */
  certificate?: Certificate;
  privateKey: GostPrivateKey;
}

function encodeExtension(extension: CertificateExtension): Uint8Array {
  return extension.critical
    ? der.sequence(der.oid(extension.oid), der.boolean(true), der.octetString(extension.value))
    : der.sequence(der.oid(extension.oid), der.octetString(extension.value));
}

/** Key identifier per RFC 5280 section 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: GostPublicKey): Uint8Array {
  const spki = parseDer(encodeSubjectPublicKeyInfo(publicKey));
  return new Uint8Array(createHash('sha1').update(readBitString(spki.child(1)).bytes).digest());
}

function randomSerialNumber(): bigint {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01; // positive and full length
  return bytesToBigint(bytes);
}

/** Builds and signs a certificate. Self-signed when `issuer.certificate` is absent. */
export function createCertificate(template: CertificateTemplate, issuer: CertificateIssuer): Certificate {
  const issuerKeyPublic = issuer.certificate?.publicKey;
  if (issuer.certificate) {
    if (!issuerKeyPublic) throw new CertificateError('issuer certificate has no usable GOST public key');
    const expected = issuer.privateKey;
    const derived = expected.paramSet.Point.BASE.multiply(expected.d).toAffine();
    if (!publicKeysEqual(issuerKeyPublic, { paramSet: expected.paramSet, x: derived.x, y: derived.y })) {
      throw new CertificateError('the issuer private key does not belong to the issuer certificate');
    }
    if (!issuer.certificate.basicConstraints?.ca) throw new CertificateError('the issuer certificate is not a CA certificate');
  }
  const signingSet = issuer.privateKey.paramSet;
  const signatureAlgorithm = der.sequence(der.oid(signatureAlgorithmOidFor(signingSet)));
  const notBefore = template.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const notAfter = template.notAfter ?? new Date(notBefore.getTime() + (template.validDays ?? 365) * 86_400_000);
  if (notAfter <= notBefore) throw new CertificateError('notAfter must be later than notBefore');
  const subjectDer = encodeName(template.subject);
  const issuerDer = issuer.certificate ? issuer.certificate.subjectDer : subjectDer;

  const subjectKeyId = keyIdentifier(template.publicKey);
  const authorityKeyId = issuer.certificate
    ? issuer.certificate.subjectKeyIdentifier ?? keyIdentifier(issuerKeyPublic!)
    : subjectKeyId;
  const keyUsage = template.keyUsage ?? (template.isCA ? ['keyCertSign', 'cRLSign', 'digitalSignature'] : ['digitalSignature', 'nonRepudiation']);
  const extensions: CertificateExtension[] = [
    {
      oid: OID.basicConstraints,
      critical: true,
      value: template.isCA
        ? der.sequence(der.boolean(true), ...(template.pathLength !== undefined ? [der.integer(template.pathLength)] : []))
        : der.sequence(),
    },
    { oid: OID.keyUsage, critical: true, value: der.namedBits(keyUsage.map((name) => KEY_USAGE_NAMES.indexOf(name))) },
    ...(template.extendedKeyUsage?.length
      ? [{ oid: OID.extKeyUsage, critical: template.extendedKeyUsageCritical ?? false, value: der.sequence(...template.extendedKeyUsage.map((oid) => der.oid(oid))) }]
      : []),
    { oid: OID.subjectKeyIdentifier, critical: false, value: der.octetString(subjectKeyId) },
    { oid: OID.authorityKeyIdentifier, critical: false, value: der.sequence(der.implicitPrimitive(0, authorityKeyId)) },
    ...(template.extraExtensions ?? []),
  ];

  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integer(template.serialNumber ?? randomSerialNumber()),
    signatureAlgorithm,
    issuerDer,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    subjectDer,
    encodeSubjectPublicKeyInfo(template.publicKey),
    der.explicit(3, der.sequence(...extensions.map(encodeExtension))),
  );
  const signature = signDigest(issuer.privateKey, streebog(digestAlgorithmFor(signingSet), tbs));
  return parseCertificate(der.sequence(tbs, signatureAlgorithm, der.bitString(signature)));
}

export interface RootCertificateOptions {
  subject: NameInput;
  privateKey: GostPrivateKey;
  publicKey: GostPublicKey;
  notBefore?: Date;
  notAfter?: Date;
  /** Default 10 years. */
  validDays?: number;
  pathLength?: number;
  serialNumber?: bigint;
}

/** A self-signed root CA certificate. */
export function createSelfSignedRoot(options: RootCertificateOptions): Certificate {
  return createCertificate(
    {
      subject: options.subject,
      publicKey: options.publicKey,
      serialNumber: options.serialNumber,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      validDays: options.validDays ?? 3650,
      isCA: true,
      pathLength: options.pathLength,
      keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'],
    },
    { privateKey: options.privateKey },
  );
}

export interface NaturalPersonName {
  lastName: string;
  firstName: string;
  middleName?: string;
  /** 11 digits (dashes and spaces are removed). */
  snils?: string;
  /** 12 digits. */
  inn?: string;
  email?: string;
  country?: string;
  region?: string;
  locality?: string;
}

/**
 * Subject fields of a natural person as Russian qualified certificates carry them:
 * CN = full name, SN = last name, G = first and middle names, SNILS, INN, E, C.
 */
export function naturalPersonSubject(person: NaturalPersonName): NameFields {
  const given = [person.firstName, person.middleName].filter(Boolean).join(' ');
  return {
    CN: [person.lastName, given].filter(Boolean).join(' '),
    SN: person.lastName,
    G: given || undefined,
    SNILS: person.snils?.replace(/[\s-]/g, ''),
    INN: person.inn?.replace(/\s/g, ''),
    E: person.email,
    C: person.country ?? 'RU',
    ST: person.region,
    L: person.locality,
  };
}

export interface EndEntityCertificateOptions {
  subject: NameInput;
  publicKey: GostPublicKey;
  issuerCertificate: Certificate;
  issuerPrivateKey: GostPrivateKey;
  notBefore?: Date;
  notAfter?: Date;
  /** Default 365. */
  validDays?: number;
  /** Default digitalSignature, nonRepudiation, keyEncipherment. */
  keyUsage?: readonly KeyUsageName[];
  /** Default clientAuth and emailProtection. */
  extendedKeyUsage?: readonly string[];
  extendedKeyUsageCritical?: boolean;
  serialNumber?: bigint;
  extraExtensions?: readonly CertificateExtension[];
}

/** An end-entity (signing) certificate issued by a CA. */
export function issueEndEntityCertificate(options: EndEntityCertificateOptions): Certificate {
  return createCertificate(
    {
      subject: options.subject,
      publicKey: options.publicKey,
      serialNumber: options.serialNumber,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      validDays: options.validDays ?? 365,
      isCA: false,
      keyUsage: options.keyUsage ?? ['digitalSignature', 'nonRepudiation', 'keyEncipherment'],
      extendedKeyUsage: options.extendedKeyUsage ?? [OID.ekuClientAuth, OID.ekuEmailProtection],
      extendedKeyUsageCritical: options.extendedKeyUsageCritical,
      extraExtensions: options.extraExtensions,
    },
    { certificate: options.issuerCertificate, privateKey: options.issuerPrivateKey },
  );
}

export function certificateToPem(certificate: Certificate): string {
  return encodePem('CERTIFICATE', certificate.der);
}

// ---- chains --------------------------------------------------------------------------

export type ChainFailureReason =
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'bad-certificate-signature'
  | 'not-a-ca'
  | 'untrusted-chain';

export type ChainResult =
  | { ok: true; /** Leaf first, trusted root last. */ chain: Certificate[] }
  | { ok: false; reason: ChainFailureReason; message: string; certificate?: Certificate };

export interface ChainOptions {
  /** Explicitly trusted roots ("Trusted Root Certification Authorities"). */
  trustedRoots: readonly Certificate[];
  /** Other certificates that may serve as intermediates (e.g. from a CMS). */
  intermediates?: readonly Certificate[];
  /** Time at which every certificate must be valid. Default: now. */
  at?: Date;
}

const MAX_CHAIN_LENGTH = 10;

// Which failure to report when several paths fail: the most specific one.
const FAILURE_PRIORITY: Record<ChainFailureReason, number> = {
  'certificate-expired': 4,
  'certificate-not-yet-valid': 4,
  'bad-certificate-signature': 3,
  'not-a-ca': 2,
  'untrusted-chain': 1,
};

function describe(certificate: Certificate): string {
  return `"${formatName(certificate.subject)}" (serial ${certificate.serialNumberHex})`;
}

/** Builds a path from `leaf` to one of the trusted roots, checking signatures, CA flags and validity times. */
export function buildCertificateChain(leaf: Certificate, options: ChainOptions): ChainResult {
  const at = options.at ?? new Date();
  const trustedThumbprints = new Set(options.trustedRoots.map((root) => certificateThumbprint(root)));
  const pool = [...options.trustedRoots, ...(options.intermediates ?? [])];

  const visit = (certificate: Certificate, below: Certificate[]): ChainResult => {
    if (at < certificate.notBefore) {
      return { ok: false, reason: 'certificate-not-yet-valid', certificate, message: `certificate ${describe(certificate)} is not valid before ${certificate.notBefore.toISOString()} (checked at ${at.toISOString()})` };
    }
    if (at > certificate.notAfter) {
      return { ok: false, reason: 'certificate-expired', certificate, message: `certificate ${describe(certificate)} expired on ${certificate.notAfter.toISOString()} (checked at ${at.toISOString()})` };
    }
    const path = [...below, certificate];
    if (trustedThumbprints.has(certificateThumbprint(certificate))) return { ok: true, chain: path };
    if (path.length >= MAX_CHAIN_LENGTH) {
      return { ok: false, reason: 'untrusted-chain', certificate, message: `no trusted root within ${MAX_CHAIN_LENGTH} certificates` };
    }
    const seen = new Set(path.map((c) => certificateThumbprint(c)));
    const candidates = pool.filter((candidate) =>
      !seen.has(certificateThumbprint(candidate))
      && namesMatch(candidate.subject, certificate.issuer)
      && !(certificate.authorityKeyIdentifier && candidate.subjectKeyIdentifier
        && !bytesEqual(certificate.authorityKeyIdentifier, candidate.subjectKeyIdentifier)));
    if (candidates.length === 0) {
      const selfIssued = bytesEqual(certificate.issuerDer, certificate.subjectDer);
      return {
        ok: false,
        reason: 'untrusted-chain',
        certificate,
        message: selfIssued
          ? `self-signed certificate ${describe(certificate)} is not among the trusted roots`
          : `issuer "${formatName(certificate.issuer)}" of ${describe(certificate)} is neither trusted nor supplied`,
      };
    }
    // Trusted candidates first: the shortest route to trust.
    candidates.sort((a, b) => Number(trustedThumbprints.has(certificateThumbprint(b))) - Number(trustedThumbprints.has(certificateThumbprint(a))));
    let failure: Extract<ChainResult, { ok: false }> | undefined;
    const remember = (result: Extract<ChainResult, { ok: false }>) => {
      if (!failure || FAILURE_PRIORITY[result.reason] > FAILURE_PRIORITY[failure.reason]) failure = result;
    };
    for (const candidate of candidates) {
      if (!verifyCertificateSignature(certificate, candidate)) {
        remember({ ok: false, reason: 'bad-certificate-signature', certificate, message: `signature of ${describe(certificate)} does not verify with the key of ${describe(candidate)}` });
        continue;
      }
      const isTrustedCandidate = trustedThumbprints.has(certificateThumbprint(candidate));
      // v1 roots carry no extensions; an explicitly trusted one may still issue.
      const mayIssue = candidate.basicConstraints?.ca ?? (candidate.version < 3 && isTrustedCandidate);
      if (!mayIssue || (candidate.keyUsage && !candidate.keyUsage.includes('keyCertSign'))) {
        remember({ ok: false, reason: 'not-a-ca', certificate: candidate, message: `${describe(candidate)} is not allowed to issue certificates` });
        continue;
      }
      const pathLength = candidate.basicConstraints?.pathLength;
      const intermediatesBelow = path.slice(1).filter((c) => !bytesEqual(c.issuerDer, c.subjectDer)).length;
      if (pathLength !== undefined && intermediatesBelow > pathLength) {
        remember({ ok: false, reason: 'not-a-ca', certificate: candidate, message: `path length constraint of ${describe(candidate)} exceeded` });
        continue;
      }
      const result = visit(candidate, path);
      if (result.ok) return result;
      remember(result);
    }
    return failure!;
  };

  return visit(leaf, []);
}
