// The background Streebog hasher: the worker thread gives the same digests as the in-thread
// hasher, bounds the bytes in flight (update returns a promise past the limit), and starts
// both ways the TypeScript sources run — `node --import tsx` (this test process) and tsx's
// register() as bin/kca.js does it (a child process).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { backgroundStreebog, MAX_IN_FLIGHT_BYTES, stopBackgroundStreebog } from '../../src/crypto/streebog-background.ts';
import { Streebog, toHex } from '../../src/crypto/streebog.ts';

describe('background Streebog (worker thread)', () => {
  after(() => stopBackgroundStreebog());

  test('hashes on the worker thread, like the in-thread hasher, in odd-sized chunks', async () => {
    const fallbacks: string[] = [];
    for (const algorithm of ['streebog256', 'streebog512'] as const) {
      const data = randomBytes(3 * 1024 * 1024 + 77);
      const hasher = await backgroundStreebog(algorithm, (reason) => fallbacks.push(reason));
      assert.equal(hasher.where, 'worker', fallbacks.join('; '));
      for (let offset = 0; offset < data.length; offset += 65_537) await hasher.update(data.subarray(offset, offset + 65_537));
      assert.equal(toHex(await hasher.digest()), toHex(new Streebog(algorithm).update(data).digest()));
    }
    const empty = await backgroundStreebog();
    assert.equal(toHex(await empty.digest()), toHex(new Streebog().digest()));
  });

  test('keeps several jobs apart and forgets an aborted one', async () => {
    const [a, b, c] = await Promise.all([backgroundStreebog(), backgroundStreebog(), backgroundStreebog()]);
    const one = randomBytes(1_500_000);
    const two = randomBytes(700_000);
    for (let offset = 0; offset < one.length; offset += 100_000) {
      await a.update(one.subarray(offset, offset + 100_000));
      await b.update(two.subarray(offset, offset + 100_000));
      await c.update(one.subarray(offset, offset + 100_000));
    }
    c.abort();
    assert.equal(toHex(await a.digest()), toHex(new Streebog().update(one).digest()));
    assert.equal(toHex(await b.digest()), toHex(new Streebog().update(two).digest()));
  });

  test('asks the caller to wait once more than the in-flight limit is queued (memory stays flat)', async () => {
    const hasher = await backgroundStreebog();
    const chunk = randomBytes(1024 * 1024);
    const pending: Promise<void>[] = [];
    // Without waiting, the queue grows past the limit and update() starts returning promises.
    for (let i = 0; i < MAX_IN_FLIGHT_BYTES / chunk.length + 4; i++) {
      const wait = hasher.update(chunk);
      if (wait) pending.push(wait);
    }
    assert.ok(pending.length > 0, 'update() returns a promise past the in-flight limit');
    await Promise.all(pending);
    const expected = new Streebog();
    for (let i = 0; i < MAX_IN_FLIGHT_BYTES / chunk.length + 4; i++) expected.update(chunk);
    assert.equal(toHex(await hasher.digest()), toHex(expected.digest()));
  });

  test("starts under tsx's register() as bin/kca.js runs the sources", () => {
    const script = `
      import { register } from 'tsx/esm/api';
      register();
      const { backgroundStreebog, stopBackgroundStreebog } = await import('./src/crypto/streebog-background.ts');
      const { Streebog, toHex } = await import('./src/crypto/streebog.ts');
      const data = new Uint8Array(2_000_003).map((_, i) => i * 7);
      const hasher = await backgroundStreebog('streebog256', (reason) => console.error(reason));
      await hasher.update(data);
      const digest = toHex(await hasher.digest());
      await stopBackgroundStreebog();
      console.log(JSON.stringify({ where: hasher.where, same: digest === toHex(new Streebog().update(data).digest()) }));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout.trim().split('\n').at(-1)!), { where: 'worker', same: true });
  });
});
