// Test helper: a scripted stand-in for Kontur's cloud signature API, so that the bridge's cloud
// client and signing service can be fed recorded answers in the real shapes (docs/kontur-api.md §6)
// with no sandbox involved. Each route answers what the test says; every call is recorded.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  route: string;
  query: URLSearchParams;
  body: Buffer;
  headers: IncomingMessage['headers'];
}

export interface FakeAnswer {
  status?: number;
  json?: unknown;
  bytes?: Buffer;
  headers?: Record<string, string>;
}

export type FakeRoute = (call: FakeCall) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeCloud {
  /** Base address ending with `/`, as CryptoApiConnectionAddress takes it. */
  address: string;
  calls: FakeCall[];
  /** Sets the handler of a route (`Sign`, `GetStatus`, ...); unset routes answer 404. */
  on(route: string, handler: FakeRoute): void;
  close(): Promise<void>;
}

export async function startFakeCloud(): Promise<FakeCloud> {
  const routes = new Map<string, FakeRoute>();
  const calls: FakeCall[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    const call: FakeCall = { route: url.pathname.split('/').filter(Boolean).at(-1) ?? '', query: url.searchParams, body: Buffer.concat(chunks), headers: request.headers };
    calls.push(call);
    const handler = routes.get(call.route);
    const answer: FakeAnswer = handler ? await handler(call) : { status: 404, json: { Code: 'NotFound', Message: 'no such route in the fake' } };
    const body = answer.bytes ?? (answer.json !== undefined ? Buffer.from(JSON.stringify(answer.json)) : Buffer.alloc(0));
    response.writeHead(answer.status ?? 200, {
      ...(answer.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : answer.bytes ? { 'content-type': 'application/octet-stream' } : {}),
      ...answer.headers,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}/v3/`,
    calls,
    on: (route, handler) => routes.set(route, handler),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
