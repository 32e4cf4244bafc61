// Streebog compression in TypeScript: the reference implementation and the fallback when
// WebAssembly is unavailable. JavaScript has no fast 64-bit integers, so every 64-bit word
// is handled as two 32-bit halves (index 2j = low, 2j + 1 = high) and the LPS tables are
// split the same way.
import { ITERATION_CONSTANTS, LPS_TABLE_HIGH, LPS_TABLE_LOW } from './streebog-tables.ts';
import { BLOCK_BYTES, type StreebogEngine, type StreebogState } from './streebog-engine.ts';

// Signed views: int32 values stay in V8's fast integer representation.
const TL = new Int32Array(LPS_TABLE_LOW.buffer);
const TH = new Int32Array(LPS_TABLE_HIGH.buffer);

/** C_1..C_12 as 32-bit halves, 16 words per constant. */
const ROUND_CONSTANT_WORDS: Int32Array = (() => {
  const out = new Int32Array(12 * 16);
  const view = new DataView(ITERATION_CONSTANTS.buffer, ITERATION_CONSTANTS.byteOffset, ITERATION_CONSTANTS.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
})();

// LPS reads the bytes of its input through a byte view of a scratch word array. Typed
// arrays use host byte order, so on a big-endian host byte r of a 32-bit word sits at
// view index r ^ 3; BYTE_ORDER_FIX folds that in.
const BYTE_ORDER_FIX = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 3;
const lpsInput = new Int32Array(16);
const lpsInputBytes = new Uint8Array(lpsInput.buffer);
/** View index of byte r (0..7) of 64-bit word c. */
const BYTE_INDEX: Uint8Array = Uint8Array.from({ length: 64 }, (_, i) => {
  const c = i >> 3;
  const r = i & 7;
  return c * 8 + (r & 4) + ((r & 3) ^ BYTE_ORDER_FIX);
});

/** out = LPS(a XOR b) for 16-word vectors at the given offsets. */
function lpsXor(a: Int32Array, aOffset: number, b: Int32Array, bOffset: number, out: Int32Array): void {
  const x = lpsInput;
  const bytes = lpsInputBytes;
  for (let i = 0; i < 16; i++) x[i] = a[aOffset + i] ^ b[bOffset + i];
  // Word r of the result is the XOR over c of the table entry for byte r of word c.
  for (let r = 0; r < 8; r++) {
    const i0 = bytes[BYTE_INDEX[r]];
    const i1 = 256 | bytes[BYTE_INDEX[8 + r]];
    const i2 = 512 | bytes[BYTE_INDEX[16 + r]];
    const i3 = 768 | bytes[BYTE_INDEX[24 + r]];
    const i4 = 1024 | bytes[BYTE_INDEX[32 + r]];
    const i5 = 1280 | bytes[BYTE_INDEX[40 + r]];
    const i6 = 1536 | bytes[BYTE_INDEX[48 + r]];
    const i7 = 1792 | bytes[BYTE_INDEX[56 + r]];
    out[2 * r] = TL[i0] ^ TL[i1] ^ TL[i2] ^ TL[i3] ^ TL[i4] ^ TL[i5] ^ TL[i6] ^ TL[i7];
    out[2 * r + 1] = TH[i0] ^ TH[i1] ^ TH[i2] ^ TH[i3] ^ TH[i4] ^ TH[i5] ^ TH[i6] ^ TH[i7];
  }
}

// Scratch vectors reused across calls; the engine is synchronous so sharing is safe.
const key = new Int32Array(16);
const keyNext = new Int32Array(16);
const cipher = new Int32Array(16);
const cipherNext = new Int32Array(16);
const message = new Int32Array(16);
const zeroVector = new Int32Array(16);

/**
 * h = g_N(h, m) = E(LPS(h ^ N), m) ^ h ^ m, where E runs 12 rounds of
 * state = LPS(K_i ^ state), K_{i+1} = LPS(K_i ^ C_i) and ends with K_13 ^ state.
 */
function compress(state: Int32Array, hOffset: number, counter: Int32Array, counterOffset: number, m: Int32Array): void {
  let k = key, kNext = keyNext, x = cipher, xNext = cipherNext;
  lpsXor(state, hOffset, counter, counterOffset, k);
  lpsXor(k, 0, m, 0, x);
  for (let round = 0; round < 11; round++) {
    lpsXor(k, 0, ROUND_CONSTANT_WORDS, round * 16, kNext);
    lpsXor(kNext, 0, x, 0, xNext);
    const oldKey = k;
    k = kNext;
    kNext = oldKey;
    const oldCipher = x;
    x = xNext;
    xNext = oldCipher;
  }
  lpsXor(k, 0, ROUND_CONSTANT_WORDS, 11 * 16, kNext);
  for (let i = 0; i < 16; i++) state[hOffset + i] ^= kNext[i] ^ x[i] ^ m[i];
}

/** Adds a 512-bit vector (16 words) to state words at `offset`, modulo 2^512. */
function add512(state: Int32Array, offset: number, addend: Int32Array): void {
  let carry = 0;
  for (let i = 0; i < 16; i++) {
    const sum = (state[offset + i] >>> 0) + (addend[i] >>> 0) + carry;
    state[offset + i] = sum; // stored modulo 2^32
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

/** Adds a small number of bits to the 512-bit counter N (state words 16..31). */
function addToCounter(state: Int32Array, bits: number): void {
  let carry = bits;
  for (let i = 16; i < 32 && carry !== 0; i++) {
    const sum = (state[i] >>> 0) + carry;
    state[i] = sum;
    carry = sum > 0xffffffff ? 1 : 0;
  }
}

function readBlock(data: Uint8Array, offset: number, out: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const p = offset + 4 * i;
    out[i] = data[p] | (data[p + 1] << 8) | (data[p + 2] << 16) | (data[p + 3] << 24);
  }
}

export const streebogJsEngine: StreebogEngine = {
  name: 'js',
  processBlocks(state: StreebogState, data: Uint8Array, offset: number, blockCount: number): void {
    for (let b = 0; b < blockCount; b++) {
      readBlock(data, offset + b * BLOCK_BYTES, message);
      compress(state, 0, state, 16, message);
      addToCounter(state, 512);
      add512(state, 32, message);
    }
  },
  finish(state: StreebogState, tail: Uint8Array): void {
    if (tail.length >= BLOCK_BYTES) throw new RangeError('Streebog tail must be shorter than one block');
    const padded = new Uint8Array(BLOCK_BYTES);
    padded.set(tail);
    padded[tail.length] = 0x01;
    readBlock(padded, 0, message);
    compress(state, 0, state, 16, message);
    addToCounter(state, tail.length * 8);
    add512(state, 32, message);
    compress(state, 0, zeroVector, 0, state.subarray(16, 32));
    compress(state, 0, zeroVector, 0, state.subarray(32, 48));
  },
};
