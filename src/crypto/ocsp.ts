// OCSP (RFC 6960) with GOST R 34.10-2012 signatures: requests as clients such as
// `openssl ocsp` send them (CertIDs hashed with SHA-1, SHA-256 or Streebog), responses as a CA
// that answers for its own certificates signs them, and their verification.
import {
  DerError, Tag, TagClass, bytesEqual, der, parseDer, readBitString, readEnumerated, readInteger, readOctetString,
  readOid, readTime, type DerNode,
} from './der.ts';
import { crlReasonCode, CRL_REASONS, type CrlReason } from './crl.ts';
import { signDigest, verifyDigest, type GostPrivateKey } from './gost3410.ts';
import { digestByOid, encodeHashAlgorithm, hashAlgorithmByOid, hashAlgorithmOid, type HashAlgorithmName } from './hash-algorithms.ts';
import { digestAlgorithmFor, signatureAlgorithmOidFor } from './keys.ts';
import { OID } from './oids.ts';
import { streebog } from './streebog.ts';
import { namesMatch, parseName } from './x509-names.ts';
import { CertificateError, parseCertificateNode, verifyCertificateSignature, type Certificate } from './x509.ts';

export class OcspError extends Error {
  override name = 'OcspError';
}

/** Which certificate a request or an answer is about. */
export interface OcspCertId {
  hashAlgorithmOid: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serialNumber: bigint;
  /** The CertID as a request encoded it: an answer echoes it exactly, whatever its digest. */
  der?: Uint8Array;
}

export type OcspCertStatus =
  | { status: 'good' }
  | { status: 'revoked'; revocationTime: Date; reason?: CrlReason }
  | { status: 'unknown' };

export interface OcspSingleResponse {
  certId: OcspCertId;
  certStatus: OcspCertStatus;
  thisUpdate: Date;
  nextUpdate?: Date;
}

/** OCSPResponseStatus (RFC 6960 4.2.1). */
export const OCSP_RESPONSE_STATUS = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;
export type OcspResponseStatusName = keyof typeof OCSP_RESPONSE_STATUS;

// ---- CertID ---------------------------------------------------------------------------------

/** The CertID of `certificate` (issued by `issuer`) with the given digest; SHA-1 is what most clients use. */
export function ocspCertId(certificate: Certificate, issuer: Certificate, hashAlgorithm: HashAlgorithmName = 'sha1'): OcspCertId {
  const oid = hashAlgorithmOid(hashAlgorithm);
  return {
    hashAlgorithmOid: oid,
    issuerNameHash: digestByOid(oid, issuer.subjectDer)!,
    issuerKeyHash: digestByOid(oid, issuer.subjectPublicKeyBits)!,
    serialNumber: certificate.serialNumber,
  };
}

/** True when `certId` names a certificate of `issuer` (whatever digest the CertID uses). */
export function certIdIsFromIssuer(certId: OcspCertId, issuer: Certificate): boolean {
  const nameHash = digestByOid(certId.hashAlgorithmOid, issuer.subjectDer);
  const keyHash = digestByOid(certId.hashAlgorithmOid, issuer.subjectPublicKeyBits);
  return !!nameHash && !!keyHash && bytesEqual(nameHash, certId.issuerNameHash) && bytesEqual(keyHash, certId.issuerKeyHash);
}

function encodeCertId(certId: OcspCertId): Uint8Array {
  if (certId.der) return certId.der;
  const name = hashAlgorithmByOid(certId.hashAlgorithmOid);
  if (!name) throw new OcspError(`unsupported CertID digest ${certId.hashAlgorithmOid}`);
  return der.sequence(encodeHashAlgorithm(name), der.octetString(certId.issuerNameHash), der.octetString(certId.issuerKeyHash), der.integer(certId.serialNumber));
}

function readCertId(node: DerNode): OcspCertId {
  node.expect(Tag.sequence, 'CertID');
  return {
    hashAlgorithmOid: readOid(node.child(0, 'hashAlgorithm').expect(Tag.sequence, 'hashAlgorithm').child(0)),
    issuerNameHash: readOctetString(node.child(1, 'issuerNameHash')),
    issuerKeyHash: readOctetString(node.child(2, 'issuerKeyHash')),
    serialNumber: readInteger(node.child(3, 'serialNumber')),
    der: node.raw,
  };
}

function readExtensions(node: DerNode | undefined): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const item of node?.children ?? []) {
    item.expect(Tag.sequence, 'Extension');
    out.set(readOid(item.child(0, 'extnID')), readOctetString(item.children.at(-1)!));
  }
  return out;
}

// ---- requests --------------------------------------------------------------------------------

export interface OcspRequest {
  certIds: OcspCertId[];
  /**
   * The nonce extension's value as sent (extnValue's content: a DER OCTET STRING for RFC 8954
   * clients such as OpenSSL, raw bytes for older ones), echoed byte for byte in the answer.
   */
  nonce?: Uint8Array;
  signed: boolean;
}

export function encodeOcspRequest(request: { certIds: readonly OcspCertId[]; nonce?: Uint8Array }): Uint8Array {
  const extensions = request.nonce ? [der.explicit(2, der.sequence(der.sequence(der.oid(OID.ocspNonce), der.octetString(request.nonce))))] : [];
  return der.sequence(der.sequence(der.sequence(...request.certIds.map((id) => der.sequence(encodeCertId(id)))), ...extensions));
}

/** Parses an OCSPRequest. Throws OcspError / DerError on malformed input. */
export function parseOcspRequest(input: Uint8Array): OcspRequest {
  const root = parseDer(input).expect(Tag.sequence, 'OCSPRequest');
  const tbs = root.child(0, 'tbsRequest').expect(Tag.sequence, 'TBSRequest');
  let requestList: DerNode | undefined;
  let extensions: DerNode | undefined;
  for (const item of tbs.children) {
    if (item.isContext(0)) {
      const version = readInteger(item.child(0, 'version'));
      if (version !== 0n) throw new OcspError(`unsupported OCSP request version ${version}`);
    } else if (item.isUniversal(Tag.sequence)) requestList = item;
    else if (item.isContext(2)) extensions = item.child(0, 'requestExtensions');
  }
  if (!requestList || requestList.children.length === 0) throw new OcspError('the request lists no certificate');
  const certIds = requestList.children.map((request) => readCertId(request.expect(Tag.sequence, 'Request').child(0, 'reqCert')));
  return { certIds, nonce: readExtensions(extensions).get(OID.ocspNonce), signed: !!root.children[1] };
}

// ---- responses -------------------------------------------------------------------------------

export interface OcspResponder {
  /** The responder's certificate: the CA itself, or a delegate it issued with extended key usage OCSPSigning. */
  certificate: Certificate;
  privateKey: GostPrivateKey;
}

function encodeCertStatus(status: OcspCertStatus): Uint8Array {
  if (status.status === 'good') return der.implicitPrimitive(0, new Uint8Array(0));
  if (status.status === 'unknown') return der.implicitPrimitive(2, new Uint8Array(0));
  return der.implicitConstructed(
    1,
    der.generalizedTime(status.revocationTime),
    ...(status.reason ? [der.explicit(0, der.enumerated(crlReasonCode(status.reason)))] : []),
  );
}

/** A successful OCSPResponse (DER) with a BasicOCSPResponse signed by the responder. */
export function createOcspResponse(options: {
  responder: OcspResponder;
  producedAt?: Date;
  responses: readonly OcspSingleResponse[];
  nonce?: Uint8Array;
  /** Certificates to include (default: the responder's). */
  certificates?: readonly Certificate[];
}): Uint8Array {
  return wrapBasicOcspResponse(createBasicOcspResponse(options));
}

/** The BasicOCSPResponse alone (CAdES revocation values carry it so). */
export function createBasicOcspResponse(options: {
  responder: OcspResponder;
  producedAt?: Date;
  responses: readonly OcspSingleResponse[];
  nonce?: Uint8Array;
  certificates?: readonly Certificate[];
}): Uint8Array {
  const { certificate, privateKey } = options.responder;
  const producedAt = new Date(Math.floor((options.producedAt ?? new Date()).getTime() / 1000) * 1000);
  const keyHash = digestByOid(OID.sha1, certificate.subjectPublicKeyBits)!;
  const single = options.responses.map((response) =>
    der.sequence(
      encodeCertId(response.certId),
      encodeCertStatus(response.certStatus),
      der.generalizedTime(response.thisUpdate),
      ...(response.nextUpdate ? [der.explicit(0, der.generalizedTime(response.nextUpdate))] : []),
    ));
  const tbs = der.sequence(
    der.explicit(2, der.octetString(keyHash)), // responderID byKey
    der.generalizedTime(producedAt),
    der.sequence(...single),
    ...(options.nonce ? [der.explicit(1, der.sequence(der.sequence(der.oid(OID.ocspNonce), der.octetString(options.nonce))))] : []),
  );
  const signatureAlgorithm = der.sequence(der.oid(signatureAlgorithmOidFor(privateKey.paramSet)));
  const signature = signDigest(privateKey, streebog(digestAlgorithmFor(privateKey.paramSet), tbs));
  const certificates = options.certificates ?? [certificate];
  return der.sequence(tbs, signatureAlgorithm, der.bitString(signature), ...(certificates.length ? [der.explicit(0, der.sequence(...certificates.map((c) => c.der)))] : []));
}

export function wrapBasicOcspResponse(basic: Uint8Array): Uint8Array {
  return der.sequence(der.enumerated(OCSP_RESPONSE_STATUS.successful), der.explicit(0, der.sequence(der.oid(OID.ocspBasic), der.octetString(basic))));
}

/** An unsuccessful OCSPResponse: only the status. */
export function ocspErrorResponse(status: Exclude<OcspResponseStatusName, 'successful'>): Uint8Array {
  return der.sequence(der.enumerated(OCSP_RESPONSE_STATUS[status]));
}

export interface BasicOcspResponse {
  der: Uint8Array;
  tbs: Uint8Array;
  responderKeyHash?: Uint8Array;
  responderName?: ReturnType<typeof parseName>;
  /** The ResponderID as encoded (CAdES revocation references carry it). */
  responderIdDer: Uint8Array;
  producedAt: Date;
  responses: OcspSingleResponse[];
  nonce?: Uint8Array;
  signatureAlgorithmOid: string;
  signature: Uint8Array;
  certificates: Certificate[];
}

export interface ParsedOcspResponse {
  status: OcspResponseStatusName | number;
  basic?: BasicOcspResponse;
}

export function parseOcspResponse(input: Uint8Array): ParsedOcspResponse {
  try {
    const root = parseDer(input).expect(Tag.sequence, 'OCSPResponse');
    const code = readEnumerated(root.child(0, 'responseStatus'));
    const status = (Object.entries(OCSP_RESPONSE_STATUS).find(([, value]) => value === code)?.[0] as OcspResponseStatusName | undefined) ?? code;
    const bytes = root.children[1];
    if (!bytes) return { status };
    const responseBytes = bytes.expect(0, 'responseBytes', TagClass.context).child(0).expect(Tag.sequence, 'ResponseBytes');
    const type = readOid(responseBytes.child(0, 'responseType'));
    if (type !== OID.ocspBasic) throw new OcspError(`unsupported OCSP response type ${type}`);
    return { status, basic: parseBasicOcspResponse(readOctetString(responseBytes.child(1, 'response'))) };
  } catch (error) {
    if (error instanceof OcspError) throw error;
    throw new OcspError(`malformed OCSP response: ${(error as Error).message}`);
  }
}

export function parseBasicOcspResponse(input: Uint8Array): BasicOcspResponse {
  try {
    const root = parseDer(input).expect(Tag.sequence, 'BasicOCSPResponse');
    const tbs = root.child(0, 'tbsResponseData').expect(Tag.sequence, 'ResponseData');
    let index = tbs.child(0).isContext(0) ? 1 : 0;
    const responderId = tbs.child(index++, 'responderID');
    const parsed: BasicOcspResponse = {
      der: root.raw,
      tbs: tbs.raw,
      responderIdDer: responderId.raw,
      producedAt: readTime(tbs.child(index++, 'producedAt')),
      responses: [],
      signatureAlgorithmOid: readOid(root.child(1, 'signatureAlgorithm').expect(Tag.sequence, 'signatureAlgorithm').child(0)),
      signature: readBitString(root.child(2, 'signature')).bytes,
      certificates: root.children[3] ? root.children[3].expect(0, 'certs', TagClass.context).child(0).children.map(parseCertificateNode) : [],
    };
    if (responderId.isContext(2)) parsed.responderKeyHash = readOctetString(responderId.child(0, 'byKey'));
    else if (responderId.isContext(1)) parsed.responderName = parseName(responderId.child(0, 'byName'));
    else throw new OcspError(`unexpected ResponderID ${responderId.describe()}`);
    parsed.responses = tbs.child(index++, 'responses').expect(Tag.sequence, 'responses').children.map(readSingleResponse);
    const extensions = tbs.children[index];
    if (extensions?.isContext(1)) parsed.nonce = readExtensions(extensions.child(0)).get(OID.ocspNonce);
    return parsed;
  } catch (error) {
    if (error instanceof OcspError) throw error;
    throw new OcspError(`malformed BasicOCSPResponse: ${(error as Error).message}`);
  }
}

function readSingleResponse(node: DerNode): OcspSingleResponse {
  node.expect(Tag.sequence, 'SingleResponse');
  const statusNode = node.child(1, 'certStatus');
  let certStatus: OcspCertStatus;
  if (statusNode.isContext(0)) certStatus = { status: 'good' };
  else if (statusNode.isContext(2)) certStatus = { status: 'unknown' };
  else if (statusNode.isContext(1)) {
    const reasonNode = statusNode.children[1];
    const reason = reasonNode ? CRL_REASONS[readEnumerated(reasonNode.child(0))] : undefined;
    certStatus = { status: 'revoked', revocationTime: readTime(statusNode.child(0, 'revocationTime')), ...(reason ? { reason } : {}) };
  } else throw new OcspError(`unexpected certStatus ${statusNode.describe()}`);
  const response: OcspSingleResponse = { certId: readCertId(node.child(0, 'certID')), certStatus, thisUpdate: readTime(node.child(2, 'thisUpdate')) };
  const next = node.children[3];
  if (next?.isContext(0)) response.nextUpdate = readTime(next.child(0));
  return response;
}

// ---- verification ----------------------------------------------------------------------------

export type OcspVerifyResult =
  | { valid: true; responder: Certificate; single: OcspSingleResponse }
  | { valid: false; reason: 'malformed' | 'responder-not-found' | 'bad-signature' | 'unauthorized-responder' | 'no-answer' | 'nonce-mismatch'; message: string };

function responderMatches(response: BasicOcspResponse, candidate: Certificate): boolean {
  if (response.responderKeyHash) return bytesEqual(digestByOid(OID.sha1, candidate.subjectPublicKeyBits)!, response.responderKeyHash);
  return !!response.responderName && namesMatch(response.responderName, candidate.subject);
}

/**
 * Checks a BasicOCSPResponse about `certificate`: signed by its issuer, or by a responder the
 * issuer delegated (extended key usage OCSPSigning, issued by it), and holding an answer for
 * this certificate. Never throws.
 */
export function verifyOcspResponse(response: BasicOcspResponse, certificate: Certificate, issuer: Certificate, options: { nonce?: Uint8Array } = {}): OcspVerifyResult {
  try {
    const responder = [issuer, ...response.certificates].find((candidate) => responderMatches(response, candidate));
    if (!responder?.publicKey) return { valid: false, reason: 'responder-not-found', message: 'the OCSP responder certificate is neither the issuer nor in the response' };
    const delegated = responder !== issuer && !bytesEqual(responder.der, issuer.der);
    if (delegated && !(responder.extendedKeyUsage?.includes(OID.ekuOcspSigning) && verifyCertificateSignature(responder, issuer))) {
      return { valid: false, reason: 'unauthorized-responder', message: 'the OCSP responder is not authorized by the certificate issuer' };
    }
    if (response.signatureAlgorithmOid !== signatureAlgorithmOidFor(responder.publicKey.paramSet)
      || !verifyDigest(responder.publicKey, streebog(digestAlgorithmFor(responder.publicKey.paramSet), response.tbs), response.signature)) {
      return { valid: false, reason: 'bad-signature', message: 'the OCSP response signature does not verify' };
    }
    if (options.nonce && (!response.nonce || !bytesEqual(response.nonce, options.nonce))) {
      return { valid: false, reason: 'nonce-mismatch', message: 'the OCSP response answers another request (nonce differs)' };
    }
    const single = response.responses.find((entry) => entry.certId.serialNumber === certificate.serialNumber && certIdIsFromIssuer(entry.certId, issuer));
    if (!single) return { valid: false, reason: 'no-answer', message: 'the OCSP response holds no answer about this certificate' };
    return { valid: true, responder, single };
  } catch (error) {
    if (error instanceof DerError || error instanceof CertificateError || error instanceof OcspError) return { valid: false, reason: 'malformed', message: error.message };
    throw error;
  }
}

/**
 * What a CA answers to an OCSP request for its own certificates: `lookup` says the status of a
 * serial number (undefined: not issued by this CA → unknown). Malformed requests get
 * malformedRequest; signed requests are accepted but the signature is not required.
 */
export function answerOcspRequest(
  responder: OcspResponder,
  requestDer: Uint8Array,
  lookup: (serialNumber: bigint) => OcspCertStatus | undefined,
  options: { now?: Date; validityMs?: number } = {},
): Uint8Array {
  let request: OcspRequest;
  try {
    request = parseOcspRequest(requestDer);
  } catch {
    return ocspErrorResponse('malformedRequest');
  }
  const now = options.now ?? new Date();
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + (options.validityMs ?? 3_600_000));
  const responses = request.certIds.map((certId): OcspSingleResponse => {
    const ours = hashAlgorithmByOid(certId.hashAlgorithmOid) !== undefined && certIdIsFromIssuer(certId, responder.certificate);
    const unknown: OcspCertStatus = { status: 'unknown' };
    const certStatus = ours ? lookup(certId.serialNumber) ?? unknown : unknown;
    return { certId, certStatus, thisUpdate, nextUpdate };
  });
  return createOcspResponse({ responder, producedAt: now, responses, nonce: request.nonce });
}
