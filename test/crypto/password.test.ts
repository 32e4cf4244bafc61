// Password hashes: scrypt with the parameters stored next to the hash, so hashes made with the
// earlier settings (N=2^15 p=1, then N=2^13 p=10) still verify after the default changed, and
// are recognised as due for a new hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, passwordNeedsRehash, verifyPassword } from '../../src/crypto/password.ts';

function storedWith(password: string, N: number, p: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N, r: 8, p, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', N, 8, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

test('new hashes use scrypt N=2^15, r=8, p=3 and verify only the right password', async () => {
  const stored = await hashPassword('Пароль-для-проверки-1');
  const [scheme, n, r, p] = stored.split('$');
  assert.deepEqual([scheme, n, r, p], ['scrypt', '32768', '8', '3']);
  assert.equal(passwordNeedsRehash(stored), false);
  assert.equal(await verifyPassword('Пароль-для-проверки-1', stored), true);
  assert.equal(await verifyPassword('Пароль-для-проверки-2', stored), false);
});

test('hashes stored with the earlier settings still verify and are due for a new hash', async () => {
  for (const [N, p] of [[2 ** 15, 1], [2 ** 13, 10]]) {
    const stored = storedWith('old-password', N, p);
    assert.equal(await verifyPassword('old-password', stored), true, `N=${N} p=${p}`);
    assert.equal(await verifyPassword('other-password', stored), false, `N=${N} p=${p}`);
    assert.equal(passwordNeedsRehash(stored), true, `N=${N} p=${p}`);
  }
});

test('many hashes at once all complete (two run at a time, the rest wait their turn)', async () => {
  const stored = await Promise.all(Array.from({ length: 5 }, (_, i) => hashPassword(`password-${i}`)));
  assert.deepEqual(await Promise.all(stored.map((hash, i) => verifyPassword(`password-${i}`, hash))), [true, true, true, true, true]);
});
