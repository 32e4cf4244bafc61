// Mounts the built-in Kontur sandbox into the bridge when this installation has one (see
// sandbox-host.ts). Its console is open to anyone while the settings point at the sandbox (a
// development setup) and admin-only as soon as they point at a real Kontur.
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { App, AppContext } from '../app.ts';
import { loadSandbox } from '../../sandbox-host.ts';
import { ForbiddenError, UnauthorizedError } from '../../services/errors.ts';

export async function registerSandbox(app: App, ctx: AppContext, logger: Logger): Promise<void> {
  const sandbox = await loadSandbox();
  if (!sandbox) {
    logger.info('the built-in sandbox is not installed (no src/sandbox): the settings must point at Kontur');
    return;
  }
  const consoleGuard = async (request: FastifyRequest) => {
    if ((await ctx.services.settings.view()).sandboxMode) return;
    if (!request.principal) throw new UnauthorizedError('Консоль песочницы доступна только администратору: войдите в систему');
    if (request.principal.user.role !== 'admin') throw new ForbiddenError('Консоль песочницы доступна только администратору, пока настройки указывают на настоящий Контур');
  };
  await sandbox.mountSandbox(app as unknown as Parameters<typeof sandbox.mountSandbox>[0], {
    pool: ctx.database.pool,
    dataDir: ctx.config.dataDir,
    masterKey: ctx.config.masterKey,
    logger: logger.child({ component: 'sandbox' }),
    consoleGuard,
    env: ctx.config.sandboxEnv,
  });
}
