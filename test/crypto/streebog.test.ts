import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import {
  Streebog, defaultStreebogEngine, hashFile, hashStream, streebog, streebog256, streebog512, toHex,
  type StreebogAlgorithm, type StreebogEngineName,
} from '../../src/crypto/streebog.ts';
import { loadStreebogWasmEngine } from '../../src/crypto/streebog-wasm.ts';
import { STREEBOG_WASM_PATH } from '../../src/package-files.ts';
import { streebogWat } from '../../src/crypto/wasm/streebog-wat.ts';
import { gostOpenssl, opensslOrSkip } from './openssl.ts';

const ENGINES: StreebogEngineName[] = ['js', 'wasm'];
const ALGORITHMS: StreebogAlgorithm[] = ['streebog256', 'streebog512'];

/** RFC 6986 writes vectors most significant byte first; our byte order is the reverse. */
const fromRfcHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex')).reverse();

// RFC 6986 section 10: M1 (63 bytes) and M2 (72 bytes, CP1251 text), as printed there.
const M1 = '323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130';
const M2 = 'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1';
const RFC_VECTORS = [
  {
    name: 'M1',
    message: M1,
    streebog512: '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b',
    streebog256: '00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d',
  },
  {
    name: 'M2',
    message: M2,
    streebog512: '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e',
    streebog256: '508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d',
  },
];

test('the WebAssembly engine is built and used by default', () => {
  const loaded = loadStreebogWasmEngine();
  assert.ok(loaded.engine, `WebAssembly engine unavailable: ${loaded.reason}`);
  assert.equal(defaultStreebogEngine(), 'wasm');
});

test('the built module is current: assembling the source again gives the same bytes', async () => {
  const { default: loadWabt } = await import('wabt');
  const module = (await loadWabt()).parseWat('streebog.wat', streebogWat(), {});
  try {
    const { buffer } = module.toBinary({ canonicalize_lebs: true });
    const built = readFileSync(STREEBOG_WASM_PATH);
    assert.ok(Buffer.from(buffer).equals(built), 'dist/wasm/streebog.wasm is stale: run `npm run postinstall`');
  } finally {
    module.destroy();
  }
});

describe('RFC 6986 test vectors', () => {
  for (const engine of ENGINES) {
    for (const vector of RFC_VECTORS) {
      for (const algorithm of ALGORITHMS) {
        test(`${vector.name} ${algorithm} (${engine})`, () => {
          const digest = streebog(algorithm, fromRfcHex(vector.message), { engine });
          assert.equal(toHex(digest), toHex(fromRfcHex(vector[algorithm])));
        });
      }
    }
  }

  test('M1 is the ASCII text "012345...012" in our byte order (the order OpenSSL prints)', () => {
    const text = '012345678901234567890123456789012345678901234567890123456789012';
    assert.deepEqual(fromRfcHex(M1), new Uint8Array(Buffer.from(text)));
    assert.equal(toHex(streebog256(text)), '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
  });

  test('empty message', () => {
    // Values as `openssl dgst` prints them for empty input.
    assert.equal(toHex(streebog256(new Uint8Array(0))), '3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
    assert.equal(
      toHex(streebog512(new Uint8Array(0))),
      '8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a',
    );
  });
});

describe('engines and incremental hashing agree', () => {
  test('TypeScript and WebAssembly agree on every length 0..300 and on larger inputs', () => {
    const data = randomBytes(70_000);
    const lengths = [...Array.from({ length: 301 }, (_, i) => i), 4095, 4096, 4097, 65_535, 65_536, 70_000];
    for (const algorithm of ALGORITHMS) {
      for (const length of lengths) {
        const input = data.subarray(0, length);
        assert.equal(
          toHex(streebog(algorithm, input, { engine: 'wasm' })),
          toHex(streebog(algorithm, input, { engine: 'js' })),
          `${algorithm}, ${length} bytes`,
        );
      }
    }
  });

  test('the WebAssembly engine handles inputs larger than its memory window', () => {
    const data = randomBytes(600_000); // the window is 256 KiB
    assert.equal(toHex(streebog256(data, { engine: 'wasm' })), toHex(streebog256(data, { engine: 'js' })));
  });

  test('any split into update() calls gives the one-shot digest', () => {
    const data = randomBytes(1000);
    for (const engine of ENGINES) {
      for (const algorithm of ALGORITHMS) {
        const expected = toHex(streebog(algorithm, data, { engine }));
        for (const chunkSize of [1, 7, 63, 64, 65, 127, 128, 500]) {
          const hasher = new Streebog(algorithm, { engine });
          for (let i = 0; i < data.length; i += chunkSize) hasher.update(data.subarray(i, i + chunkSize));
          assert.equal(toHex(hasher.digest()), expected, `${engine} ${algorithm} chunks of ${chunkSize}`);
        }
      }
    }
  });

  test('interleaved hashers keep separate state', () => {
    const a = randomBytes(5000);
    const b = randomBytes(5000);
    const first = new Streebog('streebog256');
    const second = new Streebog('streebog512');
    for (let i = 0; i < 5000; i += 700) {
      first.update(a.subarray(i, i + 700));
      second.update(b.subarray(i, i + 700));
    }
    assert.equal(toHex(first.digest()), toHex(streebog256(a, { engine: 'js' })));
    assert.equal(toHex(second.digest()), toHex(streebog512(b, { engine: 'js' })));
  });

  test('strings are hashed as UTF-8', () => {
    assert.deepEqual(streebog256('тест'), streebog256(Buffer.from('тест', 'utf8')));
  });

  test('digest() twice and update() after digest() are errors', () => {
    const hasher = new Streebog('streebog256');
    hasher.digest();
    assert.throws(() => hasher.digest(), /twice/);
    assert.throws(() => hasher.update(new Uint8Array(1)), /after digest/);
    assert.throws(() => new Streebog('sha256' as StreebogAlgorithm), /unknown Streebog algorithm/);
  });

  test('hashStream and hashFile stream their input', async () => {
    const data = randomBytes(200_003);
    const chunks = Array.from({ length: 20 }, (_, i) => data.subarray(i * 10_001, (i + 1) * 10_001));
    assert.deepEqual(await hashStream(Readable.from(chunks), 'streebog512'), streebog512(data));
    const file = join(tmpdir(), `kca-streebog-${process.pid}.bin`);
    writeFileSync(file, data);
    try {
      assert.deepEqual(await hashFile(file), streebog256(data));
      assert.deepEqual(await hashFile(file, 'streebog512', { engine: 'js' }), streebog512(data));
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe('against OpenSSL (gost engine)', () => {
  const runner = gostOpenssl();
  after(() => {
    if (!('unavailable' in runner)) runner.cleanup();
  });

  const cases: Array<[string, Uint8Array]> = [
    ['0 bytes', new Uint8Array(0)],
    ['1 byte', Uint8Array.of(0x61)],
    ['63 bytes', randomBytes(63)],
    ['64 bytes', randomBytes(64)],
    ['65 bytes', randomBytes(65)],
    ['1 MiB + 7 bytes', randomBytes((1 << 20) + 7)],
    ['random length', randomBytes(1000 + (randomBytes(2).readUInt16LE() % 50_000))],
  ];
  for (const [name, data] of cases) {
    test(`${name}: same hex as openssl dgst`, (t) => {
      const openssl = opensslOrSkip(t, runner);
      if (!openssl) return;
      writeFileSync(openssl.path('input.bin'), data);
      for (const [algorithm, flag] of [['streebog256', '-md_gost12_256'], ['streebog512', '-md_gost12_512']] as const) {
        const printed: string = openssl.ok(['dgst', flag, '-r', 'input.bin']).toString().split(' ')[0];
        assert.equal(toHex(streebog(algorithm, data, { engine: 'wasm' })), printed, `${algorithm} (wasm)`);
        assert.equal(toHex(streebog(algorithm, data, { engine: 'js' })), printed, `${algorithm} (js)`);
      }
    });
  }
});
