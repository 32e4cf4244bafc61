// Cross-site request forgery: a change (any method but GET, HEAD, OPTIONS) that a browser makes
// with the session cookie is carried out only when it comes from a page of this server. Browsers
// send `Origin` with every such request (and `Referer` where a privacy setting drops `Origin`);
// a request with the cookie and neither, or from another origin — another site, or another port
// of the same host, which SameSite=Strict does not tell apart — answers 403. Bearer tokens and API
// keys are not sent by browsers on their own, so requests with `Authorization` are not checked.
// Sign-in (which sets the cookie) is refused only from a foreign origin: scripts may call it bare.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../services/errors.ts';
import { SESSION_COOKIE } from './access.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin the request names: Origin, else the origin of Referer; undefined when neither is usable. */
function claimedOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin === 'null' ? 'null' : origin.replace(/\/$/, '');
  const referer = request.headers.referer;
  if (typeof referer !== 'string' || referer === '') return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/** The server's own origin as the browser sees it (through a trusted proxy: X-Forwarded-Proto/-Host). */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`.toLowerCase();
}

export function registerOriginCheck(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const allowed = new Set(allowedOrigins.map((origin) => origin.toLowerCase()));
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const signIn = request.routeOptions.url === '/api/v1/auth/login';
    const byCookie = request.headers.authorization === undefined && request.cookies?.[SESSION_COOKIE] !== undefined;
    if (!byCookie && !signIn) return;
    const origin = claimedOrigin(request)?.toLowerCase();
    if (origin === undefined) {
      if (!byCookie) return;
      throw new ForbiddenError('Запрос отклонён: браузер не сообщил, с какой страницы он отправлен (нет заголовков Origin и Referer)', 'cross-origin');
    }
    if (origin === ownOrigin(request) || allowed.has(origin)) return;
    request.log.warn({ origin, url: request.url.split('?')[0] }, 'a cookie-authenticated change from another origin was refused');
    throw new ForbiddenError(`Запрос отклонён: он отправлен со страницы другого сайта (${origin}), а не этого сервера`, 'cross-origin');
  });
}
