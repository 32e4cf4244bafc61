// Loads the Streebog WebAssembly module (dist/wasm/streebog.wasm, built from
// src/crypto/wasm/streebog-wat.ts at `npm install`) and adapts it to StreebogEngine.
// Any failure to load leaves the caller on the TypeScript engine, with the reason kept.
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { BLOCK_BYTES, STATE_WORDS, type StreebogEngine, type StreebogState } from './streebog-engine.ts';
import { ITERATION_CONSTANTS, lpsTableBytes } from './streebog-tables.ts';
import { STREEBOG_WASM_PATH } from '../package-files.ts';
import { CONSTANTS_OFFSET, INPUT_BYTES, INPUT_OFFSET, STATE_OFFSET, TABLE_OFFSET } from './wasm/streebog-layout.ts';

// The project's TypeScript libs (ES2023, no DOM) do not declare WebAssembly; this is the
// part of it used here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const webAssembly = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

interface StreebogExports {
  memory: { buffer: ArrayBuffer };
  process_blocks(count: number): void;
  finish(tailBits: number): void;
}

export type WasmLoadResult = { engine: StreebogEngine; reason?: undefined } | { engine?: undefined; reason: string };

let cached: WasmLoadResult | undefined;

export function loadStreebogWasmEngine(): WasmLoadResult {
  cached ??= tryLoad();
  return cached;
}

function tryLoad(): WasmLoadResult {
  // The state is copied with typed-array views, which use host byte order; WebAssembly
  // memory is little-endian.
  if (endianness() !== 'LE') return { reason: 'big-endian host' };
  if (!webAssembly) return { reason: 'WebAssembly is not available in this runtime' };
  let bytes: Buffer;
  try {
    bytes = readFileSync(STREEBOG_WASM_PATH);
  } catch {
    return { reason: `${STREEBOG_WASM_PATH} not found (run: npm install, or node --import tsx scripts/build-streebog-wasm.ts)` };
  }
  try {
    // Synchronous compilation is fine in Node for a module this small, and keeps the
    // hashing API synchronous.
    const instance = new webAssembly.Instance(new webAssembly.Module(bytes), {});
    return { engine: createEngine(instance.exports as unknown as StreebogExports) };
  } catch (error) {
    return { reason: `cannot instantiate ${STREEBOG_WASM_PATH}: ${(error as Error).message}` };
  }
}

function createEngine(exports: StreebogExports): StreebogEngine {
  const memory = new Uint8Array(exports.memory.buffer);
  memory.set(lpsTableBytes(), TABLE_OFFSET);
  memory.set(ITERATION_CONSTANTS, CONSTANTS_OFFSET);
  const stateView = new Int32Array(exports.memory.buffer, STATE_OFFSET, STATE_WORDS);
  const maxBlocksPerCall = INPUT_BYTES / BLOCK_BYTES;

  // Each hasher keeps its own state; it is copied in and out around every call, so any
  // number of hashers can be interleaved (the module itself is single-state).
  return {
    name: 'wasm',
    processBlocks(state: StreebogState, data: Uint8Array, offset: number, blockCount: number): void {
      stateView.set(state);
      let position = offset;
      let left = blockCount;
      while (left > 0) {
        const count = Math.min(left, maxBlocksPerCall);
        memory.set(data.subarray(position, position + count * BLOCK_BYTES), INPUT_OFFSET);
        exports.process_blocks(count);
        position += count * BLOCK_BYTES;
        left -= count;
      }
      state.set(stateView);
    },
    finish(state: StreebogState, tail: Uint8Array): void {
      if (tail.length >= BLOCK_BYTES) throw new RangeError('Streebog tail must be shorter than one block');
      stateView.set(state);
      memory.fill(0, INPUT_OFFSET, INPUT_OFFSET + BLOCK_BYTES);
      memory.set(tail, INPUT_OFFSET);
      memory[INPUT_OFFSET + tail.length] = 0x01;
      exports.finish(tail.length * 8);
      state.set(stateView);
    },
  };
}
