// Kontur's statement-signing and upload refusals (docs/kontur-api.md §6) as the bridge's errors: the
// field they concern and a Russian message a user can act on.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { KcrValidationError } from '../../src/kontur/kcr-errors.ts';
import { serviceErrorOf } from '../../src/services/kcr-failures.ts';
import { ServiceError, ValidationError } from '../../src/services/errors.ts';

it('maps WrongConfirmationCode, ConfirmationCodeExpired, InvalidPageContent and InvalidCertificateRequest', () => {
  const wrong = serviceErrorOf(new KcrValidationError(400, 'WrongConfirmationCode', 'x', [{ code: 'WrongConfirmationCode', target: 'confirmationInfo.smsCode' }], 'sign'));
  assert.ok(wrong instanceof ValidationError);
  assert.deepEqual(wrong.errors, [{ field: 'smsCode', message: 'Неверный код из СМС' }]);
  assert.equal(wrong.message, 'Неверный код из СМС', 'said as a mistyped code, not as refused issue data');
  const counted = serviceErrorOf(new KcrValidationError(400, 'WrongConfirmationCode', 'Неверный код из СМС, осталось попыток: 2', [{ code: 'WrongConfirmationCode', target: 'confirmationInfo.smsCode', message: 'Неверный код из СМС, осталось попыток: 2' }], 'sign'));
  assert.ok(counted instanceof ValidationError);
  assert.deepEqual(counted.errors, [{ field: 'smsCode', message: 'Неверный код из СМС, осталось попыток: 2' }]);

  const expired = serviceErrorOf(new KcrValidationError(400, 'ConfirmationCodeExpired', 'x', [], 'sign'));
  assert.ok(expired instanceof ServiceError);
  assert.equal(expired.status, 422);
  assert.equal(expired.code, 'confirmation-code-expired');
  assert.match(expired.message, /запросите новый/);

  const page = serviceErrorOf(new KcrValidationError(400, 'BadRequest', 'x', [{ code: 'InvalidPageContent', target: 'body' }], 'addPage'));
  assert.ok(page instanceof ValidationError);
  assert.equal(page.errors[0].field, 'data');

  const request = serviceErrorOf(new KcrValidationError(400, 'InvalidCertificateRequest', 'Подпись запроса не сходится с его ключом', [{ code: 'InvalidCertificateRequest', target: 'body' }], 'upload'));
  assert.ok(request instanceof ValidationError);
  assert.deepEqual(request.errors, [{ field: 'data', message: 'Подпись запроса не сходится с его ключом' }]);
});
