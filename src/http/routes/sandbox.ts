// Mounts the built-in Kontur sandbox (src/sandbox) into the bridge. Its console is open to
// anyone while the settings point at the sandbox (a development setup) and admin-only as soon
// as they point at a real Kontur.
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { App, AppContext } from '../app.ts';
import { sandboxPlugin } from '../../sandbox/plugin.ts';
import { cloudSandboxPlugin } from '../../sandbox/cloud-plugin.ts';
import { openSandboxDb } from '../../sandbox/store/database.ts';
import { ForbiddenError, UnauthorizedError } from '../../services/errors.ts';

export async function registerSandbox(app: App, ctx: AppContext, logger: Logger): Promise<void> {
  const consoleGuard = async (request: FastifyRequest) => {
    if ((await ctx.services.settings.view()).sandboxMode) return;
    if (!request.principal) throw new UnauthorizedError('Консоль песочницы доступна только администратору: войдите в систему');
    if (request.principal.user.role !== 'admin') throw new ForbiddenError('Консоль песочницы доступна только администратору, пока настройки указывают на настоящий Контур');
  };
  const db = await openSandboxDb(ctx.database.pool);
  await app.register(sandboxPlugin, {
    db,
    config: ctx.config.sandbox,
    masterKey: ctx.config.masterKey,
    logger: logger.child({ component: 'sandbox' }),
    consoleGuard,
  });
  await app.register(cloudSandboxPlugin, {
    db,
    dataDir: ctx.config.dataDir,
    config: ctx.config.sandbox,
    masterKey: ctx.config.masterKey,
    logger: logger.child({ component: 'sandbox-cloud' }),
    consoleGuard,
  });
}
