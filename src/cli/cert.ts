// kca cert show FILE [--json]: a readable summary of a certificate (DER or PEM; every
// certificate of a PEM bundle).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatCertificateSummary, parseCertificates, summarizeCertificate } from '../crypto/x509.ts';

const USAGE = 'usage: kca cert show FILE [--json]  (FILE: DER or PEM certificate, - for standard input)';

/** Usage errors: one line on stderr, exit status 2. */
function usageError(problem: string): number {
  process.stderr.write(`kca cert: ${problem} (${USAGE})\n`);
  return 2;
}

async function readInput(name: string): Promise<Uint8Array> {
  if (name !== '-') return readFile(name);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function run(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (subcommand !== 'show') return usageError(subcommand ? `unknown subcommand "${subcommand}"` : 'missing subcommand');
  let values: { json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (positionals.length !== 1) return usageError('expected exactly one FILE');
  const [name] = positionals;
  try {
    const summaries = parseCertificates(await readInput(name)).map(summarizeCertificate);
    if (values.json) process.stdout.write(`${JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)}\n`);
    else process.stdout.write(summaries.map(formatCertificateSummary).join('\n'));
    return 0;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    process.stderr.write(`kca cert show: ${name}: ${reason}\n`);
    return 1;
  }
}
