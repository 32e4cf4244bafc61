// The embedded default against PostgreSQL, in one run: API reads (the web client's kind, eight
// at a time), signing flows (one at a time, upload to attached signature) and a fresh start (an
// empty DATA_DIR or database to the first healthy answer). Both servers run side by side and
// are measured in turns (embedded, PostgreSQL, embedded, PostgreSQL), so that a drift of the
// machine's speed falls on both. Targets: embedded ≥ 0.8× PostgreSQL on reads and on signing
// flows, fresh start ≤ 3 s.
//
//   npm run bench:database [-- --seconds 20]
import { parseArgs } from 'node:util';
import { startBenchServer, type BenchServer, type DatabaseKind } from './support/server.ts';
import { runLoad } from './support/load.ts';
import { prepare, readRequest, signingLoad, type Prepared } from './support/workload.ts';
import { ms, perSecond, report, type ResultRow } from './support/report.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '2' } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const KINDS: DatabaseKind[] = ['embedded', 'postgres'];

const starts: Record<DatabaseKind, number[]> = { embedded: [], postgres: [] };
for (let round = 0; round < 3; round++) {
  for (const database of KINDS) {
    const server = await startBenchServer({ database });
    starts[database].push(server.startMs);
    await server.stop();
  }
}

const servers = {} as Record<DatabaseKind, { server: BenchServer; prepared: Prepared }>;
try {
  for (const database of KINDS) {
    const server = await startBenchServer({ database });
    servers[database] = { server, prepared: await prepare(server.url) };
  }
  const reads: Record<DatabaseKind, number[]> = { embedded: [], postgres: [] };
  const signing: Record<DatabaseKind, number[]> = { embedded: [], postgres: [] };
  const signingP50: Record<DatabaseKind, number[]> = { embedded: [], postgres: [] };
  for (let round = 0; round < rounds; round++) {
    for (const database of KINDS) {
      const { server, prepared } = servers[database];
      const result = await runLoad(server.url, { seconds, concurrency: 8, next: (i) => readRequest(prepared, i) });
      if (result.errors) throw new Error(`${database}: ${result.errors} read errors: ${result.samples.join('; ')}`);
      reads[database].push(result.perSecond);
      process.stdout.write(`reads, ${database}: ${result.perSecond.toFixed(0)}/s (p50 ${result.p50Ms.toFixed(1)} ms)\n`);
    }
    for (const database of KINDS) {
      const result = await signingLoad(servers[database].prepared, seconds);
      if (result.errors.length) throw new Error(`${database}: signing errors: ${result.errors.slice(0, 3).join('; ')}`);
      signing[database].push(result.perSecond);
      signingP50[database].push(result.p50Ms);
      process.stdout.write(`signing flows, ${database}: ${result.perSecond.toFixed(2)}/s (p50 ${result.p50Ms.toFixed(0)} ms)\n`);
    }
  }
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const mean = (values: number[]) => sum(values) / values.length;
  const readRatio = mean(reads.embedded) / mean(reads.postgres);
  const signingRatio = mean(signing.embedded) / mean(signing.postgres);
  const slowestStart = Math.max(...starts.embedded);
  const rows: ResultRow[] = [
    { name: 'API reads, embedded / PostgreSQL', measured: perSecond(mean(reads.embedded)), reference: perSecond(mean(reads.postgres)), ratio: readRatio, target: '≥ 0.8×', met: readRatio >= 0.8 },
    {
      name: 'signing flows, embedded / PostgreSQL',
      measured: `${mean(signing.embedded).toFixed(2)}/s (p50 ${ms(mean(signingP50.embedded))})`,
      reference: `${mean(signing.postgres).toFixed(2)}/s (p50 ${ms(mean(signingP50.postgres))})`,
      ratio: signingRatio,
      target: '≥ 0.8×',
      met: signingRatio >= 0.8,
    },
    {
      name: 'fresh start, embedded (slowest of 3)',
      measured: `${(slowestStart / 1000).toFixed(1)} s`,
      reference: `PostgreSQL ${(Math.max(...starts.postgres) / 1000).toFixed(1)} s`,
      target: '≤ 3 s',
      met: slowestStart <= 3000,
    },
  ];
  report('The embedded database against PostgreSQL', rows);
} finally {
  for (const { server } of Object.values(servers)) await server.stop();
}
