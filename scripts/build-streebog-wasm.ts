// Builds dist/wasm/streebog.wasm from src/crypto/wasm/streebog-wat.ts with wabt (npm).
// Runs as the package's postinstall step, so a fresh clone gets the fast hash path after
// `npm install`. If it fails, hashing still works on the TypeScript fallback, so the
// install is not aborted (the failure is printed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { streebogWat } from '../src/crypto/wasm/streebog-wat.ts';
import { STREEBOG_WASM_PATH } from '../src/package-files.ts';

async function build(): Promise<void> {
  const { default: loadWabt } = await import('wabt');
  const wabt = await loadWabt();
  const module = wabt.parseWat('streebog.wat', streebogWat(), {});
  try {
    module.validate();
    const { buffer } = module.toBinary({ canonicalize_lebs: true });
    mkdirSync(dirname(STREEBOG_WASM_PATH), { recursive: true });
    writeFileSync(STREEBOG_WASM_PATH, buffer);
    process.stdout.write(`built ${STREEBOG_WASM_PATH} (${buffer.length} bytes)\n`);
  } finally {
    module.destroy();
  }
}

const strict = process.argv.includes('--strict');
try {
  await build();
} catch (error) {
  process.stderr.write(`build-streebog-wasm: ${(error as Error).message}\n` +
    'Streebog will use the slower TypeScript implementation.\n');
  if (strict) process.exitCode = 1;
}
