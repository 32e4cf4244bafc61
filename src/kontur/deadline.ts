// One deadline per operation. A service operation that calls Kontur (an issue method, starting
// or confirming a signature, a finishing pass, a poll of the event feed) opens a deadline; every
// call it makes — each attempt, each pause between attempts, each wait for an issue to be
// actualized — ends by then, and the socket of a call still running is closed when it passes.
// The deadline travels with the operation's asynchronous context (AsyncLocalStorage) from the
// operation down to the transport, which hands its AbortSignal to the socket; the clients in
// between need no extra parameter on each of their methods. A deadline opened inside another
// keeps the earlier end of the two.
import { AsyncLocalStorage } from 'node:async_hooks';

export class Deadline {
  private constructor(
    /** Epoch milliseconds. */
    readonly at: number,
    /** Aborted when the deadline passes (or the outer work is cancelled). */
    readonly signal: AbortSignal,
  ) {}

  /** A deadline `ms` from now; with `outer`, whichever ends first, and aborted with it. */
  static after(ms: number, outer?: Deadline | AbortSignal): Deadline {
    const own = AbortSignal.timeout(Math.max(0, ms));
    if (!outer) return new Deadline(Date.now() + ms, own);
    if (outer instanceof Deadline) return new Deadline(Math.min(outer.at, Date.now() + ms), AbortSignal.any([own, outer.signal]));
    return new Deadline(Date.now() + ms, AbortSignal.any([own, outer]));
  }

  remainingMs(): number {
    return this.signal.aborted ? 0 : Math.max(0, this.at - Date.now());
  }

  get passed(): boolean {
    return this.remainingMs() <= 0;
  }
}

const scope = new AsyncLocalStorage<Deadline>();

/** Runs `work` under a deadline `ms` from now (or the enclosing one, when that ends sooner). */
export function withDeadline<T>(ms: number, work: () => Promise<T>, cancel?: AbortSignal): Promise<T> {
  const outer = scope.getStore();
  let deadline = Deadline.after(ms, outer);
  if (cancel) deadline = Deadline.after(deadline.remainingMs(), AbortSignal.any([deadline.signal, cancel]));
  return scope.run(deadline, work);
}

/** The deadline of the operation this code runs in, if any. */
export function currentDeadline(): Deadline | undefined {
  return scope.getStore();
}

/** Waits `ms`, or less when the deadline passes first (resolves either way). */
export function pause(ms: number, deadline = currentDeadline()): Promise<void> {
  const wait = deadline ? Math.min(ms, deadline.remainingMs()) : ms;
  if (wait <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, wait);
    const onAbort = () => done();
    deadline?.signal.addEventListener('abort', onAbort, { once: true });
    function done() {
      clearTimeout(timer);
      deadline?.signal.removeEventListener('abort', onAbort);
      resolve();
    }
  });
}
