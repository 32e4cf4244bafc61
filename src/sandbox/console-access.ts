// Who may use the operator console (/sandbox/console), as the host's guard decides: everything
// (an administrator, a sandbox tester, or `kca sandbox` alone), or only the SMS outbox filtered
// to one phone (a phone owner reading the codes that would reach his own phone).
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type ConsoleAccess = { scope: 'all' } | { scope: 'ownSms'; phone: string };

/** The host's decision: an access, nothing (= all), or an error with `statusCode`/`status` to refuse. */
export type ConsoleGuard = (request: FastifyRequest) => Promise<ConsoleAccess | void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers a phone owner too (the SMS outbox, filtered to his phone). */
    ownSms?: boolean;
  }
  interface FastifyRequest {
    sandboxConsoleAccess?: ConsoleAccess;
  }
}

class ConsoleForbiddenError extends Error {
  readonly statusCode = 403;
  readonly code = 'forbidden';
}

/** Runs the guard before every route of a console scope and keeps its decision on the request. */
export function guardConsole(scope: FastifyInstance, guard: ConsoleGuard): void {
  scope.addHook('onRequest', async (request) => {
    const access = (await guard(request)) ?? { scope: 'all' as const };
    if (access.scope === 'ownSms' && !request.routeOptions.config.ownSms) {
      throw new ConsoleForbiddenError('Консоль песочницы доступна администратору; сотруднику видны только СМС на его телефон');
    }
    request.sandboxConsoleAccess = access;
  });
}
