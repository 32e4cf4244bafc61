// CMS SignedData (RFC 5652) with GOST R 34.10-2012 / Streebog (RFC 9215 section 4),
// CAdES-BES style: signed attributes contentType, signingTime, messageDigest and
// signingCertificateV2 (RFC 5035) carrying the Streebog-256 hash of the signer certificate.
//
// Detached signatures can be made and checked over a precomputed digest, so a file of any
// size is hashed by streaming (see signCmsFile / verifyCmsFile) and never held in memory.
// Verification never throws: every failure is a result with a discriminated `reason`.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  DerError, Tag, TagClass, bytesEqual, compareBytes, concatBytes, der, encodeTlv, parseDer, readInteger, readOctetString, readOid,
  readTime, withTag, type DerNode,
} from './der.ts';
import { signDigest, verifyDigest, type GostPrivateKey } from './gost3410.ts';
import { digestAlgorithmFor, publicKeyAlgorithmOid } from './keys.ts';
import { OID } from './oids.ts';
import { decodePemBlocks, looksLikePem } from './pem.ts';
import { Streebog, hashStream, streebog, type StreebogAlgorithm } from './streebog.ts';
import {
  CertificateError, buildCertificateChain, parseCertificateNode, type Certificate, type ChainFailureReason,
} from './x509.ts';
import { formatName, namesMatch, parseName } from './x509-names.ts';

export class CmsError extends Error {
  override name = 'CmsError';
}

const DIGEST_OIDS: Record<StreebogAlgorithm, string> = {
  streebog256: OID.streebog256,
  streebog512: OID.streebog512,
};

function digestAlgorithmByOid(oid: string): StreebogAlgorithm | undefined {
  if (oid === OID.streebog256) return 'streebog256';
  if (oid === OID.streebog512) return 'streebog512';
  return undefined;
}

// ---- signing -------------------------------------------------------------------------

export interface CmsSignOptions {
  certificate: Certificate;
  privateKey: GostPrivateKey;
  /** The data to sign. Required for encapsulated signatures. */
  content?: Uint8Array;
  /**
   * Streebog digest of the data, computed elsewhere (e.g. hashFile). Must use the digest
   * that matches the key: Streebog-256 for 256-bit keys, Streebog-512 for 512-bit keys.
   */
  contentDigest?: Uint8Array;
  /** Default true. False embeds `content` in the CMS. */
  detached?: boolean;
  /** Default: now. `null` leaves the signingTime attribute out (time-stamp tokens carry genTime instead). */
  signingTime?: Date | null;
  /** More certificates to include (e.g. intermediates); the signer's is always included. */
  extraCertificates?: readonly Certificate[];
  /** The encapsulated content type; default id-data (a time-stamp token signs id-ct-TSTInfo). */
  contentType?: string;
  /** Leave the certificates out (a time-stamp token answers a request without certReq so). */
  omitCertificates?: boolean;
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(oid), der.setOf(value));
}

function issuerAndSerialNumber(certificate: Certificate): Uint8Array {
  return der.sequence(certificate.issuerDer, der.integer(certificate.serialNumber));
}

/** ESS SigningCertificateV2 with one ESSCertIDv2 (Streebog-256 hash and issuer/serial). */
function signingCertificateV2(certificate: Certificate): Uint8Array {
  const essCertId = der.sequence(
    der.sequence(der.oid(OID.streebog256)),
    der.octetString(streebog('streebog256', certificate.der)),
    der.sequence(der.sequence(der.explicit(4, certificate.issuerDer)), der.integer(certificate.serialNumber)),
  );
  return der.sequence(der.sequence(essCertId));
}

/** Creates a CMS SignedData (DER ContentInfo), detached unless `detached: false`. */
export function signCms(options: CmsSignOptions): Uint8Array {
  const { certificate, privateKey } = options;
  const detached = options.detached ?? true;
  if (!certificate.publicKey) throw new CmsError('the signer certificate has no GOST R 34.10-2012 public key');
  const keyPoint = privateKey.paramSet.Point.BASE.multiply(privateKey.d).toAffine();
  if (keyPoint.x !== certificate.publicKey.x || keyPoint.y !== certificate.publicKey.y || privateKey.paramSet.p !== certificate.publicKey.paramSet.p) {
    throw new CmsError('the private key does not belong to the signer certificate');
  }
  const digestAlgorithm = digestAlgorithmFor(privateKey.paramSet);
  let messageDigest: Uint8Array;
  if (options.contentDigest) {
    if (!detached) throw new CmsError('an encapsulated signature needs the content itself, not only its digest');
    const expectedLength = digestAlgorithm === 'streebog256' ? 32 : 64;
    if (options.contentDigest.length !== expectedLength) {
      throw new CmsError(`contentDigest must be a ${digestAlgorithm} digest (${expectedLength} bytes) for this key`);
    }
    messageDigest = options.contentDigest;
  } else if (options.content) {
    messageDigest = streebog(digestAlgorithm, options.content);
  } else {
    throw new CmsError('give either content or contentDigest');
  }
  if (!detached && !options.content) throw new CmsError('an encapsulated signature needs the content');

  const signingTime = options.signingTime === undefined ? new Date() : options.signingTime;
  const contentType = options.contentType ?? OID.data;
  const signedAttributes = [
    attribute(OID.contentType, der.oid(contentType)),
    ...(signingTime ? [attribute(OID.signingTime, der.time(signingTime))] : []),
    attribute(OID.messageDigest, der.octetString(messageDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(certificate)),
  ];
  // Signed as a DER SET OF (tag 0x31); carried as [0] IMPLICIT with the same content.
  const signedAttributesSet = der.setOf(...signedAttributes);
  const signature = signDigest(privateKey, streebog(digestAlgorithm, signedAttributesSet));
  const digestAlgorithmIdentifier = der.sequence(der.oid(DIGEST_OIDS[digestAlgorithm]));

  const signerInfo = der.sequence(
    der.integer(1),
    issuerAndSerialNumber(certificate),
    digestAlgorithmIdentifier,
    withTag(signedAttributesSet, 0xa0),
    der.sequence(der.oid(publicKeyAlgorithmOid(privateKey.paramSet.keySize))),
    der.octetString(signature),
  );
  const certificates = [certificate, ...(options.extraCertificates ?? [])]
    .map((c) => c.der)
    .filter((encoding, i, all) => all.findIndex((other) => bytesEqual(other, encoding)) === i)
    .sort(compareBytes);
  const encapsulatedContentInfo = detached
    ? der.sequence(der.oid(contentType))
    : der.sequence(der.oid(contentType), der.explicit(0, der.octetString(options.content!)));
  const signedData = der.sequence(
    // RFC 5652 5.1: version 3 when the content is not id-data.
    der.integer(contentType === OID.data ? 1 : 3),
    der.setOf(digestAlgorithmIdentifier),
    encapsulatedContentInfo,
    ...(options.omitCertificates ? [] : [der.implicitConstructed(0, ...certificates)]),
    der.setOf(signerInfo),
  );
  return der.sequence(der.oid(OID.signedData), der.explicit(0, signedData));
}

/** Signs a file detached, hashing it by streaming. */
export async function signCmsFile(path: string, options: Omit<CmsSignOptions, 'content' | 'contentDigest' | 'detached'>): Promise<Uint8Array> {
  const contentDigest = await hashStream(createReadStream(path, { highWaterMark: 1 << 20 }), digestAlgorithmFor(options.privateKey.paramSet));
  return signCms({ ...options, contentDigest, detached: true });
}

// ---- parsing -------------------------------------------------------------------------

export interface ParsedSignerInfo {
  node: DerNode;
  issuer?: DerNode;
  serialNumber?: bigint;
  subjectKeyIdentifier?: Uint8Array;
  digestAlgorithmOid: string;
  signedAttributes?: DerNode;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
  /** [1] unsignedAttrs: time-stamps and validation data (CAdES). */
  unsignedAttributes?: DerNode;
}

export interface ParsedCms {
  contentType: string;
  /** Encapsulated content, when the signature is not detached. */
  content?: Uint8Array;
  certificates: Certificate[];
  signers: ParsedSignerInfo[];
  /** Digest algorithms the signers use (all signers must be satisfied by the caller's digests). */
  digestAlgorithms: StreebogAlgorithm[];
}

function cmsDerFromInput(input: Uint8Array): Uint8Array {
  if (!looksLikePem(input)) {
    if (input[0] !== 0x30) throw new CmsError('expected DER (a SEQUENCE) or PEM ("-----BEGIN CMS-----")');
    return input;
  }
  const block = decodePemBlocks(Buffer.from(input).toString('latin1')).find((b) => ['CMS', 'PKCS7', 'PKCS #7 SIGNED DATA'].includes(b.label));
  if (!block) throw new CmsError('no "CMS" or "PKCS7" PEM block found');
  return block.der;
}

/** Parses a CMS ContentInfo with SignedData. Throws CmsError / DerError on malformed input. */
export function parseCms(input: Uint8Array): ParsedCms {
  const root = parseDer(cmsDerFromInput(input));
  root.expect(Tag.sequence, 'ContentInfo');
  const contentType = readOid(root.child(0, 'contentType'));
  if (contentType !== OID.signedData) throw new CmsError(`not a SignedData (contentType ${contentType})`);
  const signedData = root.child(1, 'content').expect(0, 'content', TagClass.context).child(0, 'SignedData');
  signedData.expect(Tag.sequence, 'SignedData');
  const items = signedData.children;
  const version = readInteger(signedData.child(0, 'version'));
  if (![1n, 3n, 4n, 5n].includes(version)) throw new CmsError(`unsupported SignedData version ${version}`);
  const encapsulated = signedData.child(2, 'encapContentInfo').expect(Tag.sequence, 'EncapsulatedContentInfo');
  const eContentType = readOid(encapsulated.child(0, 'eContentType'));
  const eContent = encapsulated.children[1];
  const content = eContent ? readOctetString(eContent.expect(0, 'eContent', TagClass.context).child(0, 'eContent')) : undefined;

  const certificates: Certificate[] = [];
  let signerInfos: DerNode | undefined;
  for (const item of items.slice(3)) {
    if (item.isContext(0)) {
      for (const choice of item.children) {
        // Only plain X.509 certificates; attribute certificates and others are skipped.
        if (choice.isUniversal(Tag.sequence)) certificates.push(parseCertificateNode(choice));
      }
    } else if (item.isUniversal(Tag.set)) {
      signerInfos = item;
    }
  }
  if (!signerInfos) throw new CmsError('SignedData has no signerInfos');
  const signers = signerInfos.children.map(parseSignerInfo);
  if (signers.length === 0) throw new CmsError('SignedData has no signers');
  const digestAlgorithms = [...new Set(signers.map((s) => digestAlgorithmByOid(s.digestAlgorithmOid)).filter((a): a is StreebogAlgorithm => !!a))];
  return { contentType: eContentType, content, certificates, signers, digestAlgorithms };
}

function parseSignerInfo(node: DerNode): ParsedSignerInfo {
  node.expect(Tag.sequence, 'SignerInfo');
  const version = readInteger(node.child(0, 'version'));
  const sid = node.child(1, 'sid');
  const parsed: Partial<ParsedSignerInfo> = { node };
  if (sid.isUniversal(Tag.sequence)) {
    if (version !== 1n) throw new CmsError(`SignerInfo version ${version} does not match an issuerAndSerialNumber (expected 1)`);
    if (sid.children.length !== 2) throw new CmsError('malformed issuerAndSerialNumber');
    parsed.issuer = sid.child(0, 'issuer').expect(Tag.sequence, 'issuer');
    parsed.serialNumber = readInteger(sid.child(1, 'serialNumber'));
  } else if (sid.isContext(0) && !sid.constructed) {
    if (version !== 3n) throw new CmsError(`SignerInfo version ${version} does not match a subjectKeyIdentifier (expected 3)`);
    parsed.subjectKeyIdentifier = sid.content;
  } else {
    throw new CmsError(`unexpected signer identifier ${sid.describe()}`);
  }
  parsed.digestAlgorithmOid = readOid(node.child(2, 'digestAlgorithm').expect(Tag.sequence, 'digestAlgorithm').child(0));
  let index = 3;
  if (node.child(index, 'signatureAlgorithm').isContext(0)) {
    parsed.signedAttributes = node.children[index];
    index++;
  }
  parsed.signatureAlgorithmOid = readOid(node.child(index, 'signatureAlgorithm').expect(Tag.sequence, 'signatureAlgorithm').child(0));
  parsed.signature = readOctetString(node.child(index + 1, 'signature'));
  const unsigned = node.children[index + 2];
  if (unsigned) {
    if (!unsigned.isContext(1) || !unsigned.constructed) throw new CmsError(`unexpected ${unsigned.describe()} after the signature value`);
    parsed.unsignedAttributes = unsigned;
  }
  return parsed as ParsedSignerInfo;
}

/**
 * The same SignedData with the unsigned attributes of signer `signerIndex` replaced (CAdES adds
 * time-stamps and validation data there). Everything signed is copied byte for byte.
 */
export function withUnsignedAttributes(cms: Uint8Array, signerIndex: number, attributes: readonly Uint8Array[]): Uint8Array {
  const root = parseDer(cmsDerFromInput(cms));
  const contentType = readOid(root.child(0, 'contentType'));
  if (contentType !== OID.signedData) throw new CmsError(`not a SignedData (contentType ${contentType})`);
  const signedData = root.child(1, 'content').child(0, 'SignedData').expect(Tag.sequence, 'SignedData');
  const items = signedData.children;
  const signerInfosIndex = items.findIndex((item, i) => i >= 3 && item.isUniversal(Tag.set));
  if (signerInfosIndex < 0) throw new CmsError('SignedData has no signerInfos');
  const signerInfos = items[signerInfosIndex].children;
  const signer = signerInfos[signerIndex];
  if (!signer) throw new CmsError(`no signer ${signerIndex}`);
  const parsed = parseSignerInfo(signer);
  const kept = signer.children.filter((child) => child !== parsed.unsignedAttributes).map((child) => child.raw);
  const unsigned = attributes.length ? [der.implicitConstructed(1, ...[...attributes].sort(compareBytes))] : [];
  const rebuiltSigner = der.sequence(...kept, ...unsigned);
  const rebuiltInfos = encodeTlv(TagClass.universal, true, Tag.set, concatBytes(signerInfos.map((info, i) => (i === signerIndex ? rebuiltSigner : info.raw))));
  const rebuiltSignedData = der.sequence(...items.map((item, i) => (i === signerInfosIndex ? rebuiltInfos : item.raw)));
  return der.sequence(der.oid(OID.signedData), der.explicit(0, rebuiltSignedData));
}

// ---- verification --------------------------------------------------------------------

export type CmsFailureReason =
  | 'malformed'
  | 'content-missing'
  | 'unsupported-algorithm'
  | 'signer-not-found'
  | 'digest-mismatch'
  | 'bad-signature'
  | 'signing-certificate-mismatch'
  | ChainFailureReason;

export interface CmsSignerResult {
  valid: boolean;
  reason?: CmsFailureReason;
  message?: string;
  certificate?: Certificate;
  signingTime?: Date;
  digestAlgorithm?: StreebogAlgorithm;
  /** Leaf first, trusted root last, when the chain was checked and built. */
  chain?: Certificate[];
}

export type CmsVerifyResult =
  | { valid: true; signers: CmsSignerResult[]; chainChecked: boolean; content?: Uint8Array }
  | { valid: false; reason: CmsFailureReason; message: string; signers: CmsSignerResult[]; chainChecked: boolean };

export interface CmsVerifyOptions {
  /** Detached content held in memory. */
  content?: Uint8Array;
  /**
   * Digest(s) of detached content computed elsewhere, by algorithm (as from hashFile).
   * A bare Uint8Array is taken as the digest for whatever algorithm the signer uses.
   */
  contentDigest?: Uint8Array | Partial<Record<StreebogAlgorithm, Uint8Array>>;
  /** Trusted root certificates. Required unless skipChainValidation is set. */
  trustedRoots?: readonly Certificate[];
  /** Check everything except the chain to a trusted root (like `openssl cms -noverify`). */
  skipChainValidation?: boolean;
  /** The signer's certificate, when the CMS does not carry it. */
  signerCertificates?: readonly Certificate[];
  /** More certificates usable as intermediates. */
  extraCertificates?: readonly Certificate[];
  /** Time for validity checks; default: the signingTime attribute, else now. */
  at?: Date;
}

function fail(reason: CmsFailureReason, message: string, extra: Partial<CmsSignerResult> = {}): CmsSignerResult {
  return { valid: false, reason, message, ...extra };
}

/** The single value of attribute `oid` in a set of attributes (signed or unsigned). */
export function findAttribute(attributes: DerNode, oid: string): DerNode | undefined {
  for (const item of attributes.children) {
    item.expect(Tag.sequence, 'Attribute');
    if (readOid(item.child(0, 'attrType')) === oid) {
      const values = item.child(1, 'attrValues').expect(Tag.set, 'attrValues');
      if (values.children.length !== 1) throw new CmsError(`attribute ${oid} must have exactly one value`);
      return values.children[0];
    }
  }
  return undefined;
}

function findSignerCertificate(signer: ParsedSignerInfo, candidates: readonly Certificate[]): Certificate | undefined {
  if (signer.subjectKeyIdentifier) {
    return candidates.find((c) => c.subjectKeyIdentifier && bytesEqual(c.subjectKeyIdentifier, signer.subjectKeyIdentifier!));
  }
  const issuer = parseName(signer.issuer!);
  return candidates.find((c) => c.serialNumber === signer.serialNumber && namesMatch(c.issuer, issuer));
}

/** Checks an ESS signingCertificateV2 (or v1) attribute against the signer certificate. */
function checkSigningCertificate(attributes: DerNode, certificate: Certificate): string | undefined {
  const v2 = findAttribute(attributes, OID.signingCertificateV2);
  const v1 = v2 ? undefined : findAttribute(attributes, '1.2.840.113549.1.9.16.2.12');
  const value = v2 ?? v1;
  if (!value) return undefined;
  const first = value.expect(Tag.sequence, 'SigningCertificate').child(0, 'certs').expect(Tag.sequence, 'certs').child(0, 'ESSCertID');
  first.expect(Tag.sequence, 'ESSCertID');
  let hashAlgorithmOid = v2 ? '2.16.840.1.101.3.4.2.1' : '1.3.14.3.2.26'; // DEFAULT sha256 / SHA-1 for v1
  let hashIndex = 0;
  if (v2 && first.child(0).isUniversal(Tag.sequence)) {
    hashAlgorithmOid = readOid(first.child(0).child(0, 'hashAlgorithm'));
    hashIndex = 1;
  }
  const certHash = readOctetString(first.child(hashIndex, 'certHash'));
  let actual: Uint8Array;
  const streebogAlgorithm = digestAlgorithmByOid(hashAlgorithmOid);
  if (streebogAlgorithm) actual = streebog(streebogAlgorithm, certificate.der);
  else if (hashAlgorithmOid === '2.16.840.1.101.3.4.2.1') actual = createHash('sha256').update(certificate.der).digest();
  else if (hashAlgorithmOid === '1.3.14.3.2.26') actual = createHash('sha1').update(certificate.der).digest();
  else return `signingCertificate uses an unsupported hash algorithm ${hashAlgorithmOid}`;
  if (!bytesEqual(actual, certHash)) {
    return 'the signingCertificateV2 attribute does not match the signer certificate (certificate substituted or altered)';
  }
  return undefined;
}

function digestFor(algorithm: StreebogAlgorithm, parsed: ParsedCms, options: CmsVerifyOptions): Uint8Array | undefined {
  if (parsed.content) return streebog(algorithm, parsed.content);
  if (options.content) return streebog(algorithm, options.content);
  const given = options.contentDigest;
  if (!given) return undefined;
  if (given instanceof Uint8Array) return given;
  return given[algorithm];
}

function verifySigner(signer: ParsedSignerInfo, parsed: ParsedCms, options: CmsVerifyOptions): CmsSignerResult {
  const pool = [...(options.signerCertificates ?? []), ...parsed.certificates, ...(options.extraCertificates ?? [])];
  const certificate = findSignerCertificate(signer, pool);
  if (!certificate) {
    const who = signer.issuer ? `issuer "${formatName(parseName(signer.issuer))}", serial ${signer.serialNumber?.toString(16).toUpperCase()}` : 'the given key identifier';
    return fail('signer-not-found', `no certificate for the signer (${who}) in the CMS or among the supplied certificates`);
  }
  const publicKey = certificate.publicKey;
  if (!publicKey) {
    return fail('unsupported-algorithm', `signer certificate key is not GOST R 34.10-2012${certificate.publicKeyError ? `: ${certificate.publicKeyError}` : ''}`, { certificate });
  }
  const digestAlgorithm = digestAlgorithmByOid(signer.digestAlgorithmOid);
  if (!digestAlgorithm) return fail('unsupported-algorithm', `unsupported digest algorithm ${signer.digestAlgorithmOid}`, { certificate });
  if (digestAlgorithm !== digestAlgorithmFor(publicKey.paramSet)) {
    return fail('unsupported-algorithm', `${digestAlgorithm} does not match the ${publicKey.paramSet.keySize}-bit signer key`, { certificate });
  }
  const signatureOids = [publicKeyAlgorithmOid(publicKey.paramSet.keySize), publicKey.paramSet.keySize === 256 ? OID.signWithStreebog256 : OID.signWithStreebog512];
  if (!signatureOids.includes(signer.signatureAlgorithmOid)) {
    return fail('unsupported-algorithm', `unsupported signature algorithm ${signer.signatureAlgorithmOid}`, { certificate });
  }
  const contentDigest = digestFor(digestAlgorithm, parsed, options);
  if (!contentDigest) {
    return fail('content-missing', 'detached signature: the content (or its digest) must be supplied', { certificate, digestAlgorithm });
  }

  let signingTime: Date | undefined;
  let signedDigest: Uint8Array;
  if (signer.signedAttributes) {
    const attributes = signer.signedAttributes;
    const contentType = findAttribute(attributes, OID.contentType);
    const messageDigest = findAttribute(attributes, OID.messageDigest);
    if (!contentType || !messageDigest) return fail('malformed', 'signed attributes lack contentType or messageDigest', { certificate });
    if (readOid(contentType) !== parsed.contentType) return fail('malformed', 'contentType attribute differs from the encapsulated content type', { certificate });
    const time = findAttribute(attributes, OID.signingTime);
    if (time) signingTime = readTime(time);
    if (!bytesEqual(readOctetString(messageDigest), contentDigest)) {
      return fail('digest-mismatch', 'the content does not match the messageDigest the signer signed (content changed)', { certificate, signingTime, digestAlgorithm });
    }
    // The signature covers the DER SET OF, i.e. the original bytes with the [0] tag replaced.
    signedDigest = streebog(digestAlgorithm, withTag(attributes.raw, 0x31));
  } else {
    signedDigest = contentDigest;
  }
  if (!verifyDigest(publicKey, signedDigest, signer.signature)) {
    return fail('bad-signature', 'the signature value does not verify with the signer certificate key', { certificate, signingTime, digestAlgorithm });
  }
  if (signer.signedAttributes) {
    const mismatch = checkSigningCertificate(signer.signedAttributes, certificate);
    if (mismatch) return fail('signing-certificate-mismatch', mismatch, { certificate, signingTime, digestAlgorithm });
  }

  const at = options.at ?? signingTime ?? new Date();
  if (at < certificate.notBefore) {
    return fail('certificate-not-yet-valid', `the signer certificate is valid only from ${certificate.notBefore.toISOString()} (signing time ${at.toISOString()})`, { certificate, signingTime, digestAlgorithm });
  }
  if (at > certificate.notAfter) {
    return fail('certificate-expired', `the signer certificate expired on ${certificate.notAfter.toISOString()} (signing time ${at.toISOString()})`, { certificate, signingTime, digestAlgorithm });
  }
  if (options.skipChainValidation) return { valid: true, certificate, signingTime, digestAlgorithm };
  const chain = buildCertificateChain(certificate, {
    trustedRoots: options.trustedRoots ?? [],
    intermediates: [...parsed.certificates, ...(options.extraCertificates ?? [])],
    at,
  });
  if (!chain.ok) return fail(chain.reason, chain.message, { certificate, signingTime, digestAlgorithm });
  return { valid: true, certificate, signingTime, digestAlgorithm, chain: chain.chain };
}

function describeError(error: unknown): string {
  if (error instanceof DerError || error instanceof CmsError || error instanceof CertificateError) return error.message;
  return `unexpected error: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * Verifies a CMS SignedData: digest, signature, signer certificate (found in the CMS or
 * supplied), its validity at signing time and its chain to a trusted root. Never throws.
 */
export function verifyCms(cms: Uint8Array, options: CmsVerifyOptions): CmsVerifyResult {
  const chainChecked = !options.skipChainValidation;
  let parsed: ParsedCms;
  try {
    parsed = parseCms(cms);
  } catch (error) {
    return malformedCms(error, options);
  }
  if (!options.skipChainValidation && options.trustedRoots === undefined) {
    return { valid: false, reason: 'untrusted-chain', message: 'no trusted roots given (pass trustedRoots, or skipChainValidation to check the signature only)', signers: [], chainChecked };
  }
  const signers = parsed.signers.map((signer) => {
    try {
      return verifySigner(signer, parsed, options);
    } catch (error) {
      return fail('malformed', `malformed signer information: ${describeError(error)}`);
    }
  });
  const failed = signers.find((s) => !s.valid);
  if (failed) return { valid: false, reason: failed.reason!, message: failed.message!, signers, chainChecked };
  return { valid: true, signers, chainChecked, content: parsed.content };
}

/**
 * Hashes a stream of detached content with every digest the signers of `cms` use, chunk by
 * chunk. Throws CmsError / DerError when the CMS cannot be parsed.
 */
export async function digestContentFor(cms: Uint8Array, content: AsyncIterable<Uint8Array | string>): Promise<Partial<Record<StreebogAlgorithm, Uint8Array>>> {
  const algorithms = parseCms(cms).digestAlgorithms;
  const hashers = algorithms.map((algorithm) => new Streebog(algorithm));
  for await (const chunk of content) for (const hasher of hashers) hasher.update(chunk);
  const contentDigest: Partial<Record<StreebogAlgorithm, Uint8Array>> = {};
  algorithms.forEach((algorithm, i) => {
    contentDigest[algorithm] = hashers[i].digest();
  });
  return contentDigest;
}

/** The result for a CMS that cannot be parsed at all. */
export function malformedCms(error: unknown, options: Pick<CmsVerifyOptions, 'skipChainValidation'>): CmsVerifyResult {
  return { valid: false, reason: 'malformed', message: `not a valid CMS signature: ${describeError(error)}`, signers: [], chainChecked: !options.skipChainValidation };
}

/**
 * Verifies a detached CMS against a stream of content, hashing it chunk by chunk with the
 * digest algorithm(s) the signers use.
 */
export async function verifyCmsStream(
  cms: Uint8Array,
  content: AsyncIterable<Uint8Array | string>,
  options: Omit<CmsVerifyOptions, 'content' | 'contentDigest'> = {},
): Promise<CmsVerifyResult> {
  let contentDigest: Partial<Record<StreebogAlgorithm, Uint8Array>>;
  try {
    contentDigest = await digestContentFor(cms, content);
  } catch (error) {
    if (!(error instanceof CmsError || error instanceof DerError || error instanceof CertificateError)) throw error;
    return malformedCms(error, options);
  }
  return verifyCms(cms, { ...options, contentDigest });
}

/** Verifies a detached CMS against a file, streaming it (memory stays flat for any size). */
export function verifyCmsFile(cms: Uint8Array, path: string, options: Omit<CmsVerifyOptions, 'content' | 'contentDigest'> = {}): Promise<CmsVerifyResult> {
  return verifyCmsStream(cms, createReadStream(path, { highWaterMark: 1 << 20 }), options);
}
