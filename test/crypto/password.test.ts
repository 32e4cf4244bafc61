// Password hashes: scrypt with the parameters stored next to the hash, so a hash made with the
// earlier, larger setting (N=2^15, p=1) still verifies after the default changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../src/crypto/password.ts';

test('new hashes use scrypt N=2^13, r=8, p=10 and verify only the right password', async () => {
  const stored = await hashPassword('Пароль-для-проверки-1');
  const [scheme, n, r, p] = stored.split('$');
  assert.deepEqual([scheme, n, r, p], ['scrypt', '8192', '8', '10']);
  assert.equal(await verifyPassword('Пароль-для-проверки-1', stored), true);
  assert.equal(await verifyPassword('Пароль-для-проверки-2', stored), false);
});

test('a hash stored with the earlier N=2^15, p=1 still verifies', async () => {
  const salt = randomBytes(16);
  const key = scryptSync('old-password', salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const stored = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
  assert.equal(await verifyPassword('old-password', stored), true);
  assert.equal(await verifyPassword('other-password', stored), false);
});
