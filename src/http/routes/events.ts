// Server-sent events: web clients see issue changes as they happen. Staff see all issues; an
// employee sees only the issues of their own card.
import type { App } from '../app.ts';
import { actor, ANY_USER } from '../access.ts';
import { problems } from '../schemas.ts';
import type { IssueNotification } from '../../services/issue-notifications.ts';

const HEARTBEAT_MS = 25_000;

export function eventRoutes(app: App): void {
  /** Open streams, ended when the server closes: they never end by themselves, and closing waits for them. */
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get(
    '/events',
    {
      config: { access: ANY_USER },
      schema: {
        operationId: 'streamIssueEvents',
        tags: ['issues'],
        summary: 'Server-sent events about issues (text/event-stream)',
        response: {
          200: { description: 'event: issue.statusChanged | issue.changed | issue.created | issue.deleted | issue.certificateAttached; data: JSON', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...problems(401, 403),
        },
      },
    },
    async (request, reply) => {
      const who = actor(request);
      const visible = (n: IssueNotification) => who.role !== 'employee' || (who.employeeId !== null && n.employeeId === who.employeeId);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      out.write(': connected\n\n');
      const unsubscribe = app.ctx.services.issues.notifications.subscribe((notification) => {
        if (visible(notification)) out.write(`event: ${notification.type}\ndata: ${JSON.stringify(notification)}\n\n`);
      });
      const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        close();
        out.end();
      };
      streams.add(end);
      request.raw.once('close', close);
    },
  );
}
