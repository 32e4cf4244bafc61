// kca hash [--alg streebog256|streebog512] FILE|-
// Prints "<hex>  <name>" per input, the hex being what `openssl dgst -md_gost12_256` prints.
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { STREEBOG_ALGORITHMS, hashStream, toHex, type StreebogAlgorithm } from '../crypto/streebog.ts';

const USAGE = 'usage: kca hash [--alg streebog256|streebog512] FILE|-  (- reads standard input)';

/** Usage errors: one line on stderr, exit status 2. */
function usageError(problem: string): number {
  process.stderr.write(`kca hash: ${problem} (${USAGE})\n`);
  return 2;
}

export async function run(argv: string[]): Promise<number> {
  let values: { alg?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { alg: { type: 'string', short: 'a' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const algorithm = (values.alg ?? 'streebog256') as StreebogAlgorithm;
  if (!STREEBOG_ALGORITHMS.includes(algorithm)) {
    return usageError(`unknown --alg "${values.alg}"`);
  }
  if (positionals.length === 0) {
    return usageError('missing FILE');
  }
  let status = 0;
  for (const name of positionals) {
    try {
      const stream = name === '-' ? process.stdin : createReadStream(name, { highWaterMark: 1 << 20 });
      const digest = await hashStream(stream, algorithm);
      process.stdout.write(`${toHex(digest)}  ${name}\n`);
    } catch (error) {
      process.stderr.write(`kca hash: ${name}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}\n`);
      status = 1;
    }
  }
  return status;
}
