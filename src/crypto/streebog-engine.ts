// The contract between the Streebog front end (padding, buffering, output) and the two
// compression back ends (TypeScript and WebAssembly).

/**
 * Hash state: three 512-bit vectors h, N (bits processed so far) and Sigma (sum of blocks),
 * each as 16 32-bit words (two's complement bit patterns), least significant first:
 * h = words 0..15, N = 16..31, Sigma = 32..47.
 */
export type StreebogState = Int32Array;

export const STATE_WORDS = 48;
export const BLOCK_BYTES = 64;

export type StreebogEngineName = 'wasm' | 'js';

export interface StreebogEngine {
  readonly name: StreebogEngineName;
  /**
   * Absorbs `blockCount` full 64-byte blocks starting at `data[offset]`: for each block m,
   * h = g_N(h, m), N += 512, Sigma += m.
   */
  processBlocks(state: StreebogState, data: Uint8Array, offset: number, blockCount: number): void;
  /**
   * Absorbs the final `tail` (0..63 bytes) with the standard's padding, then applies
   * g_0(h, N) and g_0(h, Sigma). Leaves the 512-bit result in state words 0..15.
   */
  finish(state: StreebogState, tail: Uint8Array): void;
}
