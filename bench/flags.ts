// The Node.js flags of `npm start`, each measured on and off in one run: the server with all of
// them, with none, and with each one left out, under the same load (API reads from eight loops
// and signing flows beside them, --seconds each), reporting reads per second, signing flows per
// second and the peak memory of all the server's processes. A flag earns its place when leaving
// it out costs memory without buying throughput.
//
//   npm run bench:flags [-- --seconds 20]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBenchServer, START_FLAGS } from './support/server.ts';
import { MemorySampler } from './support/memory.ts';
import { runLoad } from './support/load.ts';
import { prepare, readRequest, signingLoad } from './support/workload.ts';
import { machine, mib, table, type ResultRow } from './support/report.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' } } });
const seconds = Number(values.seconds);

const variants: { name: string; flags: string[] }[] = [
  { name: `npm start (${START_FLAGS.join(' ')})`, flags: START_FLAGS },
  { name: 'no flags', flags: [] },
  ...START_FLAGS.map((flag) => ({ name: `without ${flag}`, flags: START_FLAGS.filter((f) => f !== flag) })),
];

interface Outcome {
  name: string;
  reads: number;
  signing: number;
  peakRss: number;
  peakPss: number;
  serverRss: number;
}
const outcomes: Outcome[] = [];
for (const variant of variants) {
  const server = await startBenchServer({ database: 'embedded', flags: variant.flags });
  try {
    const prepared = await prepare(server.url, 20);
    const sampler = new MemorySampler(server.pid, 250);
    const [reads, signing] = await Promise.all([runLoad(server.url, { seconds, concurrency: 8, next: (i) => readRequest(prepared, i) }), signingLoad(prepared, seconds)]);
    sampler.stop();
    const serverRss = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;
    outcomes.push({ name: variant.name, reads: reads.perSecond, signing: signing.perSecond, peakRss: sampler.peakTotal.rssMiB, peakPss: sampler.peakTotal.pssMiB, serverRss });
    process.stdout.write(`${variant.name}: reads ${reads.perSecond.toFixed(0)}/s, signing ${signing.perSecond.toFixed(2)}/s, peak ${mib(sampler.peakTotal.rssMiB)} RSS / ${mib(sampler.peakTotal.pssMiB)} PSS (server alone: peak ${mib(serverRss)})\n`);
  } finally {
    await server.stop();
  }
}
const base = outcomes[0];
const rows: ResultRow[] = outcomes.map((o) => ({
  name: o.name,
  measured: `${o.reads.toFixed(0)} reads/s, ${o.signing.toFixed(2)} flows/s, ${mib(o.peakPss)} PSS / ${mib(o.peakRss)} RSS (server ${mib(o.serverRss)})`,
  reference: o === base ? '—' : `npm start: ${base.reads.toFixed(0)} reads/s, ${mib(base.peakPss)} PSS`,
  ratio: o.reads / base.reads,
  target: 'reads ratio; memory',
  met: true,
}));
process.stdout.write(`\nNode flags on and off (${machine()})\n${table(rows)}\n`);
