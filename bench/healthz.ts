// /healthz under wrk (Debian's HTTP load generator: `apt-get install wrk`), against a bare
// Node.js HTTP server answering the same body on the same machine in the same run, so the ratio
// shows what the module's request path costs over Node itself. Target: ≥ 10,000 requests/s.
//
//   npm run bench:healthz [-- --seconds 10]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startBenchServer } from './support/server.ts';
import { perSecond, report } from './support/report.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);

function wrk(url: string): number {
  const result = spawnSync('wrk', ['-t1', '-c32', `-d${seconds}s`, url], { encoding: 'utf8' });
  if (result.error) throw new Error('this benchmark needs wrk (apt-get install wrk)');
  const match = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout);
  if (!match || /Non-2xx/.test(result.stdout)) throw new Error(`wrk: ${result.stdout}${result.stderr}`);
  return Number(match[1]);
}

const server = await startBenchServer({ database: 'embedded', env: { LOG_LEVEL: 'info' } });
// In a process of its own: wrk runs synchronously here.
const bare = spawn(
  process.execPath,
  ['-e', `require('http').createServer((q, s) => { s.setHeader('content-type', 'application/json; charset=utf-8'); s.end('{"status":"ok"}'); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); })`],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const [portLine] = (await once(bare.stdout!, 'data')) as [Buffer];
const barePort = Number(portLine.toString().trim());
try {
  const module: number[] = [];
  const reference: number[] = [];
  for (let round = 0; round < 2; round++) {
    module.push(wrk(`${server.url}/healthz`));
    reference.push(wrk(`http://127.0.0.1:${barePort}/`));
  }
  const best = (v: number[]) => Math.max(...v);
  report('/healthz (LOG_LEVEL=info, as npm start runs)', [
    { name: '/healthz requests per second (wrk, 32 connections)', measured: perSecond(best(module)), reference: `bare Node ${perSecond(best(reference))}`, ratio: best(module) / best(reference), target: '≥ 10,000/s', met: best(module) >= 10_000 },
  ]);
} finally {
  bare.kill();
  await server.stop();
}
