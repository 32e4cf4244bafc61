// The worker-thread side of the background Streebog hasher (streebog-background.ts): keeps one
// incremental hasher per job and acknowledges every batch of bytes it has absorbed, so that the
// sending thread can bound the bytes in flight. Loaded as a Worker entry, never imported.
import { parentPort } from 'node:worker_threads';
import { Streebog, type StreebogAlgorithm } from './streebog.ts';

export type StreebogThreadRequest =
  | { type: 'start'; job: number; algorithm: StreebogAlgorithm }
  | { type: 'data'; job: number; bytes: Uint8Array }
  | { type: 'digest'; job: number }
  | { type: 'abort'; job: number };

export type StreebogThreadAnswer =
  | { type: 'ready'; engine: string }
  /** The batch is absorbed; its buffer comes back (transferred) to be filled again. */
  | { type: 'consumed'; job: number; bytes: number; buffer: ArrayBuffer }
  | { type: 'digest'; job: number; digest: Uint8Array }
  | { type: 'failed'; job: number; message: string };

const port = parentPort;
if (!port) throw new Error('streebog-thread is a worker entry: start it with new Worker()');

const hashers = new Map<number, Streebog>();
const answer = (message: StreebogThreadAnswer, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: StreebogThreadRequest) => {
  try {
    switch (message.type) {
      case 'start':
        hashers.set(message.job, new Streebog(message.algorithm));
        break;
      case 'data': {
        const hasher = hashers.get(message.job);
        if (!hasher) throw new Error(`unknown hashing job ${message.job}`);
        hasher.update(message.bytes);
        const buffer = message.bytes.buffer as ArrayBuffer;
        answer({ type: 'consumed', job: message.job, bytes: message.bytes.byteLength, buffer }, [buffer]);
        break;
      }
      case 'digest': {
        const hasher = hashers.get(message.job);
        if (!hasher) throw new Error(`unknown hashing job ${message.job}`);
        hashers.delete(message.job);
        const digest = hasher.digest();
        answer({ type: 'digest', job: message.job, digest }, [digest.buffer as ArrayBuffer]);
        break;
      }
      case 'abort':
        hashers.delete(message.job);
        break;
    }
  } catch (error) {
    if ('job' in message) {
      hashers.delete(message.job);
      answer({ type: 'failed', job: message.job, message: (error as Error).message });
    }
  }
});

answer({ type: 'ready', engine: new Streebog('streebog256').engine });
