// Conformance of the KCR sandbox with what public clients send about the applicant (docs/kontur-api.md
// §6): issue bodies as a Python and a low-code client build them, every cspInfo.type they use,
// ESIA confirmation parameters in each spelling, the statement-signing error codes, and
// renew?forNaturalPerson= in both capitalisations.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertKonturError, mobilePhone, startSandbox, validInn, validLegalInn, validSnils, waitFor, type SandboxUnderTest } from './harness.ts';

/** How long an SMS code lives in this file (SANDBOX_KCR_SMS_CODE_TTL_MS): long enough to type it, short enough to outlive. */
const SMS_CODE_TTL_MS = 1500;

describe('KCR sandbox: the applicant as real clients send it', () => {
  let sandbox: SandboxUnderTest;
  before(async () => {
    sandbox = await startSandbox({ SANDBOX_KCR_SMS_CODE_TTL_MS: String(SMS_CODE_TTL_MS) });
  });
  after(() => sandbox?.close());

  it('takes an issue as a Python client builds it: INN and phone as numbers, null organizationInfo and dssApplication', async () => {
    const inn = validInn();
    const answer = await sandbox.kcr('POST', 'v1/issues', {
      json: {
        certificateTemplateInfo: { type: 'notQualified', useAreas: [], nonExportable: false },
        subjectInfo: { type: 'naturalPerson', inn: Number(inn), lastname: 'Сидоров', firstname: 'Пётр', middlename: 'Ильич', email: 'p@example.ru', phone: 79001234567, organizationInfo: null },
        cspInfo: { type: 'cryptoPro', addCryptoProLicense: false, dssApplication: null },
      },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.subjectInfo.inn, inn);
    assert.equal(answer.body.subjectInfo.phone, '+79001234567');
  });

  it('takes an issue as a low-code module builds it: empty middlename, ten-digit phone, no useAreas, cspInfo asess', async () => {
    const answer = await sandbox.kcr('POST', 'v1/issues', {
      json: {
        certificateTemplateInfo: { type: 'notQualified', nonExportable: false },
        subjectInfo: { inn: validInn(), lastname: 'Ким', firstname: 'Юлия', middlename: '', email: 'k@example.ru', type: 'naturalPerson', phone: '9123456789' },
        cspInfo: { type: 'asess' },
      },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.subjectInfo.middlename, null);
    assert.equal(answer.body.subjectInfo.phone, '+79123456789');
    assert.equal(answer.body.cspInfo.type, 'asess');
  });

  it('takes every cspInfo.type public clients use and refuses another, naming cspInfo.type', async () => {
    for (const type of ['cryptoPro', 'dss', 'asess']) {
      const issue = await sandbox.createIssue({ cspInfo: { type } });
      assert.equal(issue.cspInfo.type, type);
    }
    const refused = await sandbox.kcr('POST', 'v1/issues', {
      json: { subjectInfo: { type: 'naturalPerson', inn: validInn(), phone: mobilePhone() }, cspInfo: { type: 'someOtherCsp' } },
    });
    assert.deepEqual(assertKonturError(refused, 400, 'BadRequest').details.map((detail) => detail.target), ['cspInfo.type']);
    // Names in Latin letters are refused by field, as the low-code module expects ("firstname").
    const latin = await sandbox.kcr('POST', 'v1/issues', { json: { subjectInfo: { type: 'naturalPerson', inn: validInn(), phone: mobilePhone(), firstname: 'Ivan' } } });
    assert.deepEqual(assertKonturError(latin, 400).details.map((detail) => detail.target), ['subjectInfo.firstname']);
  });

  it('takes the ESIA birthDate as DD.MM.YYYY, YYYY-MM-DD or an ISO date-time, and SNILS with or without separators', async () => {
    const snils = validSnils();
    const spaced = `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
    const sent = [
      { snilsNumber: snils, birthDate: '17.05.1990' },
      { snilsNumber: spaced, birthDate: '1990-05-17' },
      { snilsNumber: snils, birthDate: '1990-05-17T00:00:00+05:00' },
      { snilsNumber: spaced, birthDate: '1990-05-17T00:00:00.000Z' },
      { snilsNumber: snils, birthDate: '1990-05-17T00:00:00' },
    ];
    for (const parameters of sent) {
      const issue = await sandbox.createIssue();
      await sandbox.actualized(issue.id);
      const answer = await sandbox.kcr('POST', `v1/issues/${issue.id}/confirmation-requests`, { json: { operationToConfirm: 'signingReleaseStatementWithEsia', parameters } });
      assert.equal(answer.status, 204, `${JSON.stringify(parameters)}: ${JSON.stringify(answer.body)}`);
      // The date as the client wrote it (no shift to UTC), the SNILS as digits.
      const seen = await sandbox.console('GET', `issues/${issue.id}`);
      assert.equal(seen.body.confirmation.birthDate, '17.05.1990', JSON.stringify(parameters));
      assert.equal(seen.body.confirmation.snilsNumber, snils);
    }
    const issue = await sandbox.createIssue();
    await sandbox.actualized(issue.id);
    for (const [parameters, target] of [
      [{ snilsNumber: snils, birthDate: '17/05/1990' }, 'parameters.birthDate'],
      [{ snilsNumber: snils, birthDate: '31.02.1990' }, 'parameters.birthDate'],
      [{ snilsNumber: snils.slice(0, 9) + String((Number(snils.slice(9)) + 1) % 100).padStart(2, '0'), birthDate: '17.05.1990' }, 'parameters.snilsNumber'],
      [{ snilsNumber: '123', birthDate: '17.05.1990' }, 'parameters.snilsNumber'],
    ] as const) {
      const answer = await sandbox.kcr('POST', `v1/issues/${issue.id}/confirmation-requests`, { json: { operationToConfirm: 'signingReleaseStatementWithEsia', parameters } });
      assert.deepEqual(assertKonturError(answer, 400, 'BadRequest').details.map((detail) => detail.target), [target], JSON.stringify(parameters));
    }
  });

  it('answers statement signing by SMS with BadRequest, WrongConfirmationCode and ConfirmationCodeExpired', async () => {
    const issue = await sandbox.createIssue();
    await sandbox.actualized(issue.id);
    const request = async () => {
      await sandbox.actualized(issue.id);
      assert.equal((await sandbox.kcr('POST', `v1/issues/${issue.id}/confirmation-requests`, { json: { operationToConfirm: 'signingReleaseStatement' } })).status, 204);
      return sandbox.smsCode(issue.subjectInfo.phone);
    };
    const sign = async (body: unknown) => {
      await sandbox.actualized(issue.id);
      return sandbox.kcr('POST', `v1/issues/${issue.id}/documents/releaseStatement/sign`, body === undefined ? { headers: { 'content-type': 'application/json' } } : { json: body });
    };
    let code = await request();
    const noCode = assertKonturError(await sign(undefined), 400, 'BadRequest');
    assert.equal(noCode.details[0].target, 'confirmationInfo.smsCode');
    const wrong = code === '000000' ? '111111' : '000000';
    const first = assertKonturError(await sign({ confirmationInfo: { smsCode: wrong } }), 400, 'WrongConfirmationCode');
    assert.equal(first.details[0].target, 'confirmationInfo.smsCode');
    for (let i = 0; i < 4; i++) assertKonturError(await sign({ confirmationInfo: { smsCode: wrong } }), 400, 'WrongConfirmationCode');
    // Five wrong codes: the code is void, even the right one.
    assertKonturError(await sign({ confirmationInfo: { smsCode: code } }), 400, 'ConfirmationCodeExpired');
    // A new code outlives its time.
    code = await request();
    const { body: seen } = await sandbox.console('GET', `issues/${issue.id}`);
    await waitFor('the SMS code to expire', async () => Date.now() > Date.parse(seen.confirmation.expiresAt) + 50, SMS_CODE_TTL_MS * 4);
    assertKonturError(await sign({ confirmationInfo: { smsCode: code } }), 400, 'ConfirmationCodeExpired');
    // And a fresh one signs.
    code = await request();
    const signed = await sign({ confirmationInfo: { smsCode: code } });
    assert.equal(signed.status, 204, JSON.stringify(signed.body));
    assertKonturError(await sign({ confirmationInfo: { smsCode: code } }), 400, 'ReleaseStatementAlreadySigned');
  });

  it('answers ESIA signing with ConfirmationInProgress, then ConfirmationFailed with the reason in details[0].code', async () => {
    const outcomes = [
      ['rejected', 'ConfirmationRejected'],
      ['userNotFound', 'UserNotFoundInEsia'],
      ['expired', 'ConfirmationExpired'],
    ] as const;
    for (const [result, reason] of outcomes) {
      const issue = await sandbox.createIssue();
      await sandbox.actualized(issue.id);
      assert.equal((await sandbox.kcr('POST', `v1/issues/${issue.id}/confirmation-requests`, { json: { operationToConfirm: 'signingReleaseStatementWithEsia', parameters: { snilsNumber: validSnils(), birthDate: '01.02.1980' } } })).status, 204);
      await sandbox.actualized(issue.id);
      // The ESIA flow signs with an empty body (`{}`), as public clients do.
      const pending = await sandbox.kcr('POST', `v1/issues/${issue.id}/documents/releaseStatement/sign`, { json: {} });
      assert.deepEqual(assertKonturError(pending, 400, 'ConfirmationInProgress').details, []);
      assert.equal((await sandbox.console('POST', `issues/${issue.id}/esia`, { result })).status, 200);
      await sandbox.actualized(issue.id);
      const failed = assertKonturError(await sandbox.kcr('POST', `v1/issues/${issue.id}/documents/releaseStatement/sign`, { json: {} }), 400, 'ConfirmationFailed');
      assert.equal(failed.details[0].code, reason);
    }
  });

  it('reads renew?forNaturalPerson= as true/false in any capitalisation and refuses other values', async () => {
    const released = await sandbox.releasedIssue({ subjectInfo: { type: 'legalEntity', inn: validLegalInn(), organizationInfo: { kpp: '770101001', position: 'Директор' } } });
    for (const [value, type] of [
      ['True', 'naturalPerson'],
      ['true', 'naturalPerson'],
      ['False', 'legalEntity'],
      ['FALSE', 'legalEntity'],
    ] as const) {
      const renewed = await sandbox.kcr('POST', `v1/issues/${released.id}/renew?forNaturalPerson=${value}`, { headers: { 'content-type': 'application/json' } });
      assert.equal(renewed.status, 200, `${value}: ${JSON.stringify(renewed.body)}`);
      assert.equal(renewed.body.baseIssueId, released.id);
      assert.equal(renewed.body.subjectInfo.type, type, value);
    }
    assert.deepEqual(assertKonturError(await sandbox.kcr('POST', `v1/issues/${released.id}/renew?forNaturalPerson=yes`), 400).details.map((detail) => detail.target), ['forNaturalPerson']);
  });
});
