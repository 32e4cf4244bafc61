// One retry layer and one deadline per operation (issue 14, finding 10): the transport repeats a
// call that is not safe to repeat only when the answer proves nothing was done (503, 429, a
// refused connection), never after a timeout; every attempt and pause ends by the operation's
// deadline, which travels from the operation (withDeadline) to the socket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { DEFAULT_RETRY_POLICY, HttpTransport, TransportError, type OutboundRequest } from '../../src/kontur/http-transport.ts';
import { withDeadline } from '../../src/kontur/deadline.ts';

const silent = pino({ level: 'silent' });
const fast = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20, maxDelayMs: 50 };

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/`)));
}

function post(baseUrl: string, extra: Partial<OutboundRequest> = {}): OutboundRequest {
  return { method: 'POST', baseUrl, path: 'Sign', body: '{}', timeoutMs: 5000, repeatable: false, operation: 'test.sign', ...extra };
}

describe('transport retries and the operation deadline', () => {
  let server: Server;
  let base: string;
  let script: ((request: IncomingMessage, response: ServerResponse) => void)[] = [];
  let seen = 0;
  before(async () => {
    server = createServer((request, response) => {
      seen++;
      request.resume();
      const next = script.shift();
      if (next) next(request, response);
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    base = await listen(server);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const reset = (steps: typeof script) => {
    script = steps;
    seen = 0;
  };
  const status = (code: number, headers: Record<string, string> = {}) => (_: IncomingMessage, response: ServerResponse) => response.writeHead(code, headers).end();
  const never = () => undefined;

  it('repeats a call that is not safe to repeat after 503 and 429: they prove nothing was done', async () => {
    reset([status(503), status(429, { 'retry-after': '0' }), status(503)]);
    const answer = await new HttpTransport(silent, fast).request(post(base));
    assert.equal(answer.status, 200);
    assert.equal(answer.attempts, 4);
    assert.equal(seen, 4);
  });

  it('never repeats it after a timeout or a 502/504: the work may have been done', async () => {
    reset([never]);
    const failure = await new HttpTransport(silent, fast).request(post(base, { timeoutMs: 200 })).catch((error: unknown) => error);
    assert.ok(failure instanceof TransportError && failure.kind === 'timeout' && failure.mayHaveBeenProcessed);
    assert.equal(seen, 1);
    for (const code of [500, 502, 504]) {
      reset([status(code)]);
      const answer = await new HttpTransport(silent, fast).request(post(base));
      assert.equal(answer.status, code);
      assert.equal(seen, 1, `one attempt after ${code}`);
    }
  });

  it('repeats it after a refused connection: nothing was sent', async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const failure = await new HttpTransport(logger, fast).request(post(`http://127.0.0.1:${port}/`)).catch((error: unknown) => error);
    assert.ok(failure instanceof TransportError && failure.kind === 'network' && !failure.mayHaveBeenProcessed);
    assert.equal(lines.filter((line) => line.includes('will be retried')).length, fast.maxAttempts - 1, 'every attempt was made');
  });

  it('ends a repeatable call at the operation deadline, not after maxAttempts × timeout', async () => {
    reset([never, never, never, never]);
    const started = Date.now();
    const failure = await withDeadline(400, () => new HttpTransport(silent, fast).request({ ...post(base), method: 'GET', repeatable: true, timeoutMs: 1000 })).catch((error: unknown) => error);
    const took = Date.now() - started;
    assert.ok(failure instanceof TransportError && failure.kind === 'timeout' && failure.deadlinePassed, String(failure));
    // Without the deadline: 4 attempts of 1000 ms and the pauses between them.
    assert.ok(took < 900, `ended ${took} ms after the start with a 400 ms deadline`);
    assert.equal(seen, 1, 'the attempt got the whole time left, and no time was left for another');
  });

  it('does not wait for a Retry-After the deadline cannot cover: the answer comes back at once', async () => {
    reset([status(503, { 'retry-after': '30' })]);
    const started = Date.now();
    const answer = await withDeadline(1000, () => new HttpTransport(silent, { ...fast, maxDelayMs: 60_000 }).request(post(base)));
    assert.equal(answer.status, 503);
    assert.ok(Date.now() - started < 500);
    assert.equal(seen, 1);
  });

  it('closes the socket when the deadline is cancelled (a job that lost its lease)', async () => {
    reset([never]);
    const cancel = new AbortController();
    const call = withDeadline(10_000, () => new HttpTransport(silent, fast).request(post(base)), cancel.signal).catch((error: unknown) => error);
    while (seen === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    cancel.abort();
    const failure = await call;
    assert.ok(failure instanceof TransportError && failure.deadlinePassed);
    assert.equal(seen, 1);
  });

  it('makes exactly one attempt for a call marked once (webhook deliveries retry in their job)', async () => {
    reset([status(503)]);
    const answer = await new HttpTransport(silent, fast).request(post(base, { once: true, repeatable: true }));
    assert.equal(answer.status, 503);
    assert.equal(seen, 1);
  });
});
