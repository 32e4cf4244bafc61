// Source of the Streebog WebAssembly module, as a generator of WebAssembly text (WAT).
//
// The module only does the compression function with native 64-bit integers, which
// JavaScript lacks; tables and constants are written into its memory by the loader from
// ../streebog-tables.ts, so there is one copy of the standard's constants. The WAT is
// generated rather than written by hand because the LPS step is 64 table lookups that
// differ only in their indices: writing them out once per use would be thousands of
// near-identical lines. scripts/build-streebog-wasm.ts assembles the text with wabt.
//
// Exports: memory; process_blocks(count) absorbs `count` blocks at INPUT_OFFSET;
// finish(tailBits) absorbs the padded last block at INPUT_OFFSET and finalises h.
import {
  CONSTANTS_OFFSET, INPUT_OFFSET, MEMORY_PAGES, SCHEDULING_SCRATCH_OFFSET, STATE_OFFSET, TABLE_OFFSET, ZERO_OFFSET,
} from './streebog-layout.ts';

const WORDS = [0, 1, 2, 3, 4, 5, 6, 7];

/** Byte offset (already multiplied by 8) of byte r of the 64-bit local `word`, as an i32. */
function tableIndex(word: string, r: number): string {
  // ((word >> 8r) & 0xff) * 8 folded into one shift and one mask.
  if (r === 0) return `(i32.and (i32.shl (i32.wrap_i64 (local.get ${word})) (i32.const 3)) (i32.const 0x7f8))`;
  return `(i32.and (i32.wrap_i64 (i64.shr_u (local.get ${word}) (i64.const ${8 * r - 3}))) (i32.const 0x7f8))`;
}

/**
 * out_r = LPS(in)_r for r = 0..7; `input` and `output` are local name prefixes.
 *
 * Each finished output word is also stored to a scratch slot that nothing reads. The store
 * is there for V8's code generator: loads are ordered but XORs are free-floating, so
 * without it TurboFan issues all 64 loads first and spills their results to the stack.
 * Storing a word pins its XORs before the next word's loads (measured ~30% faster).
 */
function lps(input: string, output: string): string {
  return WORDS.map((r) => {
    const lookups = WORDS.map((c) => `(i64.load offset=${TABLE_OFFSET + c * 2048} ${tableIndex(`$${input}${c}`, r)})`);
    const xorChain = lookups.slice(1).reduce((acc, term) => `(i64.xor ${acc} ${term})`, lookups[0]);
    return `    (local.set $${output}${r} ${xorChain})
    (i64.store offset=${SCHEDULING_SCRATCH_OFFSET + 8 * r} (i32.const 0) (local.get $${output}${r}))`;
  }).join('\n');
}

function each(line: (i: number) => string): string {
  return WORDS.map(line).join('\n');
}

function locals(prefix: string): string {
  return WORDS.map((i) => `(local $${prefix}${i} i64)`).join(' ');
}

/** 512-bit addition in memory: [target] += [addend], little-endian words with carry. */
function add512(): string {
  return `
  (func $add512 (param $target i32) (param $addend i32)
    (local $i i32) (local $a i64) (local $sum i64) (local $carry i64)
    (loop $words
      (local.set $a (i64.load (i32.add (local.get $target) (local.get $i))))
      (local.set $sum (i64.add (local.get $a) (i64.load (i32.add (local.get $addend) (local.get $i)))))
      ;; carry out if the sum wrapped, or if adding the incoming carry wraps it again
      (local.set $a (i64.extend_i32_u (i64.lt_u (local.get $sum) (local.get $a))))
      (local.set $sum (i64.add (local.get $sum) (local.get $carry)))
      (local.set $carry (i64.or (local.get $a)
        (i64.extend_i32_u (i32.and (i64.eqz (local.get $sum)) (i32.wrap_i64 (local.get $carry))))))
      (i64.store (i32.add (local.get $target) (local.get $i)) (local.get $sum))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $words (i32.lt_u (local.get $i) (i32.const 64)))))`;
}

/** [counter] += bits, carrying through the 512-bit counter N. */
function addBits(): string {
  return `
  (func $add_bits (param $counter i32) (param $bits i64)
    (local $i i32) (local $sum i64)
    (loop $words
      (local.set $sum (i64.add (i64.load (i32.add (local.get $counter) (local.get $i))) (local.get $bits)))
      (i64.store (i32.add (local.get $counter) (local.get $i)) (local.get $sum))
      ;; continue only while the addition wrapped (then exactly 1 is carried)
      (local.set $bits (i64.extend_i32_u (i64.lt_u (local.get $sum) (local.get $bits))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $words (i32.and (i64.ne (local.get $bits) (i64.const 0)) (i32.lt_u (local.get $i) (i32.const 64))))))`;
}

/**
 * [h] = g_N(h, m) = E(LPS(h ^ N), m) ^ h ^ m; E runs 12 rounds of x = LPS(K ^ x),
 * K = LPS(K ^ C_i) and ends with K_13 ^ x. Round keys and state live in i64 locals;
 * the message block is re-read from memory rather than kept live in eight more locals.
 */
function compress(): string {
  return `
  (func $compress (param $h i32) (param $n i32) (param $m i32)
    ${locals('k')}
    ${locals('x')}
    ${locals('t')}
    (local $round i32)
${each((i) => `    (local.set $t${i} (i64.xor (i64.load offset=${8 * i} (local.get $h)) (i64.load offset=${8 * i} (local.get $n))))`)}
${lps('t', 'k')}
${each((i) => `    (local.set $t${i} (i64.xor (local.get $k${i}) (i64.load offset=${8 * i} (local.get $m))))`)}
${lps('t', 'x')}
    (loop $rounds
${each((i) => `    (local.set $t${i} (i64.xor (local.get $k${i}) (i64.load offset=${CONSTANTS_OFFSET + 8 * i} (local.get $round))))`)}
${lps('t', 'k')}
${each((i) => `    (local.set $t${i} (i64.xor (local.get $k${i}) (local.get $x${i})))`)}
${lps('t', 'x')}
      (local.set $round (i32.add (local.get $round) (i32.const 64)))
      (br_if $rounds (i32.lt_u (local.get $round) (i32.const ${11 * 64}))))
${each((i) => `    (local.set $t${i} (i64.xor (local.get $k${i}) (i64.load offset=${CONSTANTS_OFFSET + 11 * 64 + 8 * i} (i32.const 0))))`)}
${lps('t', 'k')}
${each((i) => `    (i64.store offset=${8 * i} (local.get $h) (i64.xor (i64.xor (i64.load offset=${8 * i} (local.get $h)) (i64.load offset=${8 * i} (local.get $m))) (i64.xor (local.get $k${i}) (local.get $x${i}))))`)}
  )`;
}

export function streebogWat(): string {
  const h = STATE_OFFSET;
  const n = STATE_OFFSET + 64;
  const sigma = STATE_OFFSET + 128;
  return `;; Generated by src/crypto/wasm/streebog-wat.ts - GOST R 34.11-2012 compression.
(module
  (memory (export "memory") ${MEMORY_PAGES} ${MEMORY_PAGES})
${compress()}
${add512()}
${addBits()}
  (func (export "process_blocks") (param $count i32)
    (local $block i32) (local $end i32)
    (local.set $block (i32.const ${INPUT_OFFSET}))
    (local.set $end (i32.add (i32.const ${INPUT_OFFSET}) (i32.shl (local.get $count) (i32.const 6))))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $block) (local.get $end)))
        (call $compress (i32.const ${h}) (i32.const ${n}) (local.get $block))
        (call $add_bits (i32.const ${n}) (i64.const 512))
        (call $add512 (i32.const ${sigma}) (local.get $block))
        (local.set $block (i32.add (local.get $block) (i32.const 64)))
        (br $blocks))))
  (func (export "finish") (param $tailBits i32)
    (call $compress (i32.const ${h}) (i32.const ${n}) (i32.const ${INPUT_OFFSET}))
    (call $add_bits (i32.const ${n}) (i64.extend_i32_u (local.get $tailBits)))
    (call $add512 (i32.const ${sigma}) (i32.const ${INPUT_OFFSET}))
    (call $compress (i32.const ${h}) (i32.const ${ZERO_OFFSET}) (i32.const ${n}))
    (call $compress (i32.const ${h}) (i32.const ${ZERO_OFFSET}) (i32.const ${sigma})))
)
`;
}
