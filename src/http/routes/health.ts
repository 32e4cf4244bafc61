import { Type } from 'typebox';
import type { App } from '../app.ts';

export function healthRoutes(app: App): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { operationId: 'getHealth', tags: ['service'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getReadiness',
        tags: ['service'],
        summary: 'The database answers',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String(), detail: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await app.ctx.database.ping();
        return { status: 'ready' as const, database: app.ctx.database.kind };
      } catch (error) {
        return reply.code(503).send({ status: 'unavailable' as const, database: app.ctx.database.kind, detail: (error as Error).message });
      }
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { operationId: 'getMetrics', tags: ['service'], summary: 'Prometheus metrics', produces: ['text/plain'], response: { 200: Type.String() } },
    },
    async (_request, reply) => {
      reply.type(app.ctx.metrics.contentType);
      return app.ctx.metrics.metrics();
    },
  );
}
