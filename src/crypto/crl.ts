// Certificate revocation lists (RFC 5280 section 5) signed with GOST R 34.10-2012: building
// (a CA publishes one), parsing, checking the issuer's signature and looking a certificate up.
import {
  Tag, bytesEqual, der, parseDer, readBitString, readEnumerated, readInteger, readOctetString, readOid, readTime,
  type DerNode,
} from './der.ts';
import { signDigest, verifyDigest, type GostPrivateKey } from './gost3410.ts';
import { digestAlgorithmFor, signatureAlgorithmOidFor } from './keys.ts';
import { OID } from './oids.ts';
import { decodePemBlocks, encodePem, looksLikePem } from './pem.ts';
import { streebog } from './streebog.ts';
import { namesMatch, parseName, type NameAttribute } from './x509-names.ts';
import { CertificateError, keyIdentifier, type Certificate } from './x509.ts';

export class CrlError extends Error {
  override name = 'CrlError';
}

/** CRLReason (RFC 5280 5.3.1); 7 is not used. */
export const CRL_REASONS = [
  'unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation',
  'certificateHold', undefined, 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise',
] as const;
export type CrlReason = Exclude<(typeof CRL_REASONS)[number], undefined>;

export function crlReasonCode(reason: CrlReason): number {
  return CRL_REASONS.indexOf(reason);
}

export function isCrlReason(value: unknown): value is CrlReason {
  return typeof value === 'string' && value !== 'undefined' && (CRL_REASONS as readonly unknown[]).includes(value);
}

export interface RevokedCertificate {
  serialNumber: bigint;
  revocationDate: Date;
  /** Absent means unspecified. */
  reason?: CrlReason;
}

export interface Crl {
  der: Uint8Array;
  /** The exact TBSCertList bytes the issuer signed. */
  tbs: Uint8Array;
  issuer: NameAttribute[];
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  authorityKeyIdentifier?: Uint8Array;
  revoked: RevokedCertificate[];
  signatureAlgorithmOid: string;
  signatureValue: Uint8Array;
}

export interface CrlOptions {
  /** The CA: its certificate and key. */
  issuer: Certificate;
  privateKey: GostPrivateKey;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonically increasing number of this CRL (RFC 5280 5.2.3). */
  crlNumber: bigint;
  revoked: readonly RevokedCertificate[];
}

function extension(oid: string, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(oid), der.octetString(value));
}

/** Builds and signs a v2 CRL with the authority key identifier and CRL number extensions. */
export function createCrl(options: CrlOptions): Crl {
  const { issuer, privateKey } = options;
  if (!issuer.publicKey) throw new CrlError('the CA certificate has no GOST public key');
  const point = privateKey.paramSet.Point.BASE.multiply(privateKey.d).toAffine();
  if (point.x !== issuer.publicKey.x || point.y !== issuer.publicKey.y) throw new CrlError('the private key does not belong to the CA certificate');
  if (options.nextUpdate <= options.thisUpdate) throw new CrlError('nextUpdate must be later than thisUpdate');
  const signatureAlgorithm = der.sequence(der.oid(signatureAlgorithmOidFor(privateKey.paramSet)));
  const entries = [...options.revoked]
    .sort((a, b) => (a.serialNumber < b.serialNumber ? -1 : a.serialNumber > b.serialNumber ? 1 : 0))
    .map((entry) =>
      der.sequence(
        der.integer(entry.serialNumber),
        der.time(entry.revocationDate),
        // RFC 5280 5.3.1: the reason code "unspecified" SHOULD be absent.
        ...(entry.reason && entry.reason !== 'unspecified' ? [der.sequence(extension(OID.cRLReason, der.enumerated(crlReasonCode(entry.reason))))] : []),
      ));
  const authorityKeyId = issuer.subjectKeyIdentifier ?? keyIdentifier(issuer.publicKey);
  const tbs = der.sequence(
    der.integer(1),
    signatureAlgorithm,
    issuer.subjectDer,
    der.time(options.thisUpdate),
    der.time(options.nextUpdate),
    ...(entries.length ? [der.sequence(...entries)] : []),
    der.explicit(0, der.sequence(
      extension(OID.authorityKeyIdentifier, der.sequence(der.implicitPrimitive(0, authorityKeyId))),
      extension(OID.cRLNumber, der.integer(options.crlNumber)),
    )),
  );
  const signature = signDigest(privateKey, streebog(digestAlgorithmFor(privateKey.paramSet), tbs));
  return parseCrl(der.sequence(tbs, signatureAlgorithm, der.bitString(signature)));
}

/** Parses a CRL from DER or PEM ("X509 CRL"). Throws CrlError on malformed input. */
export function parseCrl(input: Uint8Array): Crl {
  let bytes = input;
  if (looksLikePem(input)) {
    const block = decodePemBlocks(Buffer.from(input).toString('latin1')).find((b) => b.label === 'X509 CRL');
    if (!block) throw new CrlError('no "X509 CRL" PEM block found');
    bytes = block.der;
  }
  try {
    return parseCrlNode(parseDer(bytes));
  } catch (error) {
    if (error instanceof CrlError) throw error;
    throw new CrlError(`malformed CRL: ${(error as Error).message}`);
  }
}

export function parseCrlNode(node: DerNode): Crl {
  node.expect(Tag.sequence, 'CertificateList');
  const [tbsNode, algorithmNode, signatureNode] = node.children;
  if (!tbsNode || !algorithmNode || !signatureNode) throw new CrlError('a CertificateList is a SEQUENCE of three elements');
  tbsNode.expect(Tag.sequence, 'TBSCertList');
  const fields = tbsNode.children;
  let index = fields[0]?.isUniversal(Tag.integer) ? 1 : 0;
  const innerAlgorithm = readOid(tbsNode.child(index++, 'signature').expect(Tag.sequence, 'signature').child(0));
  const signatureAlgorithmOid = readOid(algorithmNode.expect(Tag.sequence, 'signatureAlgorithm').child(0));
  if (innerAlgorithm !== signatureAlgorithmOid) throw new CrlError('signature algorithm inside TBSCertList differs from the outer one');
  const issuerNode = tbsNode.child(index++, 'issuer').expect(Tag.sequence, 'issuer');
  const crl: Crl = {
    der: node.raw,
    tbs: tbsNode.raw,
    issuer: parseName(issuerNode),
    issuerDer: issuerNode.raw,
    thisUpdate: readTime(tbsNode.child(index++, 'thisUpdate')),
    revoked: [],
    signatureAlgorithmOid,
    signatureValue: readBitString(signatureNode).bytes,
  };
  for (const field of fields.slice(index)) {
    if (field.isUniversal(Tag.utcTime) || field.isUniversal(Tag.generalizedTime)) {
      crl.nextUpdate = readTime(field);
    } else if (field.isUniversal(Tag.sequence)) {
      crl.revoked = field.children.map((entry) => {
        entry.expect(Tag.sequence, 'revokedCertificate');
        const revoked: RevokedCertificate = { serialNumber: readInteger(entry.child(0, 'userCertificate')), revocationDate: readTime(entry.child(1, 'revocationDate')) };
        for (const item of entry.children[2]?.children ?? []) {
          if (readOid(item.child(0, 'extnID')) !== OID.cRLReason) continue;
          const code = readEnumerated(parseDer(readOctetString(item.children.at(-1)!)));
          revoked.reason = CRL_REASONS[code] ?? 'unspecified';
        }
        return revoked;
      });
    } else if (field.isContext(0)) {
      for (const item of field.child(0, 'crlExtensions').children) {
        const oid = readOid(item.child(0, 'extnID'));
        const value = parseDer(readOctetString(item.children.at(-1)!));
        if (oid === OID.cRLNumber) crl.crlNumber = readInteger(value);
        else if (oid === OID.authorityKeyIdentifier) crl.authorityKeyIdentifier = value.children.find((c) => c.isContext(0))?.content;
      }
    }
  }
  return crl;
}

export function crlToPem(crl: Crl): string {
  return encodePem('X509 CRL', crl.der);
}

/** Checks that `issuer` signed the CRL (name, key identifier and signature). Never throws. */
export function verifyCrlSignature(crl: Crl, issuer: Certificate): boolean {
  try {
    const key = issuer.publicKey;
    if (!key || !namesMatch(crl.issuer, issuer.subject)) return false;
    if (crl.authorityKeyIdentifier && issuer.subjectKeyIdentifier && !bytesEqual(crl.authorityKeyIdentifier, issuer.subjectKeyIdentifier)) return false;
    if (crl.signatureAlgorithmOid !== signatureAlgorithmOidFor(key.paramSet)) return false;
    return verifyDigest(key, streebog(digestAlgorithmFor(key.paramSet), crl.tbs), crl.signatureValue);
  } catch (error) {
    if (error instanceof CertificateError) return false;
    throw error;
  }
}

/** The entry revoking `certificate`, if the CRL is its issuer's and lists it. */
export function findRevocation(crl: Crl, certificate: Certificate): RevokedCertificate | undefined {
  if (!namesMatch(crl.issuer, certificate.issuer)) return undefined;
  return crl.revoked.find((entry) => entry.serialNumber === certificate.serialNumber);
}
