import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { mobilePhone, personInn, snils } from '../support/people.ts';

const valid = {
  lastName: 'Петрова',
  firstName: 'Анна',
  middleName: 'Сергеевна',
  email: 'Anna.Petrova@Example.ru',
  phone: '8 (912) 345-67-89',
  inn: personInn(1),
  snils: snils(1),
  birthDate: '15.04.1990',
  position: 'Главный бухгалтер',
  department: 'Бухгалтерия',
};

describe('employee directory', () => {
  let t: TestServer;
  let token: string;
  before(async () => {
    t = await startTestServer();
    token = (await t.userWithRole('operator')).token;
  });
  after(() => t.close());

  it('creates a card with normalized phone, email, SNILS and date', async () => {
    const response = await t.request('POST', '/api/v1/employees', { token, body: valid });
    assert.equal(response.status, 201);
    assert.equal(response.body.phone, '+79123456789');
    assert.equal(response.body.email, 'anna.petrova@example.ru');
    assert.equal(response.body.snils, valid.snils);
    assert.equal(response.body.birthDate, '1990-04-15');
    const read = await t.request('GET', `/api/v1/employees/${response.body.id}`, { token });
    assert.equal(read.body.lastName, 'Петрова');
  });

  for (const [field, value] of [
    ['inn', '123456789012'],
    ['snils', '112-233-445 00'],
    ['phone', '12345'],
    ['email', 'not-an-email'],
    ['lastName', 'Smith'],
    ['birthDate', '31.02.1990'],
  ] as const) {
    it(`rejects a bad ${field} with 400 naming the field`, async () => {
      const response = await t.request('POST', '/api/v1/employees', { token, body: { ...valid, inn: personInn(900), snils: snils(900), [field]: value } });
      assert.equal(response.status, 400);
      assert.match(response.headers.get('content-type')!, /problem\+json/);
      assert.deepEqual(response.body.errors.map((e: { field: string }) => e.field), [field]);
      assert.ok(response.body.errors[0].message.length > 5);
    });
  }

  it('names a missing required field, and refuses a second card with the same SNILS with 409', async () => {
    const missing = await t.request('POST', '/api/v1/employees', { token, body: { firstName: 'Иван', phone: '+79120000000' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].field, 'lastName');
    const duplicate = await t.request('POST', '/api/v1/employees', { token, body: { ...valid, inn: null } });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.errors[0].field, 'snils');
  });

  it('updates only the given fields, and keeps the card when the change is invalid', async () => {
    const created = await t.request('POST', '/api/v1/employees', {
      token,
      body: { lastName: 'Сидоров', firstName: 'Пётр', phone: mobilePhone(77), inn: personInn(77), snils: snils(77) },
    });
    const id = created.body.id;
    const changed = await t.request('PATCH', `/api/v1/employees/${id}`, { token, body: { position: 'Инженер', middleName: '' } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.position, 'Инженер');
    assert.equal(changed.body.middleName, null);
    assert.equal(changed.body.inn, personInn(77));
    const bad = await t.request('PATCH', `/api/v1/employees/${id}`, { token, body: { phone: 'телефон' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].field, 'phone');
    const after = await t.request('GET', `/api/v1/employees/${id}`, { token });
    assert.equal(after.body.phone, mobilePhone(77));
    assert.equal((await t.request('PATCH', '/api/v1/employees/00000000-0000-4000-8000-000000000000', { token, body: { position: 'x' } })).status, 404);
    assert.equal((await t.request('GET', '/api/v1/employees/not-a-uuid', { token })).status, 400);
  });

  it('imports 1,000 rows with 10 bad ones: stores 990, reports the 10, and a re-import adds nothing', async () => {
    const header = 'Фамилия;Имя;Отчество;Мобильный телефон;ИНН;СНИЛС;Email;Должность;Подразделение';
    const badRows = new Map<number, string>();
    const lines = [header];
    for (let i = 0; i < 1000; i++) {
      const seed = 1000 + i;
      const cells = ['Импортов', 'Сотрудник', 'Тестович', mobilePhone(seed), personInn(seed), snils(seed), `user${seed}@example.ru`, 'Специалист', 'Отдел кадров'];
      if (i % 100 === 7) {
        const kind = (i / 100) | 0;
        const field = ['inn', 'snils', 'phone', 'email', 'lastName'][kind % 5];
        if (field === 'inn') cells[4] = '770000000000';
        if (field === 'snils') cells[5] = '123-456-789 00';
        if (field === 'phone') cells[3] = '+1 555 0100';
        if (field === 'email') cells[6] = 'user@';
        if (field === 'lastName') cells[0] = 'Smith';
        badRows.set(i + 2, field);
      }
      lines.push(cells.join(';'));
    }
    const csv = '\uFEFF' + lines.join('\r\n') + '\r\n';
    const report = await t.request('POST', '/api/v1/employees/import', { token, raw: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    assert.equal(report.body.total, 1000);
    assert.equal(report.body.created, 990);
    assert.equal(report.body.failed, 10);
    assert.deepEqual(
      report.body.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
      [...badRows.entries()],
    );
    const stored = await t.request('GET', '/api/v1/employees?query=Импортов&limit=1', { token });
    assert.equal(stored.body.total, 990);

    const again = await t.request('POST', '/api/v1/employees/import', { token, raw: csv, headers: { 'content-type': 'text/csv' } });
    assert.equal(again.body.created, 0);
    assert.equal(again.body.unchanged, 990);
    assert.equal((await t.request('GET', '/api/v1/employees?query=Импортов&limit=1', { token })).body.total, 990);
  });

  it('reports a CSV without the required columns as a file problem', async () => {
    const response = await t.request('POST', '/api/v1/employees/import', { token, raw: 'name,email\nx,y\n', headers: { 'content-type': 'text/csv' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].field, 'file');
  });

  it('searches by name, phone digits and SNILS with paging', async () => {
    const bySnils = await t.request('GET', `/api/v1/employees?query=${encodeURIComponent(snils(1005).slice(0, 11))}`, { token });
    assert.equal(bySnils.body.total, 1);
    const byPhone = await t.request('GET', `/api/v1/employees?query=${mobilePhone(1005).slice(2)}`, { token });
    assert.equal(byPhone.body.total, 1);
    const page1 = await t.request('GET', '/api/v1/employees?query=Импортов&limit=400', { token });
    const page3 = await t.request('GET', '/api/v1/employees?query=Импортов&limit=400&offset=800', { token });
    assert.equal(page1.body.items.length, 400);
    assert.equal(page3.body.items.length, 190);
    assert.equal(new Set([...page1.body.items, ...page3.body.items].map((e: { id: string }) => e.id)).size, 590);
    const tooBig = await t.request('GET', '/api/v1/employees?limit=100000', { token });
    assert.equal(tooBig.status, 400);
    assert.equal(tooBig.body.errors[0].field, 'limit');
    const hugeOffset = await t.request('GET', '/api/v1/employees?offset=1e20', { token });
    assert.equal(hugeOffset.status, 400);
    assert.equal(hugeOffset.body.errors[0].field, 'offset');
  });

  it('pages by cursor through every match in name order, counts only without a cursor, and refuses a malformed cursor', async () => {
    const seen: { id: string; lastName: string; firstName: string }[] = [];
    let page = await t.request('GET', '/api/v1/employees?query=Импортов&limit=150', { token });
    assert.equal(page.body.total, 990);
    for (;;) {
      seen.push(...page.body.items);
      if (!page.body.nextCursor) break;
      page = await t.request('GET', `/api/v1/employees?query=Импортов&limit=150&after=${encodeURIComponent(page.body.nextCursor)}`, { token });
      assert.equal(page.status, 200);
      assert.equal(page.body.total, undefined, 'no count on a page after the first');
    }
    assert.equal(seen.length, 990);
    assert.equal(new Set(seen.map((e) => e.id)).size, 990, 'no card twice');
    const order = seen.map((e) => [e.lastName, e.firstName, e.id].join('\u0000'));
    assert.deepEqual(order, [...order].sort(), 'in name order (names are equal here: by id)');
    // Words are matched in any order and case; digits of a formatted SNILS are matched as digits.
    const twoWords = await t.request('GET', `/api/v1/employees?query=${encodeURIComponent('ИМПОРТОВ импорт')}&limit=1`, { token });
    assert.equal(twoWords.body.total, 990);
    for (const bad of ['not-a-cursor', Buffer.from('[1,2]').toString('base64url')]) {
      const refused = await t.request('GET', `/api/v1/employees?after=${bad}`, { token });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.errors[0].field, 'after');
    }
  });

  it('lets an employee user read only their own card', async () => {
    const employee = await t.userWithRole('employee');
    assert.equal((await t.request('GET', `/api/v1/employees/${employee.employeeId}`, { token: employee.token })).status, 200);
    assert.equal((await t.request('GET', `/api/v1/employees/${employee.employeeId}/certificates`, { token: employee.token })).status, 200);
    const someoneElse = await t.request('GET', '/api/v1/employees?limit=1', { token });
    const other = await t.request('GET', `/api/v1/employees/${someoneElse.body.items[0].id}`, { token: employee.token });
    assert.equal(other.status, 403);
  });
});
