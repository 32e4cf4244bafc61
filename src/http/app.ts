// The HTTP front: Fastify with TypeBox schemas, problem+json errors, access control on
// every route, OpenAPI generated from the route schemas, metrics and security headers.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { Database } from '../store/db.ts';
import type { BlobStore } from '../store/blobs.ts';
import type { Services } from '../services/container.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { registerAccessControl, type Access } from './access.ts';
import { registerOriginCheck } from './origin-check.ts';
import { clientErrorHandler, errorHandler, frameworkErrorHandler, problem, ProblemSchema, sendProblem } from './problem.ts';
import { registerCertificateMetrics, registerRequestMetrics } from './metrics.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { RequestLog } from './logging.ts';
import { refuseInfiniteNumbers } from './finite-numbers.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { userRoutes } from './routes/users.ts';
import { settingsRoutes } from './routes/settings.ts';
import { certificateRoutes } from './routes/certificates.ts';
import { employeeRoutes } from './routes/employees.ts';
import { auditRoutes } from './routes/audit.ts';
import { registerAuditTrail } from './audit-trail.ts';
import { webRoutes } from './routes/web.ts';
import { registerSandbox } from './routes/sandbox.ts';
import { issueRoutes } from './routes/issues.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { eventRoutes } from './routes/events.ts';
import { documentRoutes } from './routes/documents.ts';
import { signingRoutes } from './routes/signing.ts';
import { certificateFormRoutes } from './routes/certificate-forms.ts';
import { selfServiceRoutes } from './routes/self-service.ts';
import { mailRoutes } from './routes/mail.ts';
import { certificateLifecycleRoutes } from './routes/certificate-lifecycle.ts';

export interface AppContext {
  config: Config;
  database: Database;
  blobs: BlobStore;
  services: Services;
  jobs: JobQueue;
  metrics: Registry;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** JSON bodies are small; routes that take files raise their own limit. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface BuiltApp {
  app: App;
  /** Every route with who may call it, for the access tests and the docs. */
  routes: { method: string; url: string; access: Access }[];
}

export async function buildHttpApp(ctx: AppContext, logger: Logger): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: logger,
    // Fastify logs two lines at info for every request; see RequestLog for what is logged instead.
    logController: new RequestLog(),
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestIdHeader: false,
    // Behind a proxy (TRUST_PROXY): the client's address, scheme (the cookie's Secure, the origin check) and host.
    // (Fastify takes a number of hops too, which its types leave out.)
    trustProxy: ctx.config.trustProxy as boolean | string[],
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.-]{8,128}$/.test(incoming) ? incoming : randomUUID();
    },
    // Fastify's own refusals (bad URL encoding, a too long parameter, unreadable HTTP) as problem+json.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.decorate('ctx', ctx);
  app.addSchema(ProblemSchema);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, problem(404, 'not-found', `Нет такого адреса: ${request.method} ${request.url.split('?')[0]}`)));
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  registerSecurityHeaders(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kontur CA Bridge API',
        version: '1',
        description:
          'Certificate issuance at the Kontur CA, cloud signing with SMS confirmation, certificate forms at Kontur Реестро and the employee directory. ' +
          'Authenticate with POST /api/v1/auth/token, then send Authorization: Bearer <token>. Errors are application/problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'kca_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const routes: BuiltApp['routes'] = [];
  registerOriginCheck(app, ctx.config.allowedOrigins);
  registerAccessControl(app, ctx.services.auth, routes);
  registerRequestMetrics(app, ctx.metrics);
  registerCertificateMetrics(ctx.metrics, ctx.services.certificateInventory);
  registerAuditTrail(app, ctx.services.audit);

  app.get(
    '/api/openapi.json',
    { config: { access: 'public' }, schema: { hide: true } },
    async () => app.swagger(),
  );
  healthRoutes(app);
  await app.register(
    async (api) => {
      const scoped = api as unknown as App;
      refuseInfiniteNumbers(api);
      authRoutes(scoped);
      userRoutes(scoped);
      settingsRoutes(scoped);
      certificateRoutes(scoped);
      employeeRoutes(scoped);
      auditRoutes(scoped);
      issueRoutes(scoped);
      webhookRoutes(scoped);
      eventRoutes(scoped);
      documentRoutes(scoped);
      signingRoutes(scoped);
      certificateFormRoutes(scoped);
      selfServiceRoutes(scoped);
      mailRoutes(scoped);
      certificateLifecycleRoutes(scoped);
    },
    { prefix: '/api/v1' },
  );
  await registerSandbox(app, ctx, logger);
  // The web client and its single-page fallback (its `/*` only gets paths no other route matches).
  await app.register(async (web) => webRoutes(web as unknown as App));
  return { app, routes };
}
