// `npm run bench`: every benchmark with a target, one after the other (each in a process of its
// own, as `npm run bench:<name>` runs it), and then all their rows in one table. Takes about
// 25 minutes on a 2-core machine, most of it the 10-minute memory run (--quick shortens the
// long loads for a look, not for the record).
//
//   npm run bench [-- --quick] [--only memory,lists]
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { machine, table, type ResultRow } from './support/report.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick;
const BENCHMARKS: { name: string; args: string[] }[] = [
  { name: 'memory', args: quick ? ['--minutes', '2'] : [] },
  { name: 'database', args: quick ? ['--seconds', '8', '--rounds', '1'] : [] },
  { name: 'issue-read', args: quick ? ['--seconds', '5'] : [] },
  { name: 'signing', args: quick ? ['--seconds', '10'] : [] },
  { name: 'lists', args: quick ? ['--seconds', '4'] : [] },
  { name: 'hash', args: quick ? ['--size-mib', '128'] : [] },
  { name: 'sign', args: quick ? ['--size-mib', '256'] : [] },
  { name: 'healthz', args: quick ? ['--seconds', '5'] : [] },
];
const selected = values.only ? BENCHMARKS.filter((b) => values.only!.split(',').includes(b.name)) : BENCHMARKS;

const sections: { title: string; rows: ResultRow[] }[] = [];
for (const benchmark of selected) {
  process.stdout.write(`\n=== bench/${benchmark.name}.ts ${benchmark.args.join(' ')}\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', `bench/${benchmark.name}.ts`, ...benchmark.args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.startsWith('BENCH-RESULTS ')) sections.push(JSON.parse(line.slice('BENCH-RESULTS '.length)));
      else process.stdout.write(`${line}\n`);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) sections.push({ title: `bench/${benchmark.name}.ts`, rows: [{ name: `bench/${benchmark.name}.ts failed (exit ${code})`, measured: '—', reference: '—', target: '—', met: false }] });
}

const rows = sections.flatMap((section) => section.rows.map((row) => ({ ...row, name: `${section.title}: ${row.name}` })));
process.stdout.write(`\n\nAll targets (${machine()}${quick ? ', --quick: shortened loads' : ''})\n${table(rows)}\n`);
process.stdout.write(`${rows.filter((r) => r.met).length} of ${rows.length} met\n`);
