// Closing the server must not wait forever for streams that never end by themselves.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/server.ts';

describe('graceful close', () => {
  it('ends open server-sent event streams instead of waiting for them', async () => {
    const t = await startTestServer();
    const token = await t.token();
    const stream = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    assert.match(first, /connected/);
    const started = Date.now();
    await Promise.race([
      t.close(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('close() still waiting after 10 s')), 10_000)),
    ]);
    assert.ok(Date.now() - started < 10_000);
    const rest = await reader.read();
    assert.equal(rest.done, true, 'the client sees the stream end');
  });
});
