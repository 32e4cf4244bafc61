// `kca check-connection`: the connection check of the settings page on the command line — for
// each Kontur API, DNS, TCP, the TLS handshake (through the GOST TLS tunnel when the settings say
// gost-tunnel), the client certificate or API key, and the answer. Exit code 0 when every step
// passed, 1 otherwise. It reads the settings from the database (with the embedded one, it connects
// to the running server's cluster, or starts it) and runs a tunnel of its own when it needs one.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { openDatabase } from '../store/db.ts';
import { BlobStore } from '../store/blobs.ts';
import { createServices } from '../services/container.ts';
import type { ConnectionCheck } from '../services/connection-check.ts';
import { configOrExit } from './config-or-exit.ts';

const MARKS = { ok: '✓', failed: '✗', skipped: '–' } as const;

export function formatCheck(report: ConnectionCheck): string {
  const lines: string[] = [];
  for (const api of report.apis) {
    lines.push(`${api.title}: ${api.address} (${api.transport === 'gost-tunnel' ? 'ГОСТ-туннель' : 'напрямую'})`);
    for (const step of api.steps) lines.push(`  ${MARKS[step.status]} ${step.title}: ${step.message}${step.ms !== undefined ? ` [${step.ms} мс]` : ''}`);
  }
  lines.push(report.ok ? 'Итог: подключение работает' : 'Итог: есть ошибки (отмечены ✗)');
  return `${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' }, api: { type: 'string' } } });
  if (values.api !== undefined && values.api !== 'kcr' && values.api !== 'cloud') {
    process.stderr.write('kca: --api must be kcr or cloud\n');
    return 2;
  }
  const config = configOrExit();
  if (!config) return 2;
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const services = createServices(config, database, new BlobStore(database.db, config.dataDir), logger);
  try {
    const report = await services.connectionCheck.check(values.api as 'kcr' | 'cloud' | undefined);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheck(report));
    return report.ok ? 0 : 1;
  } finally {
    await services.cloudConnections.tunnel.stop();
    await database.close();
  }
}
