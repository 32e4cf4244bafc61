// The directory at 10,000 employees: a CSV import of 10,000 rows, the first page against the
// last page (reached by the keyset cursor when the API gives one, by offset otherwise), and
// searches for parts of names. On the embedded database and on PostgreSQL. Targets: the last
// page within 1.5× of the first; search p50 ≤ 20 ms on PostgreSQL; the import ≤ 5 s.
//
//   npm run bench:lists [-- --employees 10000 --seconds 10]
import { parseArgs } from 'node:util';
import { Agent } from 'node:http';
import { startBenchServer, ADMIN_PASSWORD, type DatabaseKind } from './support/server.ts';
import { runLoad, send } from './support/load.ts';
import { ms, perSecond, report, type ResultRow } from './support/report.ts';
import { validInn, validSnils } from '../test/issuance/helpers.ts';

const { values } = parseArgs({ options: { employees: { type: 'string', default: '10000' }, seconds: { type: 'string', default: '10' } } });
const count = Number(values.employees);
const seconds = Number(values.seconds);
const PAGE = 20;
const LAST_NAMES = ['Иванов', 'Петров', 'Сидоров', 'Кузнецов', 'Смирнов', 'Попов', 'Васильев', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов'];
const FIRST_NAMES = ['Иван', 'Пётр', 'Сергей', 'Андрей', 'Алексей', 'Дмитрий', 'Михаил', 'Николай', 'Павел', 'Олег'];
const SEARCHES = ['Иванов', 'петр', 'Сергей Волков', 'Кузнец', 'олег', 'Семёнова', 'Морозов Андрей', 'дмитр'];

function csv(): string {
  const rows = ['Фамилия;Имя;Отчество;Мобильный телефон;ИНН;СНИЛС;Должность'];
  for (let i = 0; i < count; i++) {
    const phone = `+79${String(100_000_000 + i).slice(1).padStart(9, '0')}`;
    rows.push([LAST_NAMES[i % LAST_NAMES.length], FIRST_NAMES[(i * 7) % FIRST_NAMES.length], 'Тестович', phone, validInn(), validSnils(), `Специалист ${i % 40}`].join(';'));
  }
  return rows.join('\n');
}

async function measure(database: DatabaseKind): Promise<{ importMs: number; first: number; last: number; lastHow: string; searchP50: number }> {
  const server = await startBenchServer({ database });
  const agent = new Agent({ keepAlive: true });
  try {
    const login = await send(server.url, agent, { method: 'POST', path: '/api/v1/auth/token', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const headers = { authorization: `Bearer ${JSON.parse(login.body).token}` };
    const body = csv();
    const started = performance.now();
    const imported = await send(server.url, agent, { method: 'POST', path: '/api/v1/employees/import', headers: { ...headers, 'content-type': 'text/csv' }, body });
    const importMs = performance.now() - started;
    const report = JSON.parse(imported.body);
    if (imported.status !== 200 || report.created !== count) throw new Error(`import: ${imported.status} ${imported.body.slice(0, 300)}`);

    // The last page: by the cursors the API hands out, else by offset.
    const firstPage = JSON.parse((await send(server.url, agent, { method: 'GET', path: `/api/v1/employees?limit=${PAGE}`, headers })).body);
    let lastPath = `/api/v1/employees?limit=${PAGE}&offset=${count - PAGE}`;
    let lastHow = 'offset';
    if ('nextCursor' in firstPage) {
      let cursor: string | null = firstPage.nextCursor;
      let previous = '';
      while (cursor) {
        previous = `/api/v1/employees?limit=${PAGE}&after=${encodeURIComponent(cursor)}`;
        cursor = JSON.parse((await send(server.url, agent, { method: 'GET', path: previous, headers })).body).nextCursor;
      }
      lastPath = previous;
      lastHow = 'cursor';
    }
    const rounds = { first: [] as number[], last: [] as number[] };
    for (let round = 0; round < 2; round++) {
      rounds.first.push((await runLoad(server.url, { seconds: seconds / 2, concurrency: 4, next: () => ({ method: 'GET', path: `/api/v1/employees?limit=${PAGE}`, headers }) })).perSecond);
      rounds.last.push((await runLoad(server.url, { seconds: seconds / 2, concurrency: 4, next: () => ({ method: 'GET', path: lastPath, headers }) })).perSecond);
    }
    const search = await runLoad(server.url, { seconds, concurrency: 1, next: (i) => ({ method: 'GET', path: `/api/v1/employees?limit=${PAGE}&query=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}`, headers }) });
    if (search.errors) throw new Error(`search: ${search.samples.join('; ')}`);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    return { importMs, first: mean(rounds.first), last: mean(rounds.last), lastHow, searchP50: search.p50Ms };
  } finally {
    agent.destroy();
    await server.stop();
  }
}

const rows: ResultRow[] = [];
for (const database of ['embedded', 'postgres'] as DatabaseKind[]) {
  const m = await measure(database);
  process.stdout.write(`${database}: import ${ms(m.importMs)}, first page ${perSecond(m.first)}, last page (${m.lastHow}) ${perSecond(m.last)}, search p50 ${ms(m.searchP50)}\n`);
  rows.push(
    { name: `${database}: last page / first page at ${count} (req/s, by ${m.lastHow})`, measured: perSecond(m.last), reference: perSecond(m.first), ratio: m.first / m.last, target: '≤ 1.5× slower', met: m.first / m.last <= 1.5 },
    { name: `${database}: search p50 at ${count}`, measured: ms(m.searchP50), reference: '—', target: database === 'postgres' ? '≤ 20 ms' : '(PostgreSQL only)', met: database !== 'postgres' || m.searchP50 <= 20 },
    { name: `${database}: CSV import of ${count} rows`, measured: ms(m.importMs), reference: '—', target: '≤ 5 s', met: m.importMs <= 5000 },
  );
}
report(`The directory at ${count} employees`, rows);
