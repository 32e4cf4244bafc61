// Mounts the built-in Kontur sandbox into the bridge when this installation has one (see
// sandbox-host.ts). Its console (every SMS code, the CA operator's decisions, fault injection)
// answers administrators and users with the `sandbox` role, in every mode. While the settings
// point at the sandbox, an employee may read the SMS outbox too, but only the messages sent to
// the phone of his own employee card.
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { App, AppContext } from '../app.ts';
import { loadSandbox, type ConsoleAccess } from '../../sandbox-host.ts';
import { ForbiddenError, UnauthorizedError } from '../../services/errors.ts';

export async function registerSandbox(app: App, ctx: AppContext, logger: Logger): Promise<void> {
  const sandbox = await loadSandbox();
  if (!sandbox) {
    logger.info('the built-in sandbox is not installed (no src/sandbox): the settings must point at Kontur');
    return;
  }
  const consoleGuard = async (request: FastifyRequest): Promise<ConsoleAccess> => {
    const principal = request.principal;
    if (!principal) throw new UnauthorizedError('Консоль песочницы доступна администратору: войдите в систему');
    const { role, employeeId } = principal.user;
    if (role === 'admin' || role === 'sandbox') return { scope: 'all' };
    if (role === 'employee' && employeeId && (await ctx.services.settings.view()).sandboxMode) {
      const { phone } = await ctx.services.employees.get(employeeId);
      if (phone) return { scope: 'ownSms', phone };
    }
    throw new ForbiddenError('Консоль песочницы доступна администратору и пользователям с ролью sandbox', 'forbidden-role');
  };
  const mounted = await sandbox.mountSandbox(app as unknown as Parameters<typeof sandbox.mountSandbox>[0], {
    pool: ctx.database.pool,
    dataDir: ctx.config.dataDir,
    masterKey: ctx.config.masterKey,
    logger: logger.child({ component: 'sandbox' }),
    consoleGuard,
    env: ctx.config.sandboxEnv,
  });
  // With no SMTP server in the settings, notices go to the sandbox's mail catcher.
  ctx.services.mailSettings.useSandboxCatcher(mounted.mailCatcher);
}
