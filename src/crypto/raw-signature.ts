// A bare GOST R 34.10-2012 signature value over a digest, with no CMS around it (the cloud
// signature's SignType 1, "RawSign"). The encoding is the one a CMS SignerInfo carries
// (s || r, big-endian, see gost3410.ts), over the Streebog digest of the content as Streebog
// returns it. Verification needs the signer's certificate from elsewhere.
import { signDigest, verifyDigest, type GostPrivateKey } from './gost3410.ts';
import { digestAlgorithmFor } from './keys.ts';
import { streebog } from './streebog.ts';
import { buildCertificateChain, type Certificate, type ChainFailureReason } from './x509.ts';

export function signRaw(privateKey: GostPrivateKey, digest: Uint8Array): Uint8Array {
  const expected = privateKey.paramSet.keySize / 8;
  if (digest.length !== expected) throw new RangeError(`a ${privateKey.paramSet.keySize}-bit key signs a ${expected}-byte Streebog digest`);
  return signDigest(privateKey, digest);
}

export type RawSignatureResult =
  | { valid: true; chain?: Certificate[] }
  | { valid: false; reason: 'unsupported-algorithm' | 'content-missing' | 'bad-signature' | ChainFailureReason; message: string };

/**
 * Checks a raw signature against the certificate and the content (or its digest), and the
 * certificate's chain to a trusted root at `at` (default now) unless `skipChainValidation`.
 */
export function verifyRawSignature(
  signature: Uint8Array,
  options: { certificate: Certificate; content?: Uint8Array; contentDigest?: Uint8Array; trustedRoots?: readonly Certificate[]; skipChainValidation?: boolean; at?: Date },
): RawSignatureResult {
  const key = options.certificate.publicKey;
  if (!key) return { valid: false, reason: 'unsupported-algorithm', message: 'the certificate key is not GOST R 34.10-2012' };
  const digest = options.contentDigest ?? (options.content ? streebog(digestAlgorithmFor(key.paramSet), options.content) : undefined);
  if (!digest) return { valid: false, reason: 'content-missing', message: 'give the content or its digest' };
  if (!verifyDigest(key, digest, signature)) return { valid: false, reason: 'bad-signature', message: 'the signature value does not verify with the certificate key over this digest' };
  if (options.skipChainValidation) return { valid: true };
  const chain = buildCertificateChain(options.certificate, { trustedRoots: options.trustedRoots ?? [], at: options.at });
  return chain.ok ? { valid: true, chain: chain.chain } : { valid: false, reason: chain.reason, message: chain.message };
}
