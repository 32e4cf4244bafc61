// Digests named by their OIDs, as the structures around signatures name them: Streebog for
// what this layer signs, SHA-1 and SHA-256 for what other software sends (OCSP CertIDs from
// OpenSSL, ESS certificate hashes, CAdES references).
import { createHash } from 'node:crypto';
import { der } from './der.ts';
import { OID } from './oids.ts';
import { streebog } from './streebog.ts';

export type HashAlgorithmName = 'streebog256' | 'streebog512' | 'sha1' | 'sha256';

const OIDS: Record<HashAlgorithmName, string> = {
  streebog256: OID.streebog256,
  streebog512: OID.streebog512,
  sha1: OID.sha1,
  sha256: OID.sha256,
};

export function hashAlgorithmOid(name: HashAlgorithmName): string {
  return OIDS[name];
}

export function hashAlgorithmByOid(oid: string): HashAlgorithmName | undefined {
  return (Object.keys(OIDS) as HashAlgorithmName[]).find((name) => OIDS[name] === oid);
}

/** The digest of `data` with the algorithm named by `oid`, or undefined for an algorithm not known here. */
export function digestByOid(oid: string, data: Uint8Array): Uint8Array | undefined {
  const name = hashAlgorithmByOid(oid);
  if (!name) return undefined;
  if (name === 'streebog256' || name === 'streebog512') return streebog(name, data);
  return new Uint8Array(createHash(name).update(data).digest());
}

/** AlgorithmIdentifier of a digest: SHA-* with NULL parameters (as RFC 5754 allows and OpenSSL writes), Streebog without. */
export function encodeHashAlgorithm(name: HashAlgorithmName): Uint8Array {
  return name === 'sha1' || name === 'sha256' ? der.sequence(der.oid(OIDS[name]), der.null()) : der.sequence(der.oid(OIDS[name]));
}
