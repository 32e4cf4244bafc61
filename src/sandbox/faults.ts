// Fault injection for the KCR sandbox (PUT /sandbox/console/faults): extra latency, 503
// answers before any work is done, and "timeouts" where the work IS done but the answer is
// held back until the client gives up — the case that makes retries dangerous. Kept in
// memory of the process: a restart clears faults, which is what a developer expects.
import { randomInt } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export interface FaultSettings {
  latencyMs: number;
  errorRate: number;
  timeoutRate: number;
}

export const NO_FAULTS: FaultSettings = { latencyMs: 0, errorRate: 0, timeoutRate: 0 };

/** How long a "timed out" answer is held back before it is sent anyway. */
export const HELD_ANSWER_MS = 120_000;

export type FaultDecision = 'none' | 'error' | 'timeout';

export class FaultInjector {
  private settings: FaultSettings = { ...NO_FAULTS };
  private counts = { requests: 0, errors: 0, timeouts: 0 };
  /** Requests per API method (route name) since the settings were last set. */
  private byMethod: Record<string, number> = {};

  get current(): FaultSettings & { injected: { requests: number; errors: number; timeouts: number }; requestsByMethod: Record<string, number> } {
    return { ...this.settings, injected: { ...this.counts }, requestsByMethod: { ...this.byMethod } };
  }

  set(settings: FaultSettings): void {
    this.settings = { ...settings };
    this.counts = { requests: 0, errors: 0, timeouts: 0 };
    this.byMethod = {};
  }

  /** Decides the fate of one request; `method` (e.g. "Confirm") is counted for the console. */
  decide(method?: string): FaultDecision {
    this.counts.requests++;
    if (method) this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    const roll = randomInt(1_000_000) / 1_000_000;
    if (roll < this.settings.errorRate) {
      this.counts.errors++;
      return 'error';
    }
    if (roll < this.settings.errorRate + this.settings.timeoutRate) {
      this.counts.timeouts++;
      return 'timeout';
    }
    return 'none';
  }

  latency(): Promise<void> {
    const ms = this.settings.latencyMs;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, randomInt(ms + 1))) : Promise.resolve();
  }
}

/**
 * Answers held back by a "timeout" fault: the work is done, but the answer waits until the
 * client has given up (its socket closes), HELD_ANSWER_MS pass, or the server closes.
 */
export class HeldAnswers {
  private readonly releases = new Set<() => void>();

  hold(request: FastifyRequest): Promise<void> {
    return new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(timeout);
        this.releases.delete(release);
        resolve();
      };
      const timeout = setTimeout(release, HELD_ANSWER_MS);
      this.releases.add(release);
      request.raw.socket?.once('close', release);
    });
  }

  /** Sends every held answer now, so that closing the server does not wait for them. */
  releaseAll(): void {
    for (const release of this.releases) release();
  }
}
