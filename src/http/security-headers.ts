// The security headers (helmet) of every answer. helmet's middleware is built once: the Fastify
// plugin (@fastify/helmet 13) builds it anew for every request, re-parsing the CSP directives,
// which cost /healthz two thirds of its throughput.
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

const applySecurityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      frameSrc: ["'self'", 'blob:'],
      objectSrc: ["'self'", 'blob:'],
      // Helmet's default upgrade-insecure-requests makes browsers fetch the web client's
      // scripts over https even when the server is reached over plain http on a LAN
      // address, which leaves the page blank. TLS is the deployment's choice (proxy).
      upgradeInsecureRequests: null,
    },
  },
});

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    applySecurityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
