// GOST R 34.10-2012 digital signature (RFC 7091), 256- and 512-bit.
//
// Conventions, as in RFC 4491 / RFC 9215 and as OpenSSL's gost engine does it:
// - the digest (bytes in the order Streebog returns them) is read as a little-endian
//   integer alpha; e = alpha mod q, or 1 if that is 0;
// - a signature is s || r, each big-endian and padded to the key's byte length;
// - a public key is X || Y, each little-endian (wrapped in an OCTET STRING by keys.ts).
import { randomBytes } from 'node:crypto';
import { bigintToBytes, bytesToBigint } from './der.ts';
import {
  paramSetByName, type GostParamSet, type GostParamSetName, type GostPoint,
} from './gost-curves.ts';

export interface GostPublicKey {
  readonly paramSet: GostParamSet;
  readonly x: bigint;
  readonly y: bigint;
}

export interface GostPrivateKey {
  readonly paramSet: GostParamSet;
  /** The secret scalar, 0 < d < q. */
  readonly d: bigint;
}

export interface GostKeyPair {
  readonly privateKey: GostPrivateKey;
  readonly publicKey: GostPublicKey;
}

export class GostSignatureError extends Error {
  override name = 'GostSignatureError';
}

function resolveParamSet(paramSet: GostParamSet | GostParamSetName): GostParamSet {
  return typeof paramSet === 'string' ? paramSetByName(paramSet) : paramSet;
}

function mod(value: bigint, modulus: bigint): bigint {
  const r = value % modulus;
  return r < 0n ? r + modulus : r;
}

/** Uniform scalar in [1, q - 1] from the OS random source (rejection sampling). */
export function randomScalar(paramSet: GostParamSet): bigint {
  const bits = paramSet.q.toString(2).length;
  const bytes = Math.ceil(bits / 8);
  const excess = BigInt(bytes * 8 - bits);
  for (;;) {
    const candidate = bytesToBigint(randomBytes(bytes)) >> excess;
    if (candidate > 0n && candidate < paramSet.q) return candidate;
  }
}

export function generateKeyPair(paramSet: GostParamSet | GostParamSetName = 'cryptopro-A'): GostKeyPair {
  const set = resolveParamSet(paramSet);
  const privateKey: GostPrivateKey = { paramSet: set, d: randomScalar(set) };
  return { privateKey, publicKey: publicKeyFromPrivate(privateKey) };
}

export function privateKeyFromScalar(paramSet: GostParamSet | GostParamSetName, d: bigint): GostPrivateKey {
  const set = resolveParamSet(paramSet);
  if (d <= 0n || d >= set.q) throw new RangeError('private key out of range (0 < d < q)');
  return { paramSet: set, d };
}

export function publicKeyFromPrivate(privateKey: GostPrivateKey): GostPublicKey {
  const point = privateKey.paramSet.Point.BASE.multiply(privateKey.d).toAffine();
  return { paramSet: privateKey.paramSet, x: point.x, y: point.y };
}

/** The point of a public key, validated: on the curve, not infinity, in the prime-order subgroup. */
function publicPoint(publicKey: GostPublicKey): GostPoint {
  const point = publicKey.paramSet.Point.fromAffine({ x: publicKey.x, y: publicKey.y });
  point.assertValidity();
  return point;
}

export function isValidPublicKey(publicKey: GostPublicKey): boolean {
  try {
    publicPoint(publicKey);
    return true;
  } catch {
    return false;
  }
}

/** The digest as the integer alpha of the standard (little-endian reading). */
export function digestToInteger(digest: Uint8Array): bigint {
  return bytesToBigint(Uint8Array.from(digest).reverse());
}

function digestScalar(paramSet: GostParamSet, digest: Uint8Array): bigint {
  if (digest.length !== paramSet.byteLength) {
    throw new GostSignatureError(`digest must be ${paramSet.byteLength} bytes for a ${paramSet.keySize}-bit key, got ${digest.length}`);
  }
  const e = mod(digestToInteger(digest), paramSet.q);
  return e === 0n ? 1n : e;
}

/**
 * The signing equation with explicit e and nonce k (RFC 7091 section 6.1, steps 3-5).
 * Returns undefined when k yields r = 0 or s = 0 (the caller picks another k).
 */
export function signWithNonce(privateKey: GostPrivateKey, e: bigint, k: bigint): { r: bigint; s: bigint } | undefined {
  const { paramSet, d } = privateKey;
  const q = paramSet.q;
  const point = paramSet.Point.BASE.multiply(k).toAffine();
  const r = mod(point.x, q);
  if (r === 0n) return undefined;
  const s = mod(r * d + k * e, q);
  if (s === 0n) return undefined;
  return { r, s };
}

/** Verification equation for explicit e, r, s (RFC 7091 section 6.2). */
export function verifyWithInteger(publicKey: GostPublicKey, e: bigint, r: bigint, s: bigint): boolean {
  const { paramSet } = publicKey;
  const q = paramSet.q;
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  let point: GostPoint;
  try {
    point = publicPoint(publicKey);
  } catch {
    return false;
  }
  const eq = mod(e, q) === 0n ? 1n : mod(e, q);
  const v = modInverse(eq, q);
  const z1 = mod(s * v, q);
  const z2 = mod(-r * v, q);
  const c = paramSet.Point.BASE.multiplyUnsafe(z1).add(point.multiplyUnsafe(z2));
  if (c.is0()) return false;
  return mod(c.toAffine().x, q) === r;
}

function modInverse(value: bigint, modulus: bigint): bigint {
  // Extended Euclid; modulus is prime and value is non-zero mod it.
  let [a, b] = [mod(value, modulus), modulus];
  let [x0, x1] = [1n, 0n];
  while (b !== 0n) {
    const quotient = a / b;
    [a, b] = [b, a - quotient * b];
    [x0, x1] = [x1, x0 - quotient * x1];
  }
  if (a !== 1n) throw new GostSignatureError('value is not invertible');
  return mod(x0, modulus);
}

/** Encodes (r, s) as the signature value X.509 and CMS carry: s || r, big-endian halves. */
export function encodeSignature(paramSet: GostParamSet, r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(paramSet.byteLength * 2);
  out.set(bigintToBytes(s, paramSet.byteLength), 0);
  out.set(bigintToBytes(r, paramSet.byteLength), paramSet.byteLength);
  return out;
}

export function decodeSignature(paramSet: GostParamSet, signature: Uint8Array): { r: bigint; s: bigint } | undefined {
  if (signature.length !== paramSet.byteLength * 2) return undefined;
  return {
    s: bytesToBigint(signature.subarray(0, paramSet.byteLength)),
    r: bytesToBigint(signature.subarray(paramSet.byteLength)),
  };
}

/**
 * Signs a Streebog digest (32 bytes for 256-bit keys, 64 for 512) with a fresh random
 * nonce. Returns s || r.
 */
export function signDigest(privateKey: GostPrivateKey, digest: Uint8Array): Uint8Array {
  const e = digestScalar(privateKey.paramSet, digest);
  for (;;) {
    const signature = signWithNonce(privateKey, e, randomScalar(privateKey.paramSet));
    if (signature) return encodeSignature(privateKey.paramSet, signature.r, signature.s);
  }
}

/** Verifies s || r over a Streebog digest. Never throws on malformed input: returns false. */
export function verifyDigest(publicKey: GostPublicKey, digest: Uint8Array, signature: Uint8Array): boolean {
  if (digest.length !== publicKey.paramSet.byteLength) return false;
  const decoded = decodeSignature(publicKey.paramSet, signature);
  if (!decoded) return false;
  return verifyWithInteger(publicKey, digestToInteger(digest), decoded.r, decoded.s);
}

/** Public key point as X || Y, each little-endian (the content of the SPKI OCTET STRING). */
export function encodePublicKeyPoint(publicKey: GostPublicKey): Uint8Array {
  const n = publicKey.paramSet.byteLength;
  const out = new Uint8Array(2 * n);
  out.set(bigintToBytes(publicKey.x, n).reverse(), 0);
  out.set(bigintToBytes(publicKey.y, n).reverse(), n);
  return out;
}

/** Decodes and validates X || Y (little-endian halves). Throws RangeError if invalid. */
export function decodePublicKeyPoint(paramSet: GostParamSet, bytes: Uint8Array): GostPublicKey {
  const n = paramSet.byteLength;
  if (bytes.length !== 2 * n) throw new RangeError(`public key must be ${2 * n} bytes for ${paramSet.name}, got ${bytes.length}`);
  const publicKey: GostPublicKey = {
    paramSet,
    x: bytesToBigint(Uint8Array.from(bytes.subarray(0, n)).reverse()),
    y: bytesToBigint(Uint8Array.from(bytes.subarray(n)).reverse()),
  };
  try {
    publicPoint(publicKey);
  } catch (error) {
    throw new RangeError(`public key is not a valid point of ${paramSet.name}: ${(error as Error).message}`);
  }
  return publicKey;
}

export function publicKeysEqual(a: GostPublicKey, b: GostPublicKey): boolean {
  return a.paramSet.p === b.paramSet.p && a.paramSet.q === b.paramSet.q && a.x === b.x && a.y === b.y;
}
