// GOST R 34.11-2012 "Streebog" hash (RFC 6986), 256- and 512-bit.
//
// Digest bytes are returned in the order OpenSSL's gost engine prints them
// (`openssl dgst -md_gost12_256`): the internal little-endian order, i.e. the RFC's hex
// strings reversed. Use this order everywhere (hex display, CMS messageDigest, signing).
//
// The compression runs in WebAssembly when the compiled module is present (built at
// `npm install` by scripts/build-streebog-wasm.ts) and falls back to the TypeScript
// implementation otherwise; both produce identical results (tested).
import { createReadStream } from 'node:fs';
import { BLOCK_BYTES, STATE_WORDS, type StreebogEngine, type StreebogEngineName } from './streebog-engine.ts';
import { streebogJsEngine } from './streebog-js.ts';
import { loadStreebogWasmEngine } from './streebog-wasm.ts';

export type { StreebogEngineName } from './streebog-engine.ts';

export type StreebogAlgorithm = 'streebog256' | 'streebog512';

export const STREEBOG_ALGORITHMS: readonly StreebogAlgorithm[] = ['streebog256', 'streebog512'];

export interface StreebogOptions {
  /** Force a back end (tests, benchmarks). Default: WebAssembly when available. */
  engine?: StreebogEngineName;
}

let defaultEngine: StreebogEngine | undefined;

/** The back end used by default: 'wasm' when the compiled module loads, else 'js'. */
export function defaultStreebogEngine(): StreebogEngineName {
  return pickEngine(undefined).name;
}

function pickEngine(requested: StreebogEngineName | undefined): StreebogEngine {
  if (requested === 'js') return streebogJsEngine;
  if (requested === 'wasm') {
    const wasm = loadStreebogWasmEngine();
    if (!wasm.engine) throw new Error(`Streebog WebAssembly engine unavailable: ${wasm.reason}`);
    return wasm.engine;
  }
  defaultEngine ??= loadStreebogWasmEngine().engine ?? streebogJsEngine;
  return defaultEngine;
}

/** Incremental Streebog hasher: `new Streebog('streebog256').update(a).update(b).digest()`. */
export class Streebog {
  readonly algorithm: StreebogAlgorithm;
  readonly digestLength: 32 | 64;
  readonly engine: StreebogEngineName;
  private readonly impl: StreebogEngine;
  private readonly state = new Int32Array(STATE_WORDS);
  private readonly pending = new Uint8Array(BLOCK_BYTES);
  private pendingLength = 0;
  private finished = false;

  constructor(algorithm: StreebogAlgorithm = 'streebog256', options: StreebogOptions = {}) {
    if (algorithm !== 'streebog256' && algorithm !== 'streebog512') {
      throw new TypeError(`unknown Streebog algorithm: ${String(algorithm)}`);
    }
    this.algorithm = algorithm;
    this.digestLength = algorithm === 'streebog256' ? 32 : 64;
    this.impl = pickEngine(options.engine);
    this.engine = this.impl.name;
    // IV: 0x01 in every byte for the 256-bit variant, all zero for 512.
    if (algorithm === 'streebog256') this.state.fill(0x01010101, 0, 16);
  }

  update(data: Uint8Array | string): this {
    if (this.finished) throw new Error('Streebog: update() after digest()');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    // Full blocks are absorbed greedily: the standard pads a message whose length is a
    // multiple of 64 with a whole extra block, so no full block ever needs holding back.
    let offset = 0;
    if (this.pendingLength > 0) {
      const take = Math.min(BLOCK_BYTES - this.pendingLength, bytes.length);
      this.pending.set(bytes.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      offset = take;
      if (this.pendingLength < BLOCK_BYTES) return this;
      this.impl.processBlocks(this.state, this.pending, 0, 1);
      this.pendingLength = 0;
    }
    const blockCount = Math.floor((bytes.length - offset) / BLOCK_BYTES);
    if (blockCount > 0) this.impl.processBlocks(this.state, bytes, offset, blockCount);
    offset += blockCount * BLOCK_BYTES;
    if (offset < bytes.length) {
      this.pending.set(bytes.subarray(offset), 0);
      this.pendingLength = bytes.length - offset;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw new Error('Streebog: digest() called twice');
    this.finished = true;
    this.impl.finish(this.state, this.pending.subarray(0, this.pendingLength));
    const full = new Uint8Array(64);
    const view = new DataView(full.buffer);
    for (let i = 0; i < 16; i++) view.setInt32(i * 4, this.state[i], true);
    // The 256-bit digest is the most significant half of h: bytes 32..63 in memory order.
    return this.digestLength === 64 ? full : full.slice(32);
  }
}

export function streebog(algorithm: StreebogAlgorithm, data: Uint8Array | string, options?: StreebogOptions): Uint8Array {
  return new Streebog(algorithm, options).update(data).digest();
}

export function streebog256(data: Uint8Array | string, options?: StreebogOptions): Uint8Array {
  return streebog('streebog256', data, options);
}

export function streebog512(data: Uint8Array | string, options?: StreebogOptions): Uint8Array {
  return streebog('streebog512', data, options);
}

/** Hashes everything a stream yields, chunk by chunk (memory stays flat). */
export async function hashStream(
  stream: AsyncIterable<Uint8Array | string>,
  algorithm: StreebogAlgorithm = 'streebog256',
  options?: StreebogOptions,
): Promise<Uint8Array> {
  const hasher = new Streebog(algorithm, options);
  for await (const chunk of stream) hasher.update(chunk);
  return hasher.digest();
}

/** Hashes a file by streaming it in 1 MiB chunks. */
export async function hashFile(path: string, algorithm: StreebogAlgorithm = 'streebog256', options?: StreebogOptions): Promise<Uint8Array> {
  return hashStream(createReadStream(path, { highWaterMark: 1 << 20 }), algorithm, options);
}

/** Lowercase hex, the form `openssl dgst -md_gost12_256` prints. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
