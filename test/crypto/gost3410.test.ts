import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { GOST_PARAM_SETS, paramSetByName, paramSetByOpensslName } from '../../src/crypto/gost-curves.ts';
import {
  decodePublicKeyPoint, digestToInteger, encodePublicKeyPoint, encodeSignature, generateKeyPair, privateKeyFromScalar,
  publicKeyFromPrivate, signDigest, signWithNonce, verifyDigest, verifyWithInteger,
} from '../../src/crypto/gost3410.ts';
import {
  KeyFormatError, encodePrivateKeyInfo, encodeSubjectPublicKeyInfo, exportPrivateKeyPem, exportPublicKeyPem,
  importPrivateKey, importPublicKey,
} from '../../src/crypto/keys.ts';
import { streebog256, streebog512 } from '../../src/crypto/streebog.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';

const hex = (value: string) => BigInt(`0x${value}`);

describe('RFC 7091 / GOST R 34.10-2012 worked examples', () => {
  test('256-bit example (section 7.1)', () => {
    const privateKey = privateKeyFromScalar('cryptopro-test', hex('7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28'));
    const publicKey = publicKeyFromPrivate(privateKey);
    assert.equal(publicKey.x, hex('7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B'));
    assert.equal(publicKey.y, hex('26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA'));
    const e = hex('2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5');
    const k = hex('77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3');
    const signature = signWithNonce(privateKey, e, k);
    assert.deepEqual(signature, {
      r: hex('41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493'),
      s: hex('01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40'),
    });
    assert.ok(verifyWithInteger(publicKey, e, signature.r, signature.s));
    assert.ok(!verifyWithInteger(publicKey, e + 1n, signature.r, signature.s));
    assert.ok(!verifyWithInteger(publicKey, e, signature.r, signature.s + 1n));
  });

  test('512-bit example (section 7.2)', () => {
    const privateKey = privateKeyFromScalar('tc26-512-test', hex(
      'BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4'));
    const publicKey = publicKeyFromPrivate(privateKey);
    assert.equal(publicKey.x, hex(
      '115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1'));
    assert.equal(publicKey.y, hex(
      '37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC'));
    const e = hex('3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C');
    const k = hex('0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1');
    const signature = signWithNonce(privateKey, e, k);
    assert.deepEqual(signature, {
      r: hex('2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36'),
      s: hex('1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A'),
    });
    assert.ok(verifyWithInteger(publicKey, e, signature.r, signature.s));
  });

  test('digests are read as little-endian integers and signatures encoded as s || r', () => {
    assert.equal(digestToInteger(Uint8Array.of(0x01, 0x02)), 0x0201n);
    const set = paramSetByName('cryptopro-test');
    const encoded = encodeSignature(set, 1n, 2n);
    assert.equal(encoded.length, 64);
    assert.equal(encoded[31], 2); // s, big-endian, first half
    assert.equal(encoded[63], 1); // r, second half
  });
});

describe('every parameter set', () => {
  for (const set of GOST_PARAM_SETS) {
    test(`${set.name}: base point valid, sign/verify round trip, tamper detection`, () => {
      set.Point.BASE.assertValidity();
      assert.ok(set.Point.BASE.multiplyUnsafe(set.q - 1n).add(set.Point.BASE).is0(), 'q * G must be the identity');
      const { privateKey, publicKey } = generateKeyPair(set);
      const digest = set.keySize === 256 ? streebog256('message') : streebog512('message');
      const signature = signDigest(privateKey, digest);
      assert.equal(signature.length, 2 * set.byteLength);
      assert.ok(verifyDigest(publicKey, digest, signature));
      const otherDigest = Uint8Array.from(digest);
      otherDigest[0] ^= 1;
      assert.ok(!verifyDigest(publicKey, otherDigest, signature));
      const otherSignature = Uint8Array.from(signature);
      otherSignature[5] ^= 0x10;
      assert.ok(!verifyDigest(publicKey, digest, otherSignature));
      assert.ok(!verifyDigest(publicKey, digest, signature.subarray(1)), 'wrong length');
      assert.ok(!verifyDigest(publicKey, digest.subarray(1), signature), 'wrong digest length');
      assert.ok(!verifyDigest(generateKeyPair(set).publicKey, digest, signature), 'other key');
    });
  }

  test('public key points are validated on decoding', () => {
    const { publicKey } = generateKeyPair('tc26-256-A');
    const encoded = encodePublicKeyPoint(publicKey);
    assert.deepEqual(decodePublicKeyPoint(publicKey.paramSet, encoded), publicKey);
    const broken = Uint8Array.from(encoded);
    broken[3] ^= 1;
    assert.throws(() => decodePublicKeyPoint(publicKey.paramSet, broken), /not a valid point/);
    assert.throws(() => decodePublicKeyPoint(publicKey.paramSet, encoded.subarray(2)), /must be 64 bytes/);
  });

  test('private keys out of range are rejected', () => {
    const set = paramSetByName('cryptopro-A');
    assert.throws(() => privateKeyFromScalar(set, 0n), RangeError);
    assert.throws(() => privateKeyFromScalar(set, set.q), RangeError);
  });
});

describe('key containers', () => {
  test('PKCS#8 and SubjectPublicKeyInfo round trips, PEM included', () => {
    for (const name of ['cryptopro-A', 'tc26-256-A', 'tc26-512-A', 'tc26-512-C'] as const) {
      const { privateKey, publicKey } = generateKeyPair(name);
      const reread = importPrivateKey(exportPrivateKeyPem(privateKey));
      assert.equal(reread.d, privateKey.d);
      assert.equal(reread.paramSet, privateKey.paramSet);
      assert.deepEqual(importPrivateKey(encodePrivateKeyInfo(privateKey)), reread);
      assert.deepEqual(importPublicKey(exportPublicKeyPem(publicKey)), publicKey);
      assert.deepEqual(importPublicKey(encodeSubjectPublicKeyInfo(publicKey)), publicKey);
    }
  });

  test('garbage keys give KeyFormatError, not crashes', () => {
    const inputs: Array<Uint8Array | string> = [
      new Uint8Array(0),
      randomBytes(100),
      Uint8Array.of(0x30, 0x82, 0xff, 0xff),
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      encodePrivateKeyInfo(generateKeyPair('cryptopro-A').privateKey).subarray(0, 40),
    ];
    for (const input of inputs) {
      assert.throws(() => importPrivateKey(input), KeyFormatError);
      assert.throws(() => importPublicKey(input), KeyFormatError);
    }
  });
});

describe('keys against OpenSSL (gost engine)', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  const opensslSets: Array<[256 | 512, string]> = [
    [256, 'A'], [256, 'B'], [256, 'C'], [256, 'XA'], [256, 'XB'], [256, 'TCA'], [256, 'TCB'], [256, 'TCC'], [256, 'TCD'],
    [512, 'A'], [512, 'B'], [512, 'C'],
  ];
  for (const [size, name] of opensslSets) {
    test(`gost2012_${size} paramset:${name}: OpenSSL key read byte-exactly, same public key`, (t) => {
      const openssl = opensslOrSkip(t, runner);
      if (!openssl) return;
      const pem = openssl.ok(['genpkey', '-algorithm', `gost2012_${size}`, '-pkeyopt', `paramset:${name}`]).toString();
      const privateKey = importPrivateKey(pem);
      assert.equal(privateKey.paramSet, paramSetByOpensslName(size, name));
      assert.equal(exportPrivateKeyPem(privateKey), pem, 'our PKCS#8 must equal what OpenSSL wrote');
      writeFileSync(openssl.path('key.pem'), pem);
      const publicPem = openssl.ok(['pkey', '-in', 'key.pem', '-pubout']).toString();
      assert.deepEqual(importPublicKey(publicPem), publicKeyFromPrivate(privateKey));
      assert.equal(exportPublicKeyPem(publicKeyFromPrivate(privateKey)), publicPem);
    });
  }

  test('OpenSSL reads our keys and signs with them; we verify its signatures, it verifies ours', (t) => {
    const openssl = opensslOrSkip(t, runner);
    if (!openssl) return;
    for (const name of ['cryptopro-A', 'tc26-256-A', 'tc26-512-C'] as const) {
      const { privateKey, publicKey } = generateKeyPair(name);
      writeFileSync(openssl.path('ours.pem'), exportPrivateKeyPem(privateKey));
      writeFileSync(openssl.path('ours.pub'), exportPublicKeyPem(publicKey));
      const message = randomBytes(1000);
      writeFileSync(openssl.path('message.bin'), message);
      const md = publicKey.paramSet.keySize === 256 ? '-md_gost12_256' : '-md_gost12_512';
      const digest = publicKey.paramSet.keySize === 256 ? streebog256(message) : streebog512(message);
      // OpenSSL signs; its raw signature is the same s || r layout we use in X.509 and CMS.
      const signature = openssl.ok(['dgst', md, '-sign', 'ours.pem', 'message.bin']);
      assert.ok(verifyDigest(publicKey, digest, signature), `${name}: OpenSSL signature must verify`);
      writeFileSync(openssl.path('ours.sig'), signDigest(privateKey, digest));
      const verified = openssl.run(['dgst', md, '-verify', 'ours.pub', '-signature', 'ours.sig', 'message.bin']);
      assert.equal(verified.status, 0, `${name}: OpenSSL must verify our signature: ${verified.stderr}`);
    }
  });
});
