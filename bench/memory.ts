// Memory under a long mixed load, on the embedded default (`npm start`): API reads from six
// loops and whole signing flows from a seventh, for 10 minutes (--minutes). Every process the
// server started counts: the server and the embedded PostgreSQL's processes. Targets (issue
// "Performance"): the database's memory after 10 minutes within 1.2× of its memory after the
// first minute and under 250 MB; all processes together at most 300 MB at the peak.
//
//   npm run bench:memory [-- --minutes 10] [--database embedded|postgres]
import { parseArgs } from 'node:util';
import { startBenchServer, type DatabaseKind } from './support/server.ts';
import { MemorySampler, memoryOf, processTree, isDatabaseProcess, type Memory } from './support/memory.ts';
import { runLoad } from './support/load.ts';
import { prepare, readRequest, signingLoad } from './support/workload.ts';
import { mib, report, type ResultRow } from './support/report.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, database: { type: 'string', default: 'embedded' } } });
const minutes = Number(values.minutes);
const MB = 1e6 / (1024 * 1024); // MiB per MB

const server = await startBenchServer({ database: values.database as DatabaseKind });
try {
  const prepared = await prepare(server.url);
  const sampler = new MemorySampler(server.pid, 1000);
  const snapshots: { at: number; total: Memory; database: Memory }[] = [];
  const started = performance.now();
  const snapshot = () => {
    const tree = processTree(server.pid);
    snapshots.push({ at: (performance.now() - started) / 1000, total: memoryOf(tree), database: memoryOf(tree.filter(isDatabaseProcess)) });
    const last = snapshots.at(-1)!;
    process.stdout.write(`${last.at.toFixed(0)} s: all processes ${mib(last.total.rssMiB)} RSS / ${mib(last.total.pssMiB)} PSS; database ${mib(last.database.rssMiB)} RSS / ${mib(last.database.pssMiB)} PSS (${last.database.processes} processes)\n`);
  };
  const firstMinute = setTimeout(snapshot, 60_000);
  const every = setInterval(snapshot, 60_000);
  const [reads, signing] = await Promise.all([
    runLoad(server.url, { seconds: minutes * 60, concurrency: 6, next: (i) => readRequest(prepared, i) }),
    signingLoad(prepared, minutes * 60),
  ]);
  clearTimeout(firstMinute);
  clearInterval(every);
  snapshot();
  sampler.stop();
  const afterFirst = snapshots.find((s) => s.at >= 59) ?? snapshots[0];
  const atEnd = snapshots.at(-1)!;
  process.stdout.write(
    `\nload: ${reads.requests} reads (${reads.perSecond.toFixed(0)}/s, p50 ${reads.p50Ms.toFixed(1)} ms, ${reads.errors} errors${reads.samples.length ? `: ${reads.samples[0]}` : ''}); ` +
      `${signing.flows} signing flows (p50 ${signing.p50Ms.toFixed(0)} ms, ${signing.errors.length} errors)\n`,
  );
  const growth = atEnd.database.rssMiB / afterFirst.database.rssMiB;
  const rows: ResultRow[] = [
    {
      name: `database memory after ${minutes} min / after 1 min (RSS)`,
      measured: mib(atEnd.database.rssMiB),
      reference: mib(afterFirst.database.rssMiB),
      ratio: growth,
      target: '≤ 1.2×',
      met: growth <= 1.2,
    },
    { name: 'database memory at the end (RSS, all its processes)', measured: mib(atEnd.database.rssMiB), reference: '—', target: '< 250 MB', met: atEnd.database.rssMiB < 250 * MB },
    {
      name: 'all processes at the peak (RSS sum; PSS sum as reference)',
      measured: mib(sampler.peakTotal.rssMiB),
      reference: `${mib(sampler.peakTotal.pssMiB)} PSS`,
      target: '≤ 300 MB',
      met: sampler.peakTotal.rssMiB <= 300 * MB,
    },
  ];
  report(`Memory under ${minutes} minutes of mixed load (${server.database})`, rows);
} finally {
  await server.stop();
}
