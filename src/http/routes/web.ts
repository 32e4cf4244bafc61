// The web client: the files Vite built into web/dist, served at `/`, and the single-page
// fallback (any other GET that asks for HTML gets index.html, so deep links and reloads
// work). API, sandbox and service paths keep their problem+json 404.
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.ts';
import { problem, sendProblem } from '../problem.ts';
import { WEB_DIST_DIR } from '../../package-files.ts';

/** Paths that belong to the server, never to the client's router. */
const SERVER_PATHS = /^\/(api|sandbox)(\/|$)|^\/(healthz|readyz|metrics)$/;

/** Vite names built assets by content hash, so they never change under the same name. */
const HASHED_ASSETS = /^\/assets\//;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

export async function webRoutes(app: App, distDir: string = WEB_DIST_DIR): Promise<void> {
  const root = resolve(distDir);
  await app.register(fastifyStatic, {
    root,
    serve: false, // routes are ours, so that they declare their access like every other route
    // scripts/build-web.js writes .br and .gz beside each text file: sent by the browser's Accept-Encoding.
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      const relative = path.slice(root.length).split(sep).join('/');
      reply.header('cache-control', HASHED_ASSETS.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await isFile(resolve(root, 'index.html')))) {
      return sendProblem(request, reply, problem(503, 'web-client-not-built', 'Веб-клиент не собран: выполните npm run build:web'));
    }
    return reply.sendFile('index.html');
  };

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, sendIndex);

  app.get<{ Params: { '*': string } }>('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(request.url.split('?')[0]);
    } catch {
      return reply.callNotFound();
    }
    if (SERVER_PATHS.test(pathname)) return reply.callNotFound();
    const file = resolve(root, `.${pathname}`);
    if (file.startsWith(root + sep) && (await isFile(file))) return reply.sendFile(file.slice(root.length + 1));
    if (acceptsHtml(request) && !HASHED_ASSETS.test(pathname)) return sendIndex(request, reply);
    return reply.callNotFound();
  });
}
