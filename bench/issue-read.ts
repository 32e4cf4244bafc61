// GET of an issue through the module (GetIssue, answered from the mirror that Kontur's event
// feed keeps current) against the sandbox's own GET of the same issue (what Kontur itself
// answers), in the same server process, in turns, eight at a time. Target: ≥ 0.8×.
//
//   npm run bench:issue-read [-- --seconds 10]
import { parseArgs } from 'node:util';
import { startBenchServer } from './support/server.ts';
import { runLoad } from './support/load.ts';
import { prepare } from './support/workload.ts';
import { ms, perSecond, report } from './support/report.ts';
import { SANDBOX_KCR_API_KEY } from '../src/domain/sandbox-defaults.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);

const server = await startBenchServer({ database: 'embedded' });
try {
  const prepared = await prepare(server.url, 1);
  const module: { perSecond: number; p50Ms: number }[] = [];
  const sandbox: { perSecond: number; p50Ms: number }[] = [];
  for (let round = 0; round < 2; round++) {
    const ours = await runLoad(server.url, { seconds, concurrency: 8, next: () => ({ method: 'GET', path: `/api/v1/issues/${prepared.issueId}`, headers: { authorization: `Bearer ${prepared.admin}` } }) });
    const theirs = await runLoad(server.url, { seconds, concurrency: 8, next: () => ({ method: 'GET', path: `/sandbox/kcr/v1/issues/${prepared.issueId}`, headers: { 'x-kontur-apikey': SANDBOX_KCR_API_KEY } }) });
    if (ours.errors || theirs.errors) throw new Error(`errors: ${[...ours.samples, ...theirs.samples].join('; ')}`);
    module.push(ours);
    sandbox.push(theirs);
    process.stdout.write(`round ${round + 1}: module ${ours.perSecond.toFixed(0)}/s (p50 ${ours.p50Ms.toFixed(1)} ms), sandbox ${theirs.perSecond.toFixed(0)}/s (p50 ${theirs.p50Ms.toFixed(1)} ms)\n`);
  }
  const mean = (v: { perSecond: number }[]) => v.reduce((a, b) => a + b.perSecond, 0) / v.length;
  const ratio = mean(module) / mean(sandbox);
  report('GET of an issue', [
    {
      name: 'GET /api/v1/issues/{id} / the sandbox GET of the same issue',
      measured: `${perSecond(mean(module))} (p50 ${ms(module[module.length - 1].p50Ms)})`,
      reference: `${perSecond(mean(sandbox))} (p50 ${ms(sandbox[sandbox.length - 1].p50Ms)})`,
      ratio,
      target: '≥ 0.8×',
      met: ratio >= 0.8,
    },
  ]);
} finally {
  await server.stop();
}
