import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkBirthDate,
  checkCyrillicName,
  checkDate,
  checkEmail,
  checkInn,
  checkIssueDate,
  checkIssuerCode,
  checkKpp,
  checkMobilePhone,
  checkOgrn,
  checkPassportNumber,
  checkPassportSeries,
  checkSnils,
  toKonturDate,
} from '../../src/domain/identifiers.ts';

const value = (checked: { ok: boolean; value?: string }) => (checked.ok ? checked.value : undefined);

describe('Russian identifiers', () => {
  it('checks INN control digits for legal entities and persons', () => {
    assert.equal(value(checkInn('7707083893')), '7707083893'); // Sberbank
    assert.equal(value(checkInn('6663003127')), '6663003127'); // SKB Kontur
    assert.equal(checkInn('7707083894').ok, false);
    assert.equal(value(checkInn('500100732259')), '500100732259');
    assert.equal(checkInn('500100732258').ok, false);
    assert.equal(checkInn('7707083893', 'person').ok, false);
    assert.equal(checkInn('12345').ok, false);
    assert.equal(checkInn('77070838AB').ok, false);
  });

  it('checks SNILS control numbers and formats them', () => {
    assert.equal(value(checkSnils('11223344595')), '112-233-445 95');
    assert.equal(value(checkSnils('112-233-445 95')), '112-233-445 95');
    assert.equal(checkSnils('112-233-445 96').ok, false);
    assert.equal(checkSnils('1122334459').ok, false);
    // Numbers up to 001-001-998 carry no checked control number.
    assert.equal(checkSnils('001-001-997 00').ok, true);
  });

  it('checks OGRN and OGRNIP control digits and KPP shape', () => {
    assert.equal(checkOgrn('1027700132195').ok, true);
    assert.equal(checkOgrn('1027700132196').ok, false);
    assert.equal(checkOgrn('304500116000157').ok, true);
    assert.equal(checkOgrn('304500116000158').ok, false);
    assert.equal(value(checkKpp('773601001')), '773601001');
    assert.equal(checkKpp('7736010').ok, false);
  });

  it('normalizes mobile phones written in common ways', () => {
    for (const spelling of ['+7 912 345-67-89', '8 (912) 345 67 89', '89123456789', '9123456789', '+7(912)3456789']) {
      assert.equal(value(checkMobilePhone(spelling)), '+79123456789', spelling);
    }
    assert.equal(checkMobilePhone('+7 495 123-45-67').ok, false);
    assert.equal(checkMobilePhone('+1 555 123 4567').ok, false);
    assert.equal(checkMobilePhone('phone').ok, false);
  });

  it('checks names, emails, passports and dates', () => {
    assert.equal(value(checkCyrillicName('  Салтыков-Щедрин ')), 'Салтыков-Щедрин');
    assert.equal(value(checkCyrillicName('Ёлкина')), 'Ёлкина');
    assert.equal(checkCyrillicName('Smith').ok, false);
    assert.equal(checkCyrillicName('').ok, false);
    assert.equal(value(checkEmail(' A.B@Example.RU ')), 'a.b@example.ru');
    assert.equal(checkEmail('a@b').ok, false);
    assert.equal(value(checkPassportSeries('45 06')), '4506');
    assert.equal(checkPassportSeries('450').ok, false);
    assert.equal(checkPassportNumber('12345').ok, false);
    assert.equal(value(checkIssuerCode('770001')), '770-001');
    assert.equal(checkIssuerCode('77-0001').ok, false);
    assert.equal(value(checkDate('29.02.2024')), '2024-02-29');
    assert.equal(checkDate('29.02.2023').ok, false);
    assert.equal(checkBirthDate('01.01.2020', new Date('2026-01-01')).ok, false);
    assert.deepEqual(checkIssueDate('02.01.2026', new Date('2026-01-01T12:00:00Z')), { ok: true, value: '2026-01-02' }, 'a day of leeway for time zones');
    assert.deepEqual(checkIssueDate('05.01.2026', new Date('2026-01-01T12:00:00Z')), { ok: false, message: 'Дата выдачи не может быть в будущем' });
    assert.equal(toKonturDate('1990-04-15'), '15.04.1990');
  });
});
