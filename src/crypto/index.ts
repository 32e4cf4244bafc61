// The GOST cryptography layer: Streebog, GOST R 34.10-2012 keys and signatures, X.509 and
// CMS. Pure functions and data, no I/O besides reading files that callers name.
export {
  Streebog, streebog, streebog256, streebog512, hashStream, hashFile, toHex, defaultStreebogEngine,
  STREEBOG_ALGORITHMS, type StreebogAlgorithm, type StreebogEngineName, type StreebogOptions,
} from './streebog.ts';
export {
  GOST_PARAM_SETS, paramSetByName, paramSetByOid, paramSetByOpensslName,
  type GostParamSet, type GostParamSetName, type GostKeySize,
} from './gost-curves.ts';
export {
  generateKeyPair, publicKeyFromPrivate, privateKeyFromScalar, signDigest, verifyDigest, isValidPublicKey,
  type GostKeyPair, type GostPrivateKey, type GostPublicKey,
} from './gost3410.ts';
export {
  KeyFormatError, importPrivateKey, exportPrivateKeyPem, importPublicKey, exportPublicKeyPem, encodePrivateKeyInfo,
  encodeSubjectPublicKeyInfo, parseSubjectPublicKeyInfo, digestAlgorithmFor,
} from './keys.ts';
export {
  CertificateError, parseCertificate, parseCertificates, summarizeCertificate, formatCertificateSummary,
  certificateThumbprint, certificateToPem, verifyCertificateSignature, createCertificate, createSelfSignedRoot,
  issueEndEntityCertificate, naturalPersonSubject, buildCertificateChain, keyIdentifier,
  type Certificate, type CertificateSummary, type CertificateTemplate, type CertificateExtension, type ChainResult,
  type ChainFailureReason, type KeyUsageName, type NaturalPersonName, type EndEntityCertificateOptions,
  type RootCertificateOptions,
} from './x509.ts';
export {
  NameError, encodeName, formatName, nameFields, type NameAttribute, type NameAttributeKey, type NameFields, type NameInput,
} from './x509-names.ts';
export {
  CmsError, signCms, signCmsFile, verifyCms, verifyCmsStream, verifyCmsFile, parseCms,
  type CmsSignOptions, type CmsVerifyOptions, type CmsVerifyResult, type CmsSignerResult, type CmsFailureReason,
} from './cms.ts';
export { OID } from './oids.ts';
export { encodePem, decodePemBlocks } from './pem.ts';
export {
  TimeStampError, PKI_STATUS, imprintOf, encodeTimeStampRequest, parseTimeStampRequest, encodeTimeStampResponse, parseTimeStampResponse,
  issueTimeStampToken, answerTimeStampRequest, parseTstInfo, verifyTimeStampToken,
  type MessageImprint, type TimeStampAuthority, type TstInfo, type TimeStampVerifyResult,
} from './tsp.ts';
export { CrlError, createCrl, parseCrl, crlToPem, verifyCrlSignature, findRevocation, isCrlReason, type Crl, type CrlReason, type RevokedCertificate } from './crl.ts';
export {
  OcspError, ocspCertId, encodeOcspRequest, parseOcspRequest, createOcspResponse, createBasicOcspResponse, wrapBasicOcspResponse, ocspErrorResponse,
  parseOcspResponse, parseBasicOcspResponse, verifyOcspResponse, answerOcspRequest,
  type OcspCertId, type OcspCertStatus, type OcspResponder, type BasicOcspResponse,
} from './ocsp.ts';
export {
  addSignatureTimeStamp, addLongTermValidation, verifyCades, verifyCadesStream,
  type CadesLevel, type CadesVerifyResult, type CadesSignerResult, type CadesFailureReason, type TimeStamper, type ValidationData,
} from './cades.ts';
export { signRaw, verifyRawSignature, type RawSignatureResult } from './raw-signature.ts';
