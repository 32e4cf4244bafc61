// Runs the `kca` command as a real child process, as a user or an init system would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const KCA = ['bin/kca.js'];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface KcaProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `entry` is the script that runs `kca` (bin/kca.js by default; a bundle such as dist/server/kca.mjs). */
export function startKca(args: string[], env: Record<string, string>, entry: string[] = KCA): KcaProcess {
  const child = spawn(process.execPath, [...entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function runKca(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const process = startKca(args, env);
  const timer = setTimeout(() => process.child.kill('SIGKILL'), timeoutMs);
  const code = await process.exited;
  clearTimeout(timer);
  return { code, output: process.output() };
}

/** Polls /healthz every `intervalMs` (benchmarks poll often to time a start). */
export async function waitForHealthy(url: string, timeoutMs = 60_000, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
}
