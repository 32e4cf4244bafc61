// RFC 3161 time-stamps with GOST keys: requests and responses as a time-stamp authority (TSA)
// reads and writes them, tokens (a CMS SignedData over a TSTInfo, RFC 5816 signingCertificateV2),
// and their verification. A token proves that a digest (the "message imprint") existed at
// `genTime`; CAdES-T puts one over the signature value into the signature.
import {
  DerError, Tag, TagClass, bytesEqual, der, parseDer, readBoolean, readInteger, readOctetString, readOid, readString,
  readTime, type DerNode,
} from './der.ts';
import { CmsError, parseCms, signCms, verifyCms, type CmsFailureReason } from './cms.ts';
import type { GostPrivateKey } from './gost3410.ts';
import { digestByOid, hashAlgorithmByOid } from './hash-algorithms.ts';
import { OID } from './oids.ts';
import { formatName, parseName, type NameAttribute } from './x509-names.ts';
import { CertificateError, type Certificate } from './x509.ts';

export class TimeStampError extends Error {
  override name = 'TimeStampError';
}

/** What is time-stamped: a digest and the algorithm that made it. */
export interface MessageImprint {
  hashAlgorithmOid: string;
  digest: Uint8Array;
}

export interface TimeStampRequest {
  imprint: MessageImprint;
  policy?: string;
  nonce?: bigint;
  certReq: boolean;
  hasExtensions: boolean;
}

export interface TstInfo {
  policy: string;
  imprint: MessageImprint;
  serialNumber: bigint;
  genTime: Date;
  /** Accuracy in milliseconds, when given. */
  accuracyMs?: number;
  ordering: boolean;
  nonce?: bigint;
  tsaName?: NameAttribute[];
}

/** PKIStatus values (RFC 3161 section 2.4.2). */
export const PKI_STATUS = { granted: 0, grantedWithMods: 1, rejection: 2, waiting: 3 } as const;

/** PKIFailureInfo bits. */
export const PKI_FAILURE = { badAlg: 0, badRequest: 2, badDataFormat: 5, timeNotAvailable: 14, unacceptedPolicy: 15, unacceptedExtension: 16, systemFailure: 25 } as const;
export type PkiFailureName = keyof typeof PKI_FAILURE;

function encodeImprint(imprint: MessageImprint): Uint8Array {
  const name = hashAlgorithmByOid(imprint.hashAlgorithmOid);
  const algorithm = name === 'sha1' || name === 'sha256' ? der.sequence(der.oid(imprint.hashAlgorithmOid), der.null()) : der.sequence(der.oid(imprint.hashAlgorithmOid));
  return der.sequence(algorithm, der.octetString(imprint.digest));
}

function readImprint(node: DerNode): MessageImprint {
  node.expect(Tag.sequence, 'MessageImprint');
  return {
    hashAlgorithmOid: readOid(node.child(0, 'hashAlgorithm').expect(Tag.sequence, 'hashAlgorithm').child(0, 'algorithm')),
    digest: readOctetString(node.child(1, 'hashedMessage')),
  };
}

/** The imprint of `data` with the digest named by `hashAlgorithmOid`. */
export function imprintOf(data: Uint8Array, hashAlgorithmOid: string = OID.streebog256): MessageImprint {
  const digest = digestByOid(hashAlgorithmOid, data);
  if (!digest) throw new TimeStampError(`unsupported digest algorithm ${hashAlgorithmOid}`);
  return { hashAlgorithmOid, digest };
}

// ---- requests and responses ---------------------------------------------------------------

export function encodeTimeStampRequest(request: { imprint: MessageImprint; policy?: string; nonce?: bigint; certReq?: boolean }): Uint8Array {
  return der.sequence(
    der.integer(1),
    encodeImprint(request.imprint),
    ...(request.policy ? [der.oid(request.policy)] : []),
    ...(request.nonce !== undefined ? [der.integer(request.nonce)] : []),
    ...(request.certReq ? [der.boolean(true)] : []),
  );
}

/** Parses a TimeStampReq. Throws TimeStampError / DerError on malformed input. */
export function parseTimeStampRequest(input: Uint8Array): TimeStampRequest {
  const root = parseDer(input).expect(Tag.sequence, 'TimeStampReq');
  const version = readInteger(root.child(0, 'version'));
  if (version !== 1n) throw new TimeStampError(`unsupported TimeStampReq version ${version}`);
  const request: TimeStampRequest = { imprint: readImprint(root.child(1, 'messageImprint')), certReq: false, hasExtensions: false };
  for (const item of root.children.slice(2)) {
    if (item.isUniversal(Tag.oid)) request.policy = readOid(item);
    else if (item.isUniversal(Tag.integer)) {
      const nonce = readInteger(item);
      if (nonce < 0n) throw new TimeStampError('a negative nonce is not supported');
      request.nonce = nonce;
    } else if (item.isUniversal(Tag.boolean)) request.certReq = readBoolean(item);
    else if (item.isContext(0)) request.hasExtensions = true;
    else throw new TimeStampError(`unexpected ${item.describe()} in TimeStampReq`);
  }
  return request;
}

export function encodeTimeStampResponse(response: { status: number; statusText?: string; failure?: PkiFailureName; token?: Uint8Array }): Uint8Array {
  const statusInfo = der.sequence(
    der.integer(response.status),
    ...(response.statusText ? [der.sequence(der.utf8(response.statusText))] : []),
    ...(response.failure !== undefined ? [der.namedBits([PKI_FAILURE[response.failure]])] : []),
  );
  return der.sequence(statusInfo, ...(response.token ? [response.token] : []));
}

export interface ParsedTimeStampResponse {
  status: number;
  statusText?: string;
  failureBits?: Uint8Array;
  token?: Uint8Array;
}

export function parseTimeStampResponse(input: Uint8Array): ParsedTimeStampResponse {
  const root = parseDer(input).expect(Tag.sequence, 'TimeStampResp');
  const statusInfo = root.child(0, 'status').expect(Tag.sequence, 'PKIStatusInfo');
  const out: ParsedTimeStampResponse = { status: Number(readInteger(statusInfo.child(0, 'status'))) };
  for (const item of statusInfo.children.slice(1)) {
    if (item.isUniversal(Tag.sequence)) out.statusText = item.children.map(readString).join('\n');
    else if (item.isUniversal(Tag.bitString)) out.failureBits = item.content.subarray(1);
  }
  if (root.children[1]) out.token = root.children[1].raw;
  return out;
}

// ---- the authority ---------------------------------------------------------------------------

export interface TimeStampAuthority {
  /** Its certificate must carry the critical extended key usage timeStamping (RFC 3161 2.3). */
  certificate: Certificate;
  privateKey: GostPrivateKey;
  /** The TSA policy OID put into every TSTInfo. */
  policy: string;
  /** Certificates of its chain, added to tokens when the requester asks for certificates. */
  chain?: readonly Certificate[];
}

function encodeTstInfo(info: Omit<TstInfo, 'tsaName'> & { tsaNameDer?: Uint8Array }): Uint8Array {
  const accuracy = info.accuracyMs === undefined
    ? []
    : [der.sequence(
      ...(info.accuracyMs >= 1000 ? [der.integer(Math.floor(info.accuracyMs / 1000))] : []),
      ...(info.accuracyMs % 1000 ? [der.implicitPrimitive(0, der.integer(info.accuracyMs % 1000).subarray(2))] : []),
    )];
  return der.sequence(
    der.integer(1),
    der.oid(info.policy),
    encodeImprint(info.imprint),
    der.integer(info.serialNumber),
    der.generalizedTime(info.genTime),
    ...accuracy,
    ...(info.ordering ? [der.boolean(true)] : []),
    ...(info.nonce !== undefined ? [der.integer(info.nonce)] : []),
    // tsa [0] GeneralName, directoryName [4] Name: both explicit (a CHOICE is always tagged explicitly).
    ...(info.tsaNameDer ? [der.explicit(0, der.explicit(4, info.tsaNameDer))] : []),
  );
}

/** A random positive 16-byte serial number. */
function randomSerial(): bigint {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Issues a time-stamp token (ContentInfo DER) over `request.imprint`. */
export function issueTimeStampToken(
  tsa: TimeStampAuthority,
  request: { imprint: MessageImprint; nonce?: bigint; certReq?: boolean },
  options: { genTime?: Date; serialNumber?: bigint } = {},
): Uint8Array {
  const expectedLength = digestByOid(request.imprint.hashAlgorithmOid, new Uint8Array(0))?.length;
  if (expectedLength === undefined) throw new TimeStampError(`unsupported digest algorithm ${request.imprint.hashAlgorithmOid}`);
  if (request.imprint.digest.length !== expectedLength) throw new TimeStampError(`the imprint must be ${expectedLength} bytes for this digest`);
  // Whole seconds: GeneralizedTime without fractions, and accuracy says one second.
  const genTime = new Date(Math.floor((options.genTime ?? new Date()).getTime() / 1000) * 1000);
  const tstInfo = encodeTstInfo({
    policy: tsa.policy,
    imprint: request.imprint,
    serialNumber: options.serialNumber ?? randomSerial(),
    genTime,
    accuracyMs: 1000,
    ordering: false,
    nonce: request.nonce,
    tsaNameDer: tsa.certificate.subjectDer,
  });
  return signCms({
    certificate: tsa.certificate,
    privateKey: tsa.privateKey,
    content: tstInfo,
    detached: false,
    contentType: OID.tstInfo,
    signingTime: null,
    extraCertificates: tsa.chain,
    omitCertificates: !request.certReq,
  });
}

/**
 * Answers a DER TimeStampReq as RFC 3161 says: a granted response with a token, or a rejection
 * with the failure (unknown digest, a policy this TSA does not serve, extensions, malformed).
 */
export function answerTimeStampRequest(tsa: TimeStampAuthority, requestDer: Uint8Array, options: { genTime?: Date; serialNumber?: bigint } = {}): Uint8Array {
  let request: TimeStampRequest;
  try {
    request = parseTimeStampRequest(requestDer);
  } catch (error) {
    return encodeTimeStampResponse({ status: PKI_STATUS.rejection, statusText: `malformed request: ${(error as Error).message}`, failure: 'badDataFormat' });
  }
  if (!hashAlgorithmByOid(request.imprint.hashAlgorithmOid)) {
    return encodeTimeStampResponse({ status: PKI_STATUS.rejection, statusText: `unsupported digest ${request.imprint.hashAlgorithmOid}`, failure: 'badAlg' });
  }
  if (request.policy && request.policy !== tsa.policy) {
    return encodeTimeStampResponse({ status: PKI_STATUS.rejection, statusText: `this TSA serves policy ${tsa.policy} only`, failure: 'unacceptedPolicy' });
  }
  if (request.hasExtensions) {
    return encodeTimeStampResponse({ status: PKI_STATUS.rejection, statusText: 'extensions are not supported', failure: 'unacceptedExtension' });
  }
  try {
    return encodeTimeStampResponse({ status: PKI_STATUS.granted, token: issueTimeStampToken(tsa, request, options) });
  } catch (error) {
    if (!(error instanceof TimeStampError)) throw error;
    return encodeTimeStampResponse({ status: PKI_STATUS.rejection, statusText: error.message, failure: 'badDataFormat' });
  }
}

// ---- tokens ------------------------------------------------------------------------------------

/** Reads the TSTInfo of a token (without verifying it). */
export function parseTstInfo(token: Uint8Array): TstInfo {
  const cms = parseCms(token);
  if (cms.contentType !== OID.tstInfo) throw new TimeStampError(`not a time-stamp token (content type ${cms.contentType})`);
  if (!cms.content) throw new TimeStampError('the time-stamp token carries no TSTInfo');
  const root = parseDer(cms.content).expect(Tag.sequence, 'TSTInfo');
  const version = readInteger(root.child(0, 'version'));
  if (version !== 1n) throw new TimeStampError(`unsupported TSTInfo version ${version}`);
  const info: TstInfo = {
    policy: readOid(root.child(1, 'policy')),
    imprint: readImprint(root.child(2, 'messageImprint')),
    serialNumber: readInteger(root.child(3, 'serialNumber')),
    genTime: readTime(root.child(4, 'genTime').expect(Tag.generalizedTime, 'genTime')),
    ordering: false,
  };
  for (const item of root.children.slice(5)) {
    if (item.isUniversal(Tag.sequence)) {
      let ms = 0;
      for (const part of item.children) {
        if (part.isUniversal(Tag.integer)) ms += Number(readInteger(part)) * 1000;
        else if (part.isContext(0)) ms += readUnsigned(part.content);
        else if (part.isContext(1)) ms += readUnsigned(part.content) / 1000;
      }
      info.accuracyMs = ms;
    } else if (item.isUniversal(Tag.boolean)) info.ordering = readBoolean(item);
    else if (item.isUniversal(Tag.integer)) info.nonce = readInteger(item);
    else if (item.isContext(0)) {
      const generalName = item.child(0, 'tsa');
      if (generalName.is(TagClass.context, 4)) info.tsaName = parseName(generalName.child(0, 'directoryName'));
    }
  }
  return info;
}

function readUnsigned(bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

export type TimeStampFailureReason = CmsFailureReason | 'not-a-time-stamp' | 'imprint-mismatch' | 'not-a-tsa' | 'nonce-mismatch';

export type TimeStampVerifyResult =
  | { valid: true; info: TstInfo; tsa: Certificate; chain?: Certificate[] }
  | { valid: false; reason: TimeStampFailureReason; message: string; info?: TstInfo; tsa?: Certificate };

export interface TimeStampVerifyOptions {
  /** The imprint the token must carry; alternatively `data`, hashed with the token's algorithm. */
  imprint?: MessageImprint;
  data?: Uint8Array;
  trustedRoots?: readonly Certificate[];
  skipChainValidation?: boolean;
  /** The TSA's certificate, when the token does not carry it. */
  tsaCertificates?: readonly Certificate[];
  extraCertificates?: readonly Certificate[];
  nonce?: bigint;
}

function hasCriticalTimeStampingUsage(certificate: Certificate): boolean {
  const extension = certificate.extensions.find((e) => e.oid === OID.extKeyUsage);
  return !!extension?.critical && certificate.extendedKeyUsage?.length === 1 && certificate.extendedKeyUsage[0] === OID.ekuTimeStamping;
}

/**
 * Verifies a time-stamp token: its CMS signature by the TSA (valid at genTime, chained to a
 * trusted root), the TSA's critical timeStamping key usage, the imprint and the nonce. Never throws.
 */
export function verifyTimeStampToken(token: Uint8Array, options: TimeStampVerifyOptions): TimeStampVerifyResult {
  let info: TstInfo;
  try {
    info = parseTstInfo(token);
  } catch (error) {
    const known = error instanceof TimeStampError || error instanceof DerError || error instanceof CmsError || error instanceof CertificateError;
    return { valid: false, reason: 'not-a-time-stamp', message: `not a valid time-stamp token: ${known ? (error as Error).message : String(error)}` };
  }
  const cms = verifyCms(token, {
    trustedRoots: options.trustedRoots,
    skipChainValidation: options.skipChainValidation,
    signerCertificates: options.tsaCertificates,
    extraCertificates: options.extraCertificates,
    at: info.genTime,
  });
  const tsa = cms.signers[0]?.certificate;
  if (!cms.valid) return { valid: false, reason: cms.reason, message: `time-stamp token: ${cms.message}`, info, tsa };
  if (cms.signers.length !== 1 || !tsa) return { valid: false, reason: 'malformed', message: 'a time-stamp token has exactly one signer', info };
  if (!hasCriticalTimeStampingUsage(tsa)) {
    return { valid: false, reason: 'not-a-tsa', message: `"${formatName(tsa.subject)}" is not a time-stamp authority (no critical extended key usage timeStamping)`, info, tsa };
  }
  const expected = options.imprint ?? (options.data ? imprintOf(options.data, info.imprint.hashAlgorithmOid) : undefined);
  if (!expected) return { valid: false, reason: 'content-missing', message: 'give the imprint or the data the token covers', info, tsa };
  if (expected.hashAlgorithmOid !== info.imprint.hashAlgorithmOid || !bytesEqual(expected.digest, info.imprint.digest)) {
    return { valid: false, reason: 'imprint-mismatch', message: 'the time-stamp covers other data (message imprint differs)', info, tsa };
  }
  if (options.nonce !== undefined && info.nonce !== options.nonce) {
    return { valid: false, reason: 'nonce-mismatch', message: 'the time-stamp answers another request (nonce differs)', info, tsa };
  }
  return { valid: true, info, tsa, chain: cms.signers[0].chain };
}
