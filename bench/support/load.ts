// An HTTP load from this process: `concurrency` loops, each sending its next request when the
// previous answer is in, over keep-alive connections, for a number of seconds. Reports
// requests per second and latency percentiles; a non-2xx answer counts as an error.
import { Agent, request as httpRequest } from 'node:http';

export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  /** The first error answers (status and the start of the body), to see what went wrong. */
  samples: string[];
}

export function send(url: string, agent: Agent, request: LoadRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url + request.path, { method: request.method, agent, headers: request.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `next(i)` gives the i-th request of a loop (loops share nothing but the counter). */
export async function runLoad(url: string, options: { seconds: number; concurrency: number; next: (i: number) => LoadRequest }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const samples: string[] = [];
  let counter = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end) {
        const i = counter++;
        const sent = performance.now();
        try {
          const answer = await send(url, agent, options.next(i));
          if (answer.status >= 300) {
            errors++;
            if (samples.length < 3) samples.push(`${answer.status} ${answer.body.slice(0, 200)}`);
          }
        } catch (error) {
          errors++;
          if (samples.length < 3) samples.push(String(error));
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds, perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), samples };
}
