// Prometheus metrics at /metrics: process metrics plus request counts and durations by route,
// and the requests a limit refused (429), by limit.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CERTIFICATE_STATES, type CertificateInventory } from '../services/certificate-inventory.ts';
import { TooManyRequestsError } from '../services/errors.ts';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kca_' });
  return registry;
}

export function registerRequestMetrics(app: FastifyInstance, registry: Registry): void {
  const requests = new Counter({
    name: 'kca_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'kca_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'kca_limit_refusals_total',
    help: 'Requests refused with 429 by a limit: sign-open-per-signer, sign-open-per-document, sign-per-hour-per-signer, sign-per-hour-per-document, statement-codes-per-hour, sign-in-failures, sign-in-rate (per address), kontur (Kontur asked to wait)',
    labelNames: ['limit'],
    registers: [registry],
  });
  app.addHook('onError', async (_request, _reply, error) => {
    if (error instanceof TooManyRequestsError) refusals.inc({ limit: error.limit === 'other' ? 'kontur' : error.limit });
    else if ((error as { statusCode?: number }).statusCode === 429) refusals.inc({ limit: 'sign-in-rate' });
  });
  // Callback style: an async hook costs a promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the URL, so ids do not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });
}

/** Certificates by state and the days to the nearest expiry, read from the database at each scrape. */
export function registerCertificateMetrics(registry: Registry, inventory: CertificateInventory): void {
  let pending: ReturnType<CertificateInventory['summary']> | undefined;
  // One query per scrape for both gauges.
  const summary = () => (pending ??= inventory.summary().finally(() => setTimeout(() => (pending = undefined), 0)));
  new Gauge({
    name: 'kca_certificates',
    help: 'Certificates in employee cards by state (valid, expiring within 30 days, expired, revoked)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const { byState } = await summary();
      for (const state of CERTIFICATE_STATES) this.set({ state }, byState[state]);
    },
  });
  new Gauge({
    name: 'kca_certificate_nearest_expiry_days',
    help: 'Days until the nearest end of validity among certificates neither expired nor revoked (absent when there is none)',
    registers: [registry],
    async collect() {
      const { daysToNearestExpiry } = await summary();
      this.reset();
      if (daysToNearestExpiry !== null) this.set(daysToNearestExpiry);
    },
  });
}
