// Object identifiers used by the GOST layer (RFC 4357, RFC 7836, RFC 9215, RFC 5280,
// RFC 5652, RFC 5035, RFC 3161, RFC 6960, ETSI TS 101 733 and the Russian qualified-certificate
// profile).

export const OID = {
  // GOST R 34.10-2012 public keys and signatures, GOST R 34.11-2012 digests (RFC 9215)
  gost3410_2012_256: '1.2.643.7.1.1.1.1',
  gost3410_2012_512: '1.2.643.7.1.1.1.2',
  streebog256: '1.2.643.7.1.1.2.2',
  streebog512: '1.2.643.7.1.1.2.3',
  signWithStreebog256: '1.2.643.7.1.1.3.2',
  signWithStreebog512: '1.2.643.7.1.1.3.3',

  // X.509 (RFC 5280)
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  certificatePolicies: '2.5.29.32',
  subjectAltName: '2.5.29.17',
  // Russian qualified-certificate extensions (Federal law 63-FZ profile)
  subjectSignTool: '1.2.643.100.111',
  issuerSignTool: '1.2.643.100.112',

  // Extended key usages
  ekuServerAuth: '1.3.6.1.5.5.7.3.1',
  ekuClientAuth: '1.3.6.1.5.5.7.3.2',
  ekuCodeSigning: '1.3.6.1.5.5.7.3.3',
  ekuEmailProtection: '1.3.6.1.5.5.7.3.4',
  ekuTimeStamping: '1.3.6.1.5.5.7.3.8',
  ekuOcspSigning: '1.3.6.1.5.5.7.3.9',

  // Revocation (RFC 5280 CRLs, RFC 6960 OCSP)
  cRLNumber: '2.5.29.20',
  cRLReason: '2.5.29.21',
  ocspBasic: '1.3.6.1.5.5.7.48.1.1',
  ocspNonce: '1.3.6.1.5.5.7.48.1.2',

  // Other digests met in CMS, OCSP and time-stamps
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',

  // CMS (RFC 5652) and ESS (RFC 5035)
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',

  // Time-stamps (RFC 3161) and CAdES (ETSI TS 101 733) unsigned attributes
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  certificateRefs: '1.2.840.113549.1.9.16.2.21',
  revocationRefs: '1.2.840.113549.1.9.16.2.22',
  certValues: '1.2.840.113549.1.9.16.2.23',
  revocationValues: '1.2.840.113549.1.9.16.2.24',
  escTimeStamp: '1.2.840.113549.1.9.16.2.25',
} as const;
