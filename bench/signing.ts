// Signing flows through the module against the same flow driven directly against the cloud
// sandbox (what a client of Kontur's Crypto API would do without the module), one after another
// for --seconds each, in turns, on the embedded database and on PostgreSQL. One flow: a 2 KiB
// document in, the SMS code read from the sandbox's outbox, the code confirmed, the signature out.
// The direct flow asks GetStatus every 20 ms after the code (a client tuned for the sandbox).
// Target: the module ≥ 0.8× the direct flow, on both databases.
//
//   npm run bench:signing [-- --seconds 15]
import { createHash, randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { startBenchServer, type DatabaseKind } from './support/server.ts';
import { send } from './support/load.ts';
import { prepare, signingLoad, type Prepared } from './support/workload.ts';
import { ms, report, type ResultRow } from './support/report.ts';
import { SANDBOX_CLOUD_CLIENT_THUMBPRINT } from '../src/domain/sandbox-defaults.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' } } });
const seconds = Number(values.seconds);

/** One flow straight against /sandbox/cloud/v3: its duration in ms. */
async function directFlow(url: string, agent: Agent, prepared: Prepared): Promise<number> {
  const started = performance.now();
  const cloud = (path: string, query: Record<string, string>) => `/sandbox/cloud/v3/${path}?${new URLSearchParams({ certificate: SANDBOX_CLOUD_CLIENT_THUMBPRINT, ...query })}`;
  const call = async (method: string, path: string, body?: Buffer | string, contentType = 'application/json') => {
    const answer = await send(url, agent, { method, path, headers: body === undefined ? {} : { 'content-type': contentType }, body });
    if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return answer.body;
  };
  const content = randomBytes(2048);
  const md5 = createHash('md5').update(content).digest('hex');
  const { FileId } = JSON.parse(await call('POST', cloud('CreateFile', { md5, length: String(content.length), fileName: 'bench.bin' })));
  await call('POST', cloud('UploadChunk', { fileId: FileId, offset: '0' }), content, 'application/octet-stream');
  const { OperationId } = JSON.parse(await call('POST', cloud('Sign', {}), JSON.stringify({ Thumbprint: prepared.signer.thumbprint, FileIds: [FileId], ConfirmMessage: { Template: 0 }, SignType: 0 })));
  const sms = await send(url, agent, { method: 'GET', path: `/sandbox/console/sms?phone=${encodeURIComponent(prepared.signer.phone)}`, headers: { authorization: `Bearer ${prepared.admin}` } });
  const code = JSON.parse(sms.body).messages[0].code as string;
  await call('POST', cloud('Confirm', { operationId: OperationId, confirmationCode: code }));
  for (;;) {
    const status = JSON.parse(await call('GET', cloud('GetStatus', { operationId: OperationId })));
    if (status.OperationStatus === 2) {
      const file = status.FileStatuses[0];
      await call('GET', cloud('GetResult', { resultId: file.ResultId, offset: '0', size: String(file.ResultSize) }));
      break;
    }
    if (![0, 1, 7].includes(status.OperationStatus)) throw new Error(`direct flow ended in status ${status.OperationStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

async function directLoad(url: string, prepared: Prepared): Promise<{ perSecond: number; p50Ms: number }> {
  const agent = new Agent({ keepAlive: true });
  const durations: number[] = [];
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) durations.push(await directFlow(url, agent, prepared));
  agent.destroy();
  durations.sort((a, b) => a - b);
  return { perSecond: durations.length / ((performance.now() - started) / 1000), p50Ms: durations[Math.floor(durations.length / 2)] };
}

const rows: ResultRow[] = [];
for (const database of ['embedded', 'postgres'] as DatabaseKind[]) {
  const server = await startBenchServer({ database });
  try {
    const prepared = await prepare(server.url, 1);
    const module: { perSecond: number; p50Ms: number }[] = [];
    const direct: { perSecond: number; p50Ms: number }[] = [];
    for (let round = 0; round < 2; round++) {
      const ours = await signingLoad(prepared, seconds);
      if (ours.errors.length) throw new Error(`module flow: ${ours.errors.slice(0, 3).join('; ')}`);
      module.push(ours);
      const theirs = await directLoad(server.url, prepared);
      direct.push(theirs);
      process.stdout.write(`${database}, round ${round + 1}: module ${ours.perSecond.toFixed(2)}/s (p50 ${ours.p50Ms.toFixed(0)} ms), direct ${theirs.perSecond.toFixed(2)}/s (p50 ${theirs.p50Ms.toFixed(0)} ms)\n`);
    }
    const mean = (v: { perSecond: number }[]) => v.reduce((a, b) => a + b.perSecond, 0) / v.length;
    const ratio = mean(module) / mean(direct);
    rows.push({
      name: `${database}: signing flows, module / direct`,
      measured: `${mean(module).toFixed(2)}/s (p50 ${ms(module.at(-1)!.p50Ms)})`,
      reference: `${mean(direct).toFixed(2)}/s (p50 ${ms(direct.at(-1)!.p50Ms)})`,
      ratio,
      target: '≥ 0.8×',
      met: ratio >= 0.8,
    });
  } finally {
    await server.stop();
  }
}
report('Signing flows through the module against the direct flow', rows);
