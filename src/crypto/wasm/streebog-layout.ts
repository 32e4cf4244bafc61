// Linear-memory layout of the Streebog WebAssembly module, shared by the code generator
// (streebog-wat.ts) and the loader (../streebog-wasm.ts).

/** 8 x 256 LPS table entries, 64-bit little-endian: 16 KiB. */
export const TABLE_OFFSET = 0;
/** C_1..C_12, 64 bytes each. */
export const CONSTANTS_OFFSET = 0x4000;
/** Hash state: h (64 bytes), N (64), Sigma (64). */
export const STATE_OFFSET = 0x4300;
/** 64 zero bytes: the N argument of the two finalisation compressions. */
export const ZERO_OFFSET = STATE_OFFSET + 192;
/** 64 bytes written and never read: see the comment on lps() in streebog-wat.ts. */
export const SCHEDULING_SCRATCH_OFFSET = ZERO_OFFSET + 64;
/** Message blocks copied in by the loader; the padded last block also goes here. */
export const INPUT_OFFSET = 0x10000;
/** Size of the input window; large so that one call absorbs a whole stream chunk. */
export const INPUT_BYTES = 0x40000;
export const MEMORY_PAGES = (INPUT_OFFSET + INPUT_BYTES) / 0x10000;
