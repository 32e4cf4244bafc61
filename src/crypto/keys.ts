// GOST R 34.10-2012 keys in their standard containers (RFC 9215 / RFC 4491):
// - AlgorithmIdentifier { id-tc26-gost3410-12-256|512, SEQUENCE { paramSet OID, digest OID? } }
// - SubjectPublicKeyInfo: the BIT STRING holds a DER OCTET STRING of X || Y (little-endian)
// - PKCS#8 PrivateKeyInfo: privateKey holds the scalar d as little-endian bytes, which is what
//   `openssl genpkey -algorithm gost2012_256` writes. For reading, the other encodings seen in
//   the wild are accepted too: an OCTET STRING or INTEGER wrapped inside privateKey.
import {
  DerError, Tag, bigintToBytes, bytesToBigint, der, parseDer, readBitString, readInteger, readOctetString,
  readOid, type DerNode,
} from './der.ts';
import { paramSetByOid, type GostKeySize, type GostParamSet } from './gost-curves.ts';
import {
  decodePublicKeyPoint, encodePublicKeyPoint, privateKeyFromScalar, publicKeyFromPrivate, type GostPrivateKey,
  type GostPublicKey,
} from './gost3410.ts';
import { OID } from './oids.ts';
import { derFromPemOrDer, encodePem } from './pem.ts';
import type { StreebogAlgorithm } from './streebog.ts';

export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
}

export function publicKeyAlgorithmOid(keySize: GostKeySize): string {
  return keySize === 256 ? OID.gost3410_2012_256 : OID.gost3410_2012_512;
}

export function digestAlgorithmFor(paramSet: GostParamSet): StreebogAlgorithm {
  return paramSet.keySize === 256 ? 'streebog256' : 'streebog512';
}

export function digestOidFor(paramSet: GostParamSet): string {
  return paramSet.keySize === 256 ? OID.streebog256 : OID.streebog512;
}

export function signatureAlgorithmOidFor(paramSet: GostParamSet): string {
  return paramSet.keySize === 256 ? OID.signWithStreebog256 : OID.signWithStreebog512;
}

/** AlgorithmIdentifier of a GOST key with its parameter SEQUENCE. */
export function encodeKeyAlgorithmIdentifier(paramSet: GostParamSet): Uint8Array {
  const params = paramSet.digestOidInKeyParams
    ? der.sequence(der.oid(paramSet.oid), der.oid(digestOidFor(paramSet)))
    : der.sequence(der.oid(paramSet.oid));
  return der.sequence(der.oid(publicKeyAlgorithmOid(paramSet.keySize)), params);
}

/** Reads a GOST key AlgorithmIdentifier and returns its parameter set. */
export function parseKeyAlgorithmIdentifier(node: DerNode): GostParamSet {
  node.expect(Tag.sequence, 'key AlgorithmIdentifier');
  const algorithm = readOid(node.child(0, 'algorithm'));
  let keySize: GostKeySize;
  if (algorithm === OID.gost3410_2012_256) keySize = 256;
  else if (algorithm === OID.gost3410_2012_512) keySize = 512;
  else throw new KeyFormatError(`not a GOST R 34.10-2012 key (algorithm ${algorithm})`);
  const params = node.children[1];
  if (!params || !params.isUniversal(Tag.sequence)) {
    throw new KeyFormatError('GOST key parameters missing (expected SEQUENCE { paramSet, digest? })');
  }
  const paramSetOid = readOid(params.child(0, 'public key parameter set'));
  const paramSet = paramSetByOid(paramSetOid);
  if (!paramSet) throw new KeyFormatError(`unknown GOST parameter set ${paramSetOid}`);
  if (paramSet.keySize !== keySize) {
    throw new KeyFormatError(`parameter set ${paramSet.name} is ${paramSet.keySize}-bit but the key algorithm is ${keySize}-bit`);
  }
  return paramSet;
}

export function encodeSubjectPublicKeyInfo(publicKey: GostPublicKey): Uint8Array {
  return der.sequence(
    encodeKeyAlgorithmIdentifier(publicKey.paramSet),
    der.bitString(der.octetString(encodePublicKeyPoint(publicKey))),
  );
}

export function parseSubjectPublicKeyInfo(input: Uint8Array | DerNode): GostPublicKey {
  const node = input instanceof Uint8Array ? parseDer(input) : input;
  node.expect(Tag.sequence, 'SubjectPublicKeyInfo');
  const paramSet = parseKeyAlgorithmIdentifier(node.child(0, 'algorithm'));
  const { bytes } = readBitString(node.child(1, 'subjectPublicKey'));
  const point = readOctetString(parseDer(bytes));
  try {
    return decodePublicKeyPoint(paramSet, point);
  } catch (error) {
    throw new KeyFormatError((error as Error).message);
  }
}

/** PKCS#8 PrivateKeyInfo, byte-compatible with what OpenSSL's gost engine writes. */
export function encodePrivateKeyInfo(privateKey: GostPrivateKey): Uint8Array {
  const n = privateKey.paramSet.byteLength;
  return der.sequence(
    der.integer(0),
    encodeKeyAlgorithmIdentifier(privateKey.paramSet),
    der.octetString(bigintToBytes(privateKey.d, n).reverse()),
  );
}

export function parsePrivateKeyInfo(bytes: Uint8Array): GostPrivateKey {
  const node = parseDer(bytes);
  node.expect(Tag.sequence, 'PrivateKeyInfo');
  const version = readInteger(node.child(0, 'version'));
  if (version !== 0n && version !== 1n) throw new KeyFormatError(`unsupported PrivateKeyInfo version ${version}`);
  const paramSet = parseKeyAlgorithmIdentifier(node.child(1, 'privateKeyAlgorithm'));
  const d = readPrivateScalar(paramSet, readOctetString(node.child(2, 'privateKey')));
  try {
    return privateKeyFromScalar(paramSet, d);
  } catch (error) {
    throw new KeyFormatError((error as Error).message);
  }
}

function readPrivateScalar(paramSet: GostParamSet, content: Uint8Array): bigint {
  const n = paramSet.byteLength;
  // The plain form: exactly n little-endian bytes.
  if (content.length === n) return bytesToBigint(Uint8Array.from(content).reverse());
  let inner: DerNode;
  try {
    inner = parseDer(content);
  } catch {
    throw new KeyFormatError(`private key of ${content.length} bytes does not match ${paramSet.name} (${n} bytes)`);
  }
  if (inner.isUniversal(Tag.octetString) && !inner.constructed && inner.content.length === n) {
    return bytesToBigint(Uint8Array.from(inner.content).reverse());
  }
  if (inner.isUniversal(Tag.integer)) return readInteger(inner);
  throw new KeyFormatError('unsupported private key encoding (masked CryptoPro keys are not supported)');
}

export function exportPrivateKeyPem(privateKey: GostPrivateKey): string {
  return encodePem('PRIVATE KEY', encodePrivateKeyInfo(privateKey));
}

/** Reads a PKCS#8 private key from PEM ("PRIVATE KEY") or DER. */
export function importPrivateKey(input: Uint8Array | string): GostPrivateKey {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  try {
    return parsePrivateKeyInfo(derFromPemOrDer(bytes, ['PRIVATE KEY']));
  } catch (error) {
    if (error instanceof KeyFormatError) throw error;
    if (error instanceof DerError) throw new KeyFormatError(`malformed private key: ${error.message}`);
    throw new KeyFormatError((error as Error).message);
  }
}

export function exportPublicKeyPem(publicKey: GostPublicKey): string {
  return encodePem('PUBLIC KEY', encodeSubjectPublicKeyInfo(publicKey));
}

/** Reads a SubjectPublicKeyInfo from PEM ("PUBLIC KEY") or DER. */
export function importPublicKey(input: Uint8Array | string): GostPublicKey {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  try {
    return parseSubjectPublicKeyInfo(derFromPemOrDer(bytes, ['PUBLIC KEY']));
  } catch (error) {
    if (error instanceof KeyFormatError) throw error;
    throw new KeyFormatError(`malformed public key: ${(error as Error).message}`);
  }
}

export { publicKeyFromPrivate };
