// Certificate forms through the module's REST API against the Реестро sandbox, over HTTP: seed
// 004's individual and legal-entity forms from the employee card to the certificate in the card
// (followed by the job), each of Реестро's eleven errors as a 400 naming the field of the
// module's own request, a create that times out and is retried (one form), and the audit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createEmployee, expectStatus, waitFor } from '../issuance/helpers.ts';
import { uploadDocument } from '../signing/helpers.ts';
import { parseCertificate, summarizeCertificate } from '../../src/crypto/x509.ts';
import { formExternalId } from '../../src/services/certificate-forms.ts';
import { createSubject, CRYPTO, expectReestro, pdfBytes, seedPerson, validLegalInn, validOgrn } from './helpers.ts';

const ADDRESS = { region: '54', city: { name: 'Новосибирск' }, street: { name: 'Челюскинцев' }, house: { name: '14' } };
const PASSPORT = { series: '4510', number: '654321', issueDate: '2015-06-01', issuerCode: '540-001', issuerName: 'ОУФМС России по Новосибирской области' };

const file = (name = 'scan.pdf', bytes = pdfBytes()) => ({ name, data: bytes.toString('base64') });

describe('certificate forms (REST) against the Реестро sandbox', () => {
  let t: TestServer;
  let admin: string;
  before(async () => {
    t = await startTestServer({ REESTRO_FORMS_POLL_SECONDS: '1' });
    admin = await t.token();
  });
  after(() => t.close());

  const api = (status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    expectStatus(t, status, method, `/api/v1${path}`, { token: admin, body, headers });

  async function personSubject(extra: Record<string, string> = {}, subject: Record<string, unknown> = {}) {
    const employee = await createEmployee(t, admin, extra);
    const created = await api(200, 'POST', '/reestro-subjects', { kind: 'person', employeeId: employee.id, gender: 'female', birthPlace: 'г. Новосибирск', address: ADDRESS, passport: PASSPORT, ...subject });
    assert.ok(created.body.subjectId, 'Реестро confirmed the subject');
    return { employee, subject: created.body as { id: string; subjectId: string } };
  }

  async function organizationSubject(name = 'ООО «Ромашка»') {
    const created = await api(200, 'POST', '/reestro-subjects', { kind: 'organization', name, inn: validLegalInn(), kpp: '540601001', ogrn: validOgrn(), regDate: '2010-05-20', address: ADDRESS });
    return created.body as { id: string; subjectId: string };
  }

  /** The field names of a problem+json answer. */
  const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  async function releaseAndApprove(formId: string) {
    const statement = await t.request('GET', `/api/v1/certificate-forms/${formId}/statement?statementType=releaseStatement`, { token: admin });
    assert.equal(statement.status, 200);
    assert.equal(statement.headers.get('content-type'), 'application/pdf');
    const released = await api(200, 'POST', `/certificate-forms/${formId}/release`, { file: file('signed-statement.pdf') });
    assert.equal(released.body.state, 'Releasing');
    assert.equal(released.body.editable, false);
    const approved = await t.request('POST', `/sandbox/console/reestro/forms/${released.body.formId}/approve`, { token: admin });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.state, 'Issued');
  }

  async function certificateInCard(employeeId: string) {
    return waitFor(
      'the Реестро certificate in the employee card (the follow job)',
      async () => {
        const response = await api(200, 'GET', `/employees/${employeeId}/certificates`);
        return response.body.find((c: { source: string }) => c.source === 'reestro');
      },
      30_000,
    );
  }

  it("files seed 004's individual form from the employee card to the certificate in the card", async () => {
    const { employee, subject } = await personSubject();
    const again = await api(200, 'POST', '/reestro-subjects', { kind: 'person', employeeId: employee.id, gender: 'female', birthPlace: 'г. Бердск', address: ADDRESS, passport: PASSPORT });
    assert.equal(again.body.id, subject.id, 'the same employee updates the same subject');
    assert.equal(again.body.data.birthPlace, 'г. Бердск');
    const snils = await uploadDocument(t, admin, 'snils.pdf', pdfBytes(), 'application/pdf', `&ownerEmployeeId=${employee.id}`);
    const created = await api(201, 'POST', '/certificate-forms', {
      personSubjectId: subject.id,
      documents: [
        { type: 'passport', file: file('passport.pdf') },
        { type: 'snils', documentId: snils.id },
        { type: 'inn', file: file('inn.pdf') },
      ],
    });
    const form = created.body;
    assert.equal(form.state, 'Created');
    assert.equal(form.ownerType, 'person');
    assert.equal(form.employeeId, employee.id);
    assert.match(form.externalId, /^kca_[0-9a-f]{32}$/);
    assert.equal(form.documents.length, 3);
    assert.deepEqual(form.documents[0].requisites, { number: '654321', series: '4510', issueDate: '2015-06-01', issuerCode: '540-001', issuerName: PASSPORT.issuerName }, 'the passport comes from the subject');
    assert.equal(form.documents[1].source, 'document');
    assert.match(form.documents[1].content.md5, /^[0-9A-F]{32}$/);

    // Реестро sees what the module sent.
    const remote = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${form.formId}`);
    assert.equal(remote.body.externalId, form.externalId);
    assert.equal(remote.body.person.person.surname, 'Иванова');
    assert.equal(remote.body.person.person.dateBirth, employee.birthDate);
    assert.equal(remote.body.person.person.snils, employee.snils);

    await releaseAndApprove(form.id);
    const certificate = await certificateInCard(employee.id);
    const info = await api(200, 'GET', `/certificate-forms/${form.id}/certificate`);
    assert.equal(info.body.certificateState, 'Valid');
    assert.equal(info.body.thumbprint, certificate.thumbprint);
    assert.equal(info.body.inEmployeeCard, true);
    const der = await t.request('GET', `/api/v1/certificate-forms/${form.id}/certificate/content`, { token: admin });
    assert.equal(der.status, 200);
    const content = await fetch(`${t.url}/api/v1/certificate-forms/${form.id}/certificate/content`, { headers: { authorization: `Bearer ${admin}` } });
    const summary = summarizeCertificate(parseCertificate(Buffer.from(await content.arrayBuffer())));
    assert.equal(summary.thumbprint, certificate.thumbprint);
    assert.match(summary.subject, /Иванова Мария Петровна/);
    const read = await api(200, 'GET', `/certificate-forms/${form.id}`);
    assert.equal(read.body.state, 'Issued');
    assert.equal(read.body.stateName, 'Сертификат выпущен');
    const list = await api(200, 'GET', `/certificate-forms?employeeId=${employee.id}`);
    assert.equal(list.body.total, 1);

    const audit = await api(200, 'GET', `/audit?targetId=${form.id}&limit=50`);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    for (const action of ['createCertificateForm', 'renderCertificateFormStatement', 'releaseCertificateForm', 'certificateForm.stateChanged', 'certificateForm.certificateAttached']) {
      assert.ok(actions.includes(action), `audit has ${action}: ${actions.join(', ')}`);
    }
  });

  it("files seed 004's legal-entity form: organization card, representative, ЕГРЮЛ extract, certificate of the organization", async () => {
    const { employee, subject } = await personSubject();
    const organization = await organizationSubject('ООО «Василёк»');
    const early = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, organizationSubjectId: organization.id, documents: [{ type: 'passport', file: file() }] });
    assert.deepEqual(fieldsOf(early.body), ['organizationSubjectId'], 'UnexistentRepresentative names the organization');
    assert.match(early.body.errors[0].message, /представител/);
    await api(200, 'POST', '/reestro-representatives', { organizationSubjectId: organization.id, personSubjectId: subject.id, post: 'Генеральный директор' });
    const extract = await api(200, 'GET', `/reestro-subjects/${organization.id}/egrul`);
    const created = await api(201, 'POST', '/certificate-forms', {
      personSubjectId: subject.id,
      organizationSubjectId: organization.id,
      documents: [
        { type: 'passport', file: file() },
        { type: 'egrul', content: extract.body.content, issueDate: extract.body.issueDate },
      ],
    });
    assert.equal(created.body.ownerType, 'legalEntity');
    await releaseAndApprove(created.body.id);
    const certificate = await certificateInCard(employee.id);
    assert.match(certificate.subject, /ООО «Василёк»/);
    const info = await api(200, 'GET', `/certificate-forms/${created.body.id}/certificate`);
    assert.equal(info.body.name, 'ООО «Василёк»');
    assert.match(info.body.ogrn, /^\d{13}$/);
  });

  it('adds and replaces documents while the form may change, and refuses once it went to the CA', async () => {
    const { subject } = await personSubject();
    const created = await api(201, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'snils', file: file() }] });
    const id = created.body.id;
    const added = await api(200, 'PATCH', `/certificate-forms/${id}`, { documents: [{ type: 'passport', file: file() }] });
    assert.equal(added.body.documents.length, 2);
    const replaced = await api(200, 'PATCH', `/certificate-forms/${id}`, { documents: [{ type: 'snils', file: file('snils-2.pdf'), replaces: created.body.documents[0].documentId }] });
    assert.equal(replaced.body.documents.length, 2);
    assert.equal(replaced.body.documents.find((d: { type: string }) => d.type === 'snils').fileName, 'snils-2.pdf');
    // Someone changes the form at Реестро: the module reads the new ETag before its own change.
    const remote = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${created.body.formId}`);
    await expectReestro(t, 200, 'PATCH', `${CRYPTO}/certificate-forms/${created.body.formId}`, { body: [{ op: 'update', path: '/person', value: remote.body.person.subjectId }], headers: { 'if-match': remote.headers.get('etag')! } });
    await api(200, 'PATCH', `/certificate-forms/${id}`, { documents: [{ type: 'inn', file: file() }] });
    await api(200, 'POST', `/certificate-forms/${id}/release`, { file: file('statement.pdf') });
    const late = await api(409, 'PATCH', `/certificate-forms/${id}`, { documents: [{ type: 'photo', file: file() }] });
    assert.match(late.body.detail, /нельзя изменить/);
    await api(409, 'POST', `/certificate-forms/${id}/release`, { file: file('statement.pdf') });
    const unknown = await api(400, 'PATCH', `/certificate-forms/${id}`, { documents: [{ type: 'photo', file: file(), replaces: randomUUID() }] });
    assert.deepEqual(fieldsOf(unknown.body), ['documents[0].replaces']);
  });

  it('shows the reasons of a form the registries refused, per field, and lets it be fixed', async () => {
    const { employee, subject } = await personSubject();
    // The SNILS passes the card's format check but not the registry: make the card hold a bad control number.
    const wrong = '112-233-445 00';
    await t.server.database.pool.query('update employees set snils = $1 where id = $2', [wrong, employee.id]);
    await api(200, 'POST', '/reestro-subjects', { kind: 'person', employeeId: employee.id, gender: 'female', birthPlace: 'г. Новосибирск', address: ADDRESS, passport: PASSPORT });
    const created = await api(201, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] });
    await api(200, 'POST', `/certificate-forms/${created.body.id}/release`, { file: file('statement.pdf') });
    const declined = await t.request('POST', `/sandbox/console/reestro/forms/${created.body.formId}/approve`, { token: admin });
    assert.equal(declined.body.state, 'ValidationError');
    const form = await api(200, 'GET', `/certificate-forms/${created.body.id}`);
    assert.equal(form.body.state, 'ValidationError');
    assert.equal(form.body.editable, true);
    assert.deepEqual(form.body.validationErrors.map((e: { field: string }) => e.field), ['employee.snils']);
    const fixed = await api(200, 'PATCH', `/certificate-forms/${created.body.id}`, { documents: [{ type: 'snils', file: file() }] });
    assert.equal(fixed.body.state, 'Created');
  });

  describe("Реестро's eleven errors as 400s naming the module's fields", () => {
    it('WrongFieldValue: a region code Реестро does not know', async () => {
      const employee = await createEmployee(t, admin);
      const answer = await api(400, 'POST', '/reestro-subjects', { kind: 'person', employeeId: employee.id, gender: 'male', birthPlace: 'г. Омск', address: { ...ADDRESS, region: '00' }, passport: PASSPORT });
      assert.deepEqual(fieldsOf(answer.body), ['address.region']);
      assert.match(answer.body.errors[0].message, /Значение не принято Реестро/);
    });

    it('AbsenceOfRequiredField: the employee card has no birth date', async () => {
      const employee = await createEmployee(t, admin, { birthDate: '' });
      const answer = await api(400, 'POST', '/reestro-subjects', { kind: 'person', employeeId: employee.id, gender: 'male', birthPlace: 'г. Омск', address: ADDRESS, passport: PASSPORT });
      assert.deepEqual(fieldsOf(answer.body), ['employee.birthDate']);
      assert.match(answer.body.errors[0].message, /Обязательное/);
    });

    it('DuplicatedExternalId: the idempotency key was used at Реестро for another form', async () => {
      const { subject } = await personSubject();
      const key = `key-${randomUUID()}`;
      const stranger = await createSubject(t, { person: seedPerson() });
      await expectReestro(t, 201, 'POST', `${CRYPTO}/certificate-forms`, { body: { externalId: formExternalId(key), person: stranger } });
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] }, { 'idempotency-key': key });
      assert.deepEqual(fieldsOf(answer.body), ['Idempotency-Key']);
    });

    it('DuplicateDocument: two identity documents', async () => {
      const { subject } = await personSubject();
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }, { type: 'snils', file: file() }, { type: 'passport', file: file() }] });
      assert.deepEqual(fieldsOf(answer.body), ['documents[2]']);
      assert.match(answer.body.errors[0].message, /больше одного раза/);
    });

    it('MismatchDocumentRequisites: the passport document disagrees with the subject', async () => {
      const { subject } = await personSubject();
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', number: '000001', file: file() }] });
      assert.deepEqual(fieldsOf(answer.body), ['documents[0].number']);
    });

    it('UnexistentRepresentative: an organization the person does not represent', async () => {
      const { subject } = await personSubject();
      const organization = await organizationSubject();
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, organizationSubjectId: organization.id, documents: [{ type: 'passport', file: file() }] });
      assert.deepEqual(fieldsOf(answer.body), ['organizationSubjectId']);
    });

    it('UnexistentSubject: Реестро lost the subject (and saving it again makes it anew)', async () => {
      const { employee, subject } = await personSubject();
      assert.equal((await t.request('DELETE', `/sandbox/console/reestro/subjects/${subject.subjectId}`, { token: admin })).status, 200);
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] });
      assert.deepEqual(fieldsOf(answer.body), ['personSubjectId']);
      assert.match(answer.body.errors[0].message, /не найден/);
      const again = await api(200, 'POST', '/reestro-subjects', { kind: 'person', employeeId: employee.id, gender: 'female', birthPlace: 'г. Новосибирск', address: ADDRESS, passport: PASSPORT });
      assert.notEqual(again.body.subjectId, subject.subjectId);
      await api(201, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] });
    });

    it('BigContentSize: a module document over 10 MB', async () => {
      const { subject } = await personSubject();
      const big = await uploadDocument(t, admin, 'big.pdf', Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024, 0x20)]), 'application/pdf');
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', documentId: big.id }] });
      assert.deepEqual(fieldsOf(answer.body), ['documents[0]']);
      assert.match(answer.body.errors[0].message, /10 МБ/);
    });

    it('UnsupportedContentType: a text file', async () => {
      const { subject } = await personSubject();
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file('passport.txt', Buffer.from('a passport, typed')) }] });
      assert.deepEqual(fieldsOf(answer.body), ['documents[0]']);
      assert.match(answer.body.errors[0].message, /PDF, PNG/);
    });

    it('UnexistentContent: a Реестро content that does not exist', async () => {
      const { subject } = await personSubject();
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', content: { contentId: randomUUID(), contentType: 'pdf', md5: '7E0D44C48AF788657EA6F5C4C87589E8' } }] });
      assert.deepEqual(fieldsOf(answer.body), ['documents[0]']);
    });

    it('WrongAddress: the subject lives at an address without a street', async () => {
      const { subject } = await personSubject({}, { address: { region: '54', settlement: { name: 'Кудряшовский', abbreviation: 'п' } } });
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] });
      assert.deepEqual(fieldsOf(answer.body), ['personSubjectId']);
      assert.match(answer.body.errors[0].message, /улиц/);
    });

    it('and an ЕГРЮЛ extract older than 3 months', async () => {
      const { subject } = await personSubject();
      const organization = await organizationSubject();
      await api(200, 'POST', '/reestro-representatives', { organizationSubjectId: organization.id, personSubjectId: subject.id, post: 'Директор' });
      const extract = await api(200, 'GET', `/reestro-subjects/${organization.id}/egrul`);
      const answer = await api(400, 'POST', '/certificate-forms', {
        personSubjectId: subject.id,
        organizationSubjectId: organization.id,
        documents: [{ type: 'passport', file: file() }, { type: 'egrul', content: extract.body.content, issueDate: '2020-01-15' }],
      });
      assert.deepEqual(fieldsOf(answer.body), ['documents[1].issueDate']);
    });

    it("the module's own checks come first, naming the field", async () => {
      const answer = await api(400, 'POST', '/certificate-forms', { personSubjectId: randomUUID(), documents: [{ type: 'passport' }, { type: 'snils', file: { name: 'x.pdf', data: '%%%' } }] });
      assert.deepEqual(fieldsOf(answer.body).sort(), ['documents[0]', 'documents[1].file.data', 'personSubjectId']);
    });
  });

  it('creates one form when the create times out and is retried (the externalId finds it)', async () => {
    const { subject } = await personSubject();
    await api(200, 'PATCH', '/settings', { RestClientMaxTimeout: 1000 });
    await expectStatus(t, 200, 'PUT', '/sandbox/console/reestro/faults', { token: admin, body: { timeoutRate: 1, operations: ['createForm'] } });
    const key = `retry-${randomUUID()}`;
    const body = { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] };
    let first;
    try {
      first = await api(201, 'POST', '/certificate-forms', body, { 'idempotency-key': key });
      const faults = await expectStatus(t, 200, 'GET', '/sandbox/console/reestro/faults', { token: admin });
      assert.equal(faults.body.requestsByMethod.createForm, 1, 'the create was sent once: its timeout was followed by a look-up, not a second create');
    } finally {
      await expectStatus(t, 200, 'PUT', '/sandbox/console/reestro/faults', { token: admin, body: {} });
      await api(200, 'DELETE', '/settings/RestClientMaxTimeout');
    }
    const again = await api(200, 'POST', '/certificate-forms', body, { 'idempotency-key': key });
    assert.equal(again.body.id, first.body.id, 'the retry returns the same form');
    const atReestro = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms?externalId=${formExternalId(key)}`);
    assert.equal(atReestro.body.forms.length, 1);
    assert.equal(atReestro.body.forms[0].formId, first.body.formId);
    const other = await api(409, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [] }, { 'idempotency-key': key });
    assert.deepEqual(fieldsOf(other.body), ['Idempotency-Key']);
  });

  it('maps an outage of Реестро to 502/504 and a refused key to 502, and audits the failure', async () => {
    const { subject } = await personSubject();
    await api(200, 'PATCH', '/settings', { ReestroApiKey: randomUUID() });
    try {
      const refused = await api(502, 'POST', '/certificate-forms', { personSubjectId: subject.id, documents: [{ type: 'passport', file: file() }] });
      assert.match(refused.body.detail, /ReestroApiKey/);
      assert.match(refused.body.detail, /номер запроса в Реестро: \S+/, "Kontur's request id is passed on");
    } finally {
      await api(200, 'DELETE', '/settings/ReestroApiKey');
    }
    const audit = await api(200, 'GET', '/audit?action=createCertificateForm&outcome=failure&limit=5');
    assert.ok(audit.body.entries.length > 0);
  });
});
