// Mounts the mail catcher: its SMTP server (started now, stopped when the host closes) and the
// console's mailbox, /sandbox/console/mail (administrators and the sandbox role; an employee's
// own-SMS access does not reach it).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { guardConsole } from './console-access.ts';
import { MailCatcher } from './mail-catcher.ts';
import type { SandboxContext } from './part.ts';
import { PUBLIC } from './public-route.ts';

const OBJECT = { 200: { type: 'object', additionalProperties: true } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sendConsoleProblem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: `urn:kca:problem:sandbox-${code}`, title: 'Ошибка песочницы', status, detail, instance: request.url.split('?')[0], requestId: request.id });
}

export async function mountMailCatcher(app: FastifyInstance, context: SandboxContext): Promise<{ host: string; port: number }> {
  const logger = context.logger.child({ sandboxPart: 'mail' });
  const catcher = new MailCatcher(context.db, logger);
  const { smtpHost, smtpPort } = context.config;
  let address = { host: smtpHost, port: smtpPort };
  try {
    address = await catcher.start(smtpHost, smtpPort);
    logger.info({ smtp: `${address.host}:${address.port}` }, 'sandbox mail catcher listening');
  } catch (error) {
    // A fixed port another process of this installation holds: that one catches the mail (same mailbox table).
    logger.warn({ err: error, smtp: `${smtpHost}:${smtpPort}` }, 'the sandbox mail catcher could not listen; mail to this address goes to whoever holds the port');
  }
  app.addHook('onClose', async () => catcher.stop());

  await app.register(
    async (console) => {
      console.setErrorHandler((error: FastifyError, request, reply) => {
        const status = error.statusCode ?? 500;
        if (status >= 500) request.log.error({ err: error }, 'sandbox console error');
        return sendConsoleProblem(request, reply, status, String(error.code ?? 'error'), status >= 500 ? 'Внутренняя ошибка песочницы' : error.message);
      });
      guardConsole(console, context.consoleGuard);
      console.get('', { ...PUBLIC, schema: { operationId: 'sandboxConsoleListMail', tags: ['sandbox'], summary: 'The mail catcher: messages received, newest first (query: to, limit)', response: OBJECT } }, async (request) => {
        const query = request.query as { to?: unknown; limit?: unknown };
        const to = typeof query.to === 'string' ? query.to.slice(0, 320) : undefined;
        const limit = typeof query.limit === 'string' && /^\d{1,3}$/.test(query.limit) ? Math.min(200, Math.max(1, Number(query.limit))) : 100;
        return { smtp: address, messages: await catcher.list({ to, limit }) };
      });
      console.get('/:id', { ...PUBLIC, schema: { operationId: 'sandboxConsoleGetMail', tags: ['sandbox'], summary: 'One received message with its text and HTML', response: OBJECT } }, async (request, reply) => {
        const { id } = request.params as { id: string };
        const mail = UUID.test(id) ? await catcher.get(id) : undefined;
        if (!mail) return sendConsoleProblem(request, reply, 404, 'not-found', 'Письмо не найдено');
        const { raw, ...rest } = mail;
        return { ...rest, size: raw.length };
      });
    },
    { prefix: '/sandbox/console/mail' },
  );
  return address;
}
