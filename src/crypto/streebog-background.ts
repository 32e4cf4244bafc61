// Streebog hashing on a second core: a shared worker thread (entry streebog-thread.ts, or
// streebog-thread.mjs next to a bundle) absorbs the bytes of an upload while the main thread
// parses HTTP and writes the file. Bytes are copied into 256 KiB batches and handed over
// (transferred, not cloned) and come back empty to be filled again, so hashing allocates
// nothing per byte; `update` returns a promise only when more than MAX_IN_FLIGHT_BYTES
// wait for the worker, so a stream that awaits it keeps memory flat whatever the file's size.
//
// When the worker cannot start (no tsx for a .ts entry, a missing bundle file, a runtime
// without worker threads), hashing falls back to the synchronous in-thread Streebog; the
// reason is reported once through the `onFallback` given at the first call.
import { Worker } from 'node:worker_threads';
import { Streebog, type StreebogAlgorithm } from './streebog.ts';
import type { StreebogThreadAnswer, StreebogThreadRequest } from './streebog-thread.ts';

/** An incremental hasher whose `update` may ask the caller to wait (backpressure). */
export interface BackgroundHasher {
  /** 'worker' when the bytes are hashed on the worker thread, 'in-thread' after a fallback. */
  readonly where: 'worker' | 'in-thread';
  /** Takes a copy of the bytes; a returned promise means "wait before sending more". */
  update(chunk: Uint8Array): Promise<void> | undefined;
  digest(): Promise<Uint8Array>;
  /** Forgets the job (the upload failed); safe after digest(). */
  abort(): void;
}

export type FallbackReporter = (reason: string) => void;

// A batch takes the worker ~3 ms; a few of them in flight keep it busy, and every byte of
// buffering here is resident memory of the server (bench/sign.ts measures both).
const BATCH_BYTES = 256 * 1024;
/** Above this many bytes waiting for the worker, `update` returns a promise. */
export const MAX_IN_FLIGHT_BYTES = 2 * 1024 * 1024;
/** Buffers kept for reuse: enough for the in-flight limit of one upload and a few more. */
const SPARE_BATCHES = MAX_IN_FLIGHT_BYTES / BATCH_BYTES + 4;
/** How long the worker may take to load before hashing falls back to the main thread. */
const START_TIMEOUT_MS = 15_000;

interface Job {
  inFlight: number;
  waiters: (() => void)[];
  finished?: { resolve(digest: Uint8Array): void; reject(error: Error): void };
  failure?: Error;
}

/** Where the worker entry is: the .ts source under tsx, the .mjs file next to a bundle. */
function threadEntry(): { url: URL; typescript: boolean } {
  const typescript = import.meta.url.endsWith('.ts');
  return { url: new URL(typescript ? './streebog-thread.ts' : './streebog-thread.mjs', import.meta.url), typescript };
}

/** The worker only moves bytes through WebAssembly: a small heap is plenty (and keeps RSS down). */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 96 };

function startWorker(): Worker {
  const { url, typescript } = threadEntry();
  if (!typescript) return new Worker(url, { execArgv: [], resourceLimits: RESOURCE_LIMITS });
  // A worker does not inherit loader hooks registered with tsx's register() (bin/kca.js), and
  // `--import tsx` in a worker's execArgv does not reach its entry on Node 20; so the worker
  // registers tsx itself, then imports the TypeScript entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [], resourceLimits: RESOURCE_LIMITS });
}

class StreebogThread {
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;
  private stopping = false;
  /** Empty batch buffers returned by the worker, reused for the next batches. */
  private readonly spare: ArrayBuffer[] = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: StreebogThreadAnswer) => this.receive(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`the Streebog worker thread exited (code ${code})`)));
  }

  /** Starts the worker and waits until its modules are loaded. */
  static start(): Promise<StreebogThread> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = startWorker();
      } catch (error) {
        return reject(error);
      }
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`the worker did not load within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', settle);
        worker.off('exit', onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else {
          // The worker must not keep the process alive on its own.
          worker.unref();
          resolve(new StreebogThread(worker));
        }
      };
      const onMessage = (message: StreebogThreadAnswer) => message.type === 'ready' && settle();
      const onExit = (code: number) => settle(new Error(`the worker exited while loading (code ${code})`));
      worker.on('message', onMessage);
      worker.on('error', settle);
      worker.on('exit', onExit);
    });
  }

  /** Ends the worker (server shutdown); jobs still running fail. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const [id, job] of this.jobs) this.fail(id, job, new Error('the Streebog worker thread was stopped'));
    await this.worker.terminate();
  }

  private send(message: StreebogThreadRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  hasher(algorithm: StreebogAlgorithm): BackgroundHasher {
    const id = this.nextJob++;
    const job: Job = { inFlight: 0, waiters: [] };
    this.jobs.set(id, job);
    this.send({ type: 'start', job: id, algorithm });
    const newBatch = () => new Uint8Array(this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
    let batch = newBatch();
    let filled = 0;
    const flush = () => {
      if (filled === 0) return;
      const bytes = batch.subarray(0, filled);
      job.inFlight += filled;
      this.send({ type: 'data', job: id, bytes }, [batch.buffer as ArrayBuffer]);
      batch = newBatch();
      filled = 0;
    };
    let done = false;
    return {
      where: 'worker',
      update: (chunk) => {
        if (done) throw new Error('Streebog: update() after digest()');
        if (job.failure) return Promise.reject(job.failure);
        for (let offset = 0; offset < chunk.length; ) {
          const take = Math.min(BATCH_BYTES - filled, chunk.length - offset);
          batch.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === BATCH_BYTES) flush();
        }
        if (job.inFlight <= MAX_IN_FLIGHT_BYTES) return undefined;
        return new Promise<void>((resolve) => job.waiters.push(resolve)).then(() => {
          if (job.failure) throw job.failure;
        });
      },
      digest: () => {
        if (done) return Promise.reject(new Error('Streebog: digest() called twice'));
        done = true;
        if (job.failure) return Promise.reject(job.failure);
        flush();
        return new Promise<Uint8Array>((resolve, reject) => {
          job.finished = { resolve, reject };
          this.send({ type: 'digest', job: id });
        });
      },
      abort: () => {
        if (!this.jobs.delete(id)) return;
        done = true;
        this.send({ type: 'abort', job: id });
        for (const wake of job.waiters.splice(0)) wake();
      },
    };
  }

  private receive(message: StreebogThreadAnswer): void {
    if (message.type === 'ready') return;
    if (message.type === 'consumed' && this.spare.length < SPARE_BATCHES) this.spare.push(message.buffer);
    const job = this.jobs.get(message.job);
    if (!job) return;
    if (message.type === 'consumed') {
      job.inFlight -= message.bytes;
      if (job.inFlight <= MAX_IN_FLIGHT_BYTES) for (const wake of job.waiters.splice(0)) wake();
    } else if (message.type === 'digest') {
      this.jobs.delete(message.job);
      job.finished?.resolve(message.digest);
    } else {
      this.fail(message.job, job, new Error(`Streebog worker: ${message.message}`));
    }
  }

  private fail(id: number, job: Job, error: Error): void {
    this.jobs.delete(id);
    job.failure = error;
    for (const wake of job.waiters.splice(0)) wake();
    job.finished?.reject(error);
  }

  private failAll(error: Error): void {
    if (this.stopping) return;
    broken = error;
    for (const [id, job] of this.jobs) this.fail(id, job, error);
  }
}

/** The in-thread hasher behind the same interface (fallback). */
function inThreadHasher(algorithm: StreebogAlgorithm): BackgroundHasher {
  const hasher = new Streebog(algorithm);
  return {
    where: 'in-thread',
    update(chunk) {
      hasher.update(chunk);
      return undefined;
    },
    async digest() {
      return hasher.digest();
    },
    abort() {},
  };
}

let thread: Promise<StreebogThread | undefined> | undefined;
/** Set when the worker died after starting: later uploads hash in-thread. */
let broken: Error | undefined;
let brokenReported = false;

/**
 * A hasher for a stream of bytes, running on the shared worker thread (started on first use),
 * or in this thread when the worker cannot start (reported once through `onFallback`).
 */
export async function backgroundStreebog(algorithm: StreebogAlgorithm = 'streebog256', onFallback?: FallbackReporter): Promise<BackgroundHasher> {
  thread ??= StreebogThread.start().catch((error: Error) => {
    onFallback?.(`Streebog hashing stays on the main thread: the worker thread did not start (${error.message})`);
    return undefined;
  });
  const running = await thread;
  if (running && broken && !brokenReported) {
    brokenReported = true;
    onFallback?.(`Streebog hashing moved back to the main thread: ${broken.message}`);
  }
  if (!running || broken) return inThreadHasher(algorithm);
  return running.hasher(algorithm);
}

/**
 * Stops the worker thread (on server shutdown: a worker that registered tsx's loader can keep
 * the process from exiting). A later call of backgroundStreebog starts a new one.
 */
export async function stopBackgroundStreebog(): Promise<void> {
  const running = thread;
  thread = undefined;
  broken = undefined;
  brokenReported = false;
  await (await running)?.stop();
}
