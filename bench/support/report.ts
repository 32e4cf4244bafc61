// What a benchmark found, one row per target: the figure, its reference measured in the same run,
// the ratio where the target is one, and whether the target is met. Each benchmark prints its
// rows as a table and, on one line starting with BENCH-RESULTS, as JSON for `npm run bench`
// (bench/all.ts), which prints every benchmark's rows in one table.
import { cpus } from 'node:os';

export interface ResultRow {
  /** What is measured, e.g. "GET of an issue (module / sandbox)". */
  name: string;
  /** The figure, formatted with its unit. */
  measured: string;
  /** The reference from the same run, formatted (or "—"). */
  reference: string;
  /** measured / reference where the target is a ratio. */
  ratio?: number;
  /** The target as written in the issue, e.g. "≥ 0.8×". */
  target: string;
  met: boolean;
}

export function machine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
}

export function table(rows: ResultRow[]): string {
  const cells = rows.map((r) => [r.name, r.measured, r.reference, r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`, r.target, r.met ? 'met' : 'NOT MET']);
  const header = ['target', 'measured', 'reference (same run)', 'ratio', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function report(title: string, rows: ResultRow[]): void {
  process.stdout.write(`\n${title} (${machine()})\n${table(rows)}\n`);
  process.stdout.write(`BENCH-RESULTS ${JSON.stringify({ title, rows })}\n`);
}

export const mib = (value: number) => `${value.toFixed(0)} MiB`;
export const perSecond = (value: number) => `${value.toFixed(0)}/s`;
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
