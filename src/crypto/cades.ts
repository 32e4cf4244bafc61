// CAdES (ETSI TS 101 733) on top of CMS: the unsigned attributes that turn a CAdES-BES
// signature into CAdES-T (a time-stamp over the signature value) and into CAdES-X Long Type 1
// (references to the whole validation path and its revocation data, the values themselves, and
// a time-stamp over the references), and verification of all of them.
//
// The CAdES-C time-stamp (escTimeStamp) covers, concatenated: the signature value's octets,
// then each signature time-stamp attribute, the complete-certificate-references and the
// complete-revocation-references attributes, each as attrType followed by attrValues in DER
// (without the Attribute's own SEQUENCE header, TS 101 733 6.3.5 note 2).
import { Tag, TagClass, bytesEqual, concatBytes, der, parseDer, readOctetString, readOid, type DerNode } from './der.ts';
import {
  CmsError, digestContentFor, malformedCms, parseCms, verifyCms, withUnsignedAttributes, type CmsFailureReason, type CmsSignerResult,
  type CmsVerifyOptions, type ParsedSignerInfo,
} from './cms.ts';
import { findRevocation, parseCrl, parseCrlNode, verifyCrlSignature, type Crl } from './crl.ts';
import { digestByOid } from './hash-algorithms.ts';
import { parseBasicOcspResponse, verifyOcspResponse, type BasicOcspResponse } from './ocsp.ts';
import { OID } from './oids.ts';
import type { StreebogAlgorithm } from './streebog.ts';
import { imprintOf, verifyTimeStampToken, type MessageImprint, type TstInfo } from './tsp.ts';
import { formatName, namesMatch, parseName } from './x509-names.ts';
import { parseCertificateNode, type Certificate } from './x509.ts';

export type CadesLevel = 'CAdES-BES' | 'CAdES-T' | 'CAdES-C' | 'CAdES-X Long' | 'CAdES-X Type 1' | 'CAdES-X Long Type 1';

/** Asks a time-stamp authority for a token over an imprint (the sandbox runs one in-process). */
export type TimeStamper = (imprint: MessageImprint) => Uint8Array | Promise<Uint8Array>;

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(oid), der.setOf(value));
}

function existingUnsignedAttributes(signer: ParsedSignerInfo): Uint8Array[] {
  return signer.unsignedAttributes?.children.map((item) => item.raw) ?? [];
}

function onlySigner(cms: Uint8Array): ParsedSignerInfo {
  const parsed = parseCms(cms);
  if (parsed.signers.length !== 1) throw new CmsError('CAdES attributes are added to a CMS with exactly one signer');
  return parsed.signers[0];
}

/** CAdES-T: adds a signature time-stamp (RFC 3161 token over the signature value). */
export async function addSignatureTimeStamp(cms: Uint8Array, stamp: TimeStamper, hashAlgorithmOid: string = OID.streebog256): Promise<Uint8Array> {
  const signer = onlySigner(cms);
  const token = await stamp(imprintOf(signer.signature, hashAlgorithmOid));
  return withUnsignedAttributes(cms, 0, [...existingUnsignedAttributes(signer), attribute(OID.signatureTimeStampToken, token)]);
}

/** What validated the signer's certificate, gathered by whoever makes the CAdES-X Long signature. */
export interface ValidationData {
  /** The signer's path above the signer: issuing CAs up to and including the trust anchor. */
  caCertificates: readonly Certificate[];
  /** CRLs (DER) of the path's issuers. */
  crls: readonly Uint8Array[];
  /** BasicOCSPResponses (DER) about the signer's certificate (and the CAs', if any). */
  ocspResponses: readonly Uint8Array[];
}

// ---- references ----------------------------------------------------------------------------

/** OtherHash as otherHash { Streebog-256, value } (TS 101 733 allows any algorithm here). */
function otherHash(data: Uint8Array): Uint8Array {
  return der.sequence(der.sequence(der.oid(OID.streebog256)), der.octetString(digestByOid(OID.streebog256, data)!));
}

interface ReadHash {
  algorithmOid: string;
  value: Uint8Array;
}

function readOtherHash(node: DerNode): ReadHash {
  if (node.isUniversal(Tag.octetString)) return { algorithmOid: OID.sha1, value: readOctetString(node) };
  node.expect(Tag.sequence, 'OtherHashAlgAndValue');
  return { algorithmOid: readOid(node.child(0, 'hashAlgorithm').child(0)), value: readOctetString(node.child(1, 'hashValue')) };
}

function hashMatches(hash: ReadHash, data: Uint8Array): boolean {
  const actual = digestByOid(hash.algorithmOid, data);
  return !!actual && bytesEqual(actual, hash.value);
}

function otherCertId(certificate: Certificate): Uint8Array {
  const issuerSerial = der.sequence(der.sequence(der.explicit(4, certificate.issuerDer)), der.integer(certificate.serialNumber));
  return der.sequence(otherHash(certificate.der), issuerSerial);
}

function crlValidatedId(crl: Crl): Uint8Array {
  const identifier = der.sequence(crl.issuerDer, der.utcTime(crl.thisUpdate), ...(crl.crlNumber !== undefined ? [der.integer(crl.crlNumber)] : []));
  return der.sequence(otherHash(crl.der), identifier);
}

function ocspResponsesId(response: BasicOcspResponse): Uint8Array {
  return der.sequence(der.sequence(response.responderIdDer, der.generalizedTime(response.producedAt)), otherHash(response.der));
}

/** attrType || attrValues of an Attribute, as the CAdES-C time-stamp hashes it. */
function attributeBody(encodedAttribute: Uint8Array): Uint8Array {
  const node = parseDer(encodedAttribute).expect(Tag.sequence, 'Attribute');
  return concatBytes(node.children.map((child) => child.raw));
}

function escImprintData(signature: Uint8Array, attributes: readonly Uint8Array[]): Uint8Array {
  return concatBytes([signature, ...attributes.map(attributeBody)]);
}

/**
 * CAdES-X Long Type 1 from a CAdES-T signature: complete certificate and revocation references,
 * the certificates and revocation values themselves, and a CAdES-C time-stamp over the signature,
 * its time-stamp and the references.
 */
export async function addLongTermValidation(cms: Uint8Array, data: ValidationData, stamp: TimeStamper): Promise<Uint8Array> {
  const parsed = parseCms(cms);
  if (parsed.signers.length !== 1) throw new CmsError('CAdES attributes are added to a CMS with exactly one signer');
  const signer = parsed.signers[0];
  const existing = existingUnsignedAttributes(signer);
  const timeStamps = existing.filter((item) => readOid(parseDer(item).child(0)) === OID.signatureTimeStampToken);
  if (timeStamps.length === 0) throw new CmsError('CAdES-X Long Type 1 needs a CAdES-T signature (a signature time-stamp) first');
  const signerCertificate = parsed.certificates.find((c) => c.serialNumber === signer.serialNumber && signer.issuer && namesMatch(c.issuer, parseName(signer.issuer)));
  if (!signerCertificate) throw new CmsError('the CMS does not carry the signer certificate');

  const crls = data.crls.map((bytes) => parseCrl(bytes));
  const ocsp = data.ocspResponses.map((bytes) => parseBasicOcspResponse(bytes));
  const certificateRefs = attribute(OID.certificateRefs, der.sequence(...data.caCertificates.map(otherCertId)));
  // One CrlOcspRef per certificate of the path that has revocation data, the signer's first.
  const path = [signerCertificate, ...data.caCertificates];
  const refs = path.flatMap((certificate) => {
    const certificateCrls = crls.filter((crl) => namesMatch(crl.issuer, certificate.issuer) && !bytesEqual(certificate.issuerDer, certificate.subjectDer));
    const certificateOcsp = ocsp.filter((response) => response.responses.some((single) => single.certId.serialNumber === certificate.serialNumber));
    if (certificateCrls.length === 0 && certificateOcsp.length === 0) return [];
    return [der.sequence(
      ...(certificateCrls.length ? [der.explicit(0, der.sequence(der.sequence(...certificateCrls.map(crlValidatedId))))] : []),
      ...(certificateOcsp.length ? [der.explicit(1, der.sequence(der.sequence(...certificateOcsp.map(ocspResponsesId))))] : []),
    )];
  });
  const revocationRefs = attribute(OID.revocationRefs, der.sequence(...refs));
  const certValues = attribute(OID.certValues, der.sequence(...path.map((certificate) => certificate.der)));
  const revocationValues = attribute(OID.revocationValues, der.sequence(
    ...(crls.length ? [der.explicit(0, der.sequence(...crls.map((crl) => crl.der)))] : []),
    ...(ocsp.length ? [der.explicit(1, der.sequence(...ocsp.map((response) => response.der)))] : []),
  ));
  const token = await stamp(imprintOf(escImprintData(signer.signature, [...timeStamps, certificateRefs, revocationRefs])));
  return withUnsignedAttributes(cms, 0, [...existing, certificateRefs, revocationRefs, certValues, revocationValues, attribute(OID.escTimeStamp, token)]);
}

// ---- verification -----------------------------------------------------------------------------

export type CadesFailureReason = CmsFailureReason | 'bad-timestamp' | 'bad-validation-data' | 'certificate-revoked';

export interface CadesSignerResult extends Omit<CmsSignerResult, 'reason'> {
  reason?: CadesFailureReason;
  level?: CadesLevel;
  /** The signature time-stamp (CAdES-T): when, by whom. */
  timeStamp?: { genTime: Date; tsa: Certificate };
  /** The CAdES-C time-stamp over the references (CAdES-X Type 1). */
  referencesTimeStamp?: { genTime: Date; tsa: Certificate };
  /** How revocation of the signer's certificate was checked from the embedded values. */
  revocationChecked?: ('crl' | 'ocsp')[];
}

export type CadesVerifyResult =
  | { valid: true; signers: CadesSignerResult[]; chainChecked: boolean; content?: Uint8Array }
  | { valid: false; reason: CadesFailureReason; message: string; signers: CadesSignerResult[]; chainChecked: boolean };

/** Allowed distance between a claimed signingTime and a later time-stamp the other way round (clock skew). */
const CLOCK_SKEW_MS = 5 * 60_000;

class CadesCheckError extends Error {
  constructor(readonly reason: CadesFailureReason, message: string) {
    super(message);
  }
}

function allAttributes(attributes: DerNode | undefined): { oid: string; raw: Uint8Array; values: DerNode[] }[] {
  return (attributes?.children ?? []).map((item) => {
    item.expect(Tag.sequence, 'Attribute');
    return { oid: readOid(item.child(0, 'attrType')), raw: item.raw, values: item.child(1, 'attrValues').expect(Tag.set, 'attrValues').children };
  });
}

function single(list: ReturnType<typeof allAttributes>, oid: string, what: string) {
  const found = list.filter((a) => a.oid === oid);
  if (found.length > 1 || (found[0] && found[0].values.length !== 1)) throw new CadesCheckError('bad-validation-data', `${what} must appear once, with one value`);
  return found[0];
}

function checkToken(token: Uint8Array, imprintData: Uint8Array, options: CmsVerifyOptions, what: string): { info: TstInfo; tsa: Certificate } {
  const result = verifyTimeStampToken(token, {
    data: imprintData,
    trustedRoots: options.trustedRoots,
    skipChainValidation: options.skipChainValidation,
    extraCertificates: options.extraCertificates,
  });
  if (!result.valid) throw new CadesCheckError('bad-timestamp', `${what}: ${result.message}`);
  return { info: result.info, tsa: result.tsa };
}

/** Checks the unsigned CAdES attributes of one signer whose CMS signature already verified. */
function checkUnsignedAttributes(signer: ParsedSignerInfo, base: CmsSignerResult, cmsCertificates: readonly Certificate[], options: CmsVerifyOptions): CadesSignerResult {
  const attributes = allAttributes(signer.unsignedAttributes);
  const result: CadesSignerResult = { ...base, level: 'CAdES-BES' };
  const timeStamps = attributes.filter((a) => a.oid === OID.signatureTimeStampToken);
  for (const attribute of timeStamps) {
    if (attribute.values.length !== 1) throw new CadesCheckError('bad-timestamp', 'a signature time-stamp attribute holds exactly one token');
    const { info, tsa } = checkToken(attribute.values[0].raw, signer.signature, options, 'signature time-stamp');
    if (base.signingTime && info.genTime.getTime() + CLOCK_SKEW_MS < base.signingTime.getTime()) {
      throw new CadesCheckError('bad-timestamp', `the signature time-stamp (${info.genTime.toISOString()}) is earlier than the claimed signing time (${base.signingTime.toISOString()})`);
    }
    if (!result.timeStamp || info.genTime < result.timeStamp.genTime) result.timeStamp = { genTime: info.genTime, tsa };
  }
  if (result.timeStamp) result.level = 'CAdES-T';

  const certificateRefs = single(attributes, OID.certificateRefs, 'complete-certificate-references');
  const revocationRefs = single(attributes, OID.revocationRefs, 'complete-revocation-references');
  const certValues = single(attributes, OID.certValues, 'certificate-values');
  const revocationValues = single(attributes, OID.revocationValues, 'revocation-values');
  const escTimeStamps = attributes.filter((a) => a.oid === OID.escTimeStamp);
  if (!certificateRefs && !revocationRefs && !certValues && !revocationValues && escTimeStamps.length === 0) return result;
  if (!result.timeStamp) throw new CadesCheckError('bad-validation-data', 'validation data without a signature time-stamp (CAdES-C and above build on CAdES-T)');
  if (!certificateRefs || !revocationRefs) throw new CadesCheckError('bad-validation-data', 'complete-certificate-references and complete-revocation-references must both be present');
  const certificate = base.certificate!;
  const at = result.timeStamp.genTime;

  // Certificate values and references: every reference resolves, and covers the validated path.
  const values = certValues ? certValues.values[0].expect(Tag.sequence, 'CertificateValues').children.map(parseCertificateNode) : [];
  const pool = [...values, ...cmsCertificates, ...(options.trustedRoots ?? []), ...(options.extraCertificates ?? [])];
  const references = certificateRefs.values[0].expect(Tag.sequence, 'CompleteCertificateRefs').children.map((ref) => readOtherHash(ref.expect(Tag.sequence, 'OtherCertID').child(0, 'otherCertHash')));
  const referenced = references.map((hash) => {
    const found = pool.find((candidate) => hashMatches(hash, candidate.der));
    if (!found) throw new CadesCheckError('bad-validation-data', 'a certificate reference matches no certificate in the signature or among the trusted roots');
    return found;
  });
  for (const ca of (base.chain ?? []).slice(1)) {
    if (!referenced.some((c) => bytesEqual(c.der, ca.der))) throw new CadesCheckError('bad-validation-data', `the certificate references leave out "${formatName(ca.subject)}" of the validated path`);
  }
  if (certValues) {
    for (const ref of referenced) {
      if (!values.some((value) => bytesEqual(value.der, ref.der))) throw new CadesCheckError('bad-validation-data', `certificate-values lack the referenced "${formatName(ref.subject)}"`);
    }
  }

  // Revocation values and references.
  let crls: Crl[] = [];
  let ocsp: BasicOcspResponse[] = [];
  if (revocationValues) {
    const node = revocationValues.values[0].expect(Tag.sequence, 'RevocationValues');
    for (const item of node.children) {
      if (item.isContext(0)) crls = item.child(0, 'crlVals').children.map(parseCrlNode);
      else if (item.isContext(1)) ocsp = item.child(0, 'ocspVals').children.map((value) => parseBasicOcspResponse(value.raw));
    }
  }
  for (const ref of revocationRefs.values[0].expect(Tag.sequence, 'CompleteRevocationRefs').children) {
    for (const part of ref.expect(Tag.sequence, 'CrlOcspRef').children) {
      const list = part.child(0).expect(Tag.sequence, 'list').child(0).expect(Tag.sequence, 'ids').children;
      for (const id of list) {
        if (part.is(TagClass.context, 0)) {
          const hash = readOtherHash(id.child(0, 'crlHash'));
          if (revocationValues && !crls.some((crl) => hashMatches(hash, crl.der))) throw new CadesCheckError('bad-validation-data', 'a CRL reference matches no CRL in revocation-values');
        } else if (part.is(TagClass.context, 1)) {
          const hashNode = id.children[1];
          if (revocationValues && hashNode && !ocsp.some((response) => hashMatches(readOtherHash(hashNode), response.der))) {
            throw new CadesCheckError('bad-validation-data', 'an OCSP reference matches no OCSP response in revocation-values');
          }
        }
      }
    }
  }
  const issuer = base.chain?.[1] ?? pool.find((candidate) => namesMatch(candidate.subject, certificate.issuer) && candidate !== certificate);
  if (revocationValues && issuer) {
    const checked: ('crl' | 'ocsp')[] = [];
    for (const crl of crls.filter((c) => namesMatch(c.issuer, certificate.issuer))) {
      if (!verifyCrlSignature(crl, issuer)) throw new CadesCheckError('bad-validation-data', 'an embedded CRL is not signed by the signer\'s issuer');
      const entry = findRevocation(crl, certificate);
      if (entry && entry.revocationDate <= at) throw new CadesCheckError('certificate-revoked', `the signer certificate was revoked on ${entry.revocationDate.toISOString()}, before the signature time-stamp`);
      checked.push('crl');
    }
    for (const response of ocsp) {
      if (!response.responses.some((s) => s.certId.serialNumber === certificate.serialNumber)) continue;
      const verdict = verifyOcspResponse(response, certificate, issuer);
      if (!verdict.valid) throw new CadesCheckError('bad-validation-data', `embedded OCSP response: ${verdict.message}`);
      const status = verdict.single.certStatus;
      if (status.status === 'revoked' && status.revocationTime <= at) throw new CadesCheckError('certificate-revoked', `OCSP says the signer certificate was revoked on ${status.revocationTime.toISOString()}, before the signature time-stamp`);
      if (status.status === 'unknown') throw new CadesCheckError('bad-validation-data', 'the embedded OCSP response does not know the signer certificate');
      checked.push('ocsp');
    }
    if (checked.length === 0) throw new CadesCheckError('bad-validation-data', 'revocation-values hold no CRL or OCSP response about the signer certificate');
    result.revocationChecked = [...new Set(checked)];
  }

  // The CAdES-C time-stamp over the signature, its time-stamps and the references.
  for (const attribute of escTimeStamps) {
    if (attribute.values.length !== 1) throw new CadesCheckError('bad-timestamp', 'a CAdES-C time-stamp attribute holds exactly one token');
    const data = escImprintData(signer.signature, [...timeStamps.map((t) => t.raw), certificateRefs.raw, revocationRefs.raw]);
    const { info, tsa } = checkToken(attribute.values[0].raw, data, options, 'CAdES-C time-stamp');
    if (info.genTime.getTime() + CLOCK_SKEW_MS < at.getTime()) throw new CadesCheckError('bad-timestamp', 'the CAdES-C time-stamp is earlier than the signature time-stamp');
    result.referencesTimeStamp = { genTime: info.genTime, tsa };
  }
  const long = !!certValues && !!revocationValues;
  result.level = long ? (result.referencesTimeStamp ? 'CAdES-X Long Type 1' : 'CAdES-X Long') : result.referencesTimeStamp ? 'CAdES-X Type 1' : 'CAdES-C';
  return result;
}

/**
 * Verifies a CMS signature (see verifyCms) and its CAdES unsigned attributes: signature
 * time-stamps (CAdES-T), validation references and values, and CAdES-C time-stamps. Reports the
 * level each signer reaches. Never throws.
 */
export function verifyCades(cms: Uint8Array, options: CmsVerifyOptions): CadesVerifyResult {
  const base = verifyCms(cms, options);
  if (!base.valid) return base;
  const parsed = parseCms(cms);
  const signers: CadesSignerResult[] = [];
  for (const [index, signer] of parsed.signers.entries()) {
    try {
      signers.push(checkUnsignedAttributes(signer, base.signers[index], parsed.certificates, options));
    } catch (error) {
      // Malformed validation data surfaces as the parsers' errors (DerError, CrlError, OcspError, ...).
      const reason: CadesFailureReason = error instanceof CadesCheckError ? error.reason : 'bad-validation-data';
      const message = error instanceof CadesCheckError ? error.message : `malformed CAdES attributes: ${(error as Error)?.message ?? String(error)}`;
      signers.push({ ...base.signers[index], valid: false, reason, message });
      return { valid: false, reason, message, signers, chainChecked: base.chainChecked };
    }
  }
  return { valid: true, signers, chainChecked: base.chainChecked, content: base.content };
}

/** verifyCades against a stream of detached content, hashed chunk by chunk. */
export async function verifyCadesStream(
  cms: Uint8Array,
  content: AsyncIterable<Uint8Array | string>,
  options: Omit<CmsVerifyOptions, 'content' | 'contentDigest'> = {},
): Promise<CadesVerifyResult> {
  let contentDigest: Partial<Record<StreebogAlgorithm, Uint8Array>>;
  try {
    contentDigest = await digestContentFor(cms, content);
  } catch (error) {
    if (!(error instanceof Error) || !['CmsError', 'DerError', 'CertificateError'].includes(error.name)) throw error;
    return malformedCms(error, options);
  }
  return verifyCades(cms, { ...options, contentDigest });
}
