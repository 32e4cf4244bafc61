// The Реестро sandbox over HTTP, as a Kontur client sees it: seed 004's two examples, its
// eleven error codes with their contexts, authorization (401, 403, apiKey and auth.sid, names in
// any case), 415 and `Application/json`, ETags (304, 412), PATCH, render, release, and the
// CA's console (a real GOST certificate chained to the sandbox root, validationError, revoke).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildCertificateChain, parseCertificate, summarizeCertificate } from '../../src/crypto/x509.ts';
import {
  address,
  AUTHORIZATION,
  codesOf,
  createSubject,
  CRYPTO,
  ENTITY,
  expectReestro,
  md5,
  pdfBytes,
  reestro,
  SANDBOX_REESTRO_API_KEY,
  SANDBOX_REESTRO_ORG_ID,
  seedOrganization,
  seedPerson,
  uploadContent,
  validOgrnip,
} from './helpers.ts';

function pdfText(t: TestServer, pdf: Buffer): string | undefined {
  const path = join(t.dataDir, `r-${randomUUID()}.pdf`);
  writeFileSync(path, pdf);
  try {
    return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/** seed 004's passport Document for a content. */
function passport(content: { contentId: string; contentType: string; md5: string }, overrides: Record<string, unknown> = {}) {
  return {
    documentId: randomUUID(),
    documentInfo: { documentType: '008001001000', number: '123456', series: '1111', issueDate: '2018-12-12', issuer: { issuerCode: '123-123', issuerName: 'кем-то' }, ...overrides },
    content: { contentInfo: { contentId: content.contentId, contentType: content.contentType, md5: content.md5 } },
  };
}

function simple(documentType: string, content: { contentId: string; contentType: string; md5: string }) {
  return { documentId: randomUUID(), documentInfo: { documentType }, content: { contentInfo: { contentId: content.contentId, contentType: content.contentType, md5: content.md5 } } };
}

describe('Реестро sandbox', () => {
  let t: TestServer;
  let admin: string;
  before(async () => {
    t = await startTestServer();
    admin = await t.token();
  });
  after(() => t.close());

  describe('authorization and media types', () => {
    it('answers 401 without or with a wrong key, and 403 for an organization the key may not use', async () => {
      const path = `${ENTITY}/subjects?externalId=nothing`;
      const none = await reestro(t, 'GET', path, { authorization: null });
      assert.equal(none.status, 401);
      assert.equal(none.body.code, 'unauthorized');
      assert.equal((await reestro(t, 'GET', path, { authorization: `Bearer ${SANDBOX_REESTRO_API_KEY}` })).status, 401);
      assert.equal((await reestro(t, 'GET', path, { authorization: `ReestroAuth apiKey=${randomUUID()}&portal.orgid=${SANDBOX_REESTRO_ORG_ID}` })).status, 401);
      assert.equal((await reestro(t, 'GET', path, { authorization: `ReestroAuth apiKey=${SANDBOX_REESTRO_API_KEY}` })).status, 401);
      const other = await reestro(t, 'GET', path, { authorization: `ReestroAuth apiKey=${SANDBOX_REESTRO_API_KEY}&portal.orgid=${randomUUID()}` });
      assert.equal(other.status, 403);
      assert.equal(other.body.code, 'forbidden');
    });

    it('compares the parameter names and the key case-insensitively (portal.orgId, APIKEY)', async () => {
      const path = `${ENTITY}/subjects?externalId=nothing`;
      const ok = await reestro(t, 'GET', path, { authorization: `reestroauth APIKEY=${SANDBOX_REESTRO_API_KEY.toUpperCase()}&portal.orgId=${SANDBOX_REESTRO_ORG_ID.toUpperCase()}` });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(ok.body, { subjects: [] });
    });

    it("accepts seed 004's auth.sid from a console session, for that session's organization only", async () => {
      const otherOrg = randomUUID();
      const session = await t.request('POST', '/sandbox/console/reestro/sessions', { token: admin, body: { organizationId: otherOrg } });
      assert.equal(session.status, 200, JSON.stringify(session.body));
      assert.match(session.body.sid, /^[0-9A-F]{64}$/);
      const path = `${ENTITY}/subjects?externalId=nothing`;
      assert.equal((await reestro(t, 'GET', path, { authorization: `ReestroAuth auth.sid=${session.body.sid}&portal.orgid=${otherOrg}` })).status, 200);
      assert.equal((await reestro(t, 'GET', path, { authorization: `ReestroAuth auth.sid=${session.body.sid}&portal.orgid=${SANDBOX_REESTRO_ORG_ID}` })).status, 403);
      assert.equal((await reestro(t, 'GET', path, { authorization: `ReestroAuth auth.sid=${'A'.repeat(64)}&portal.orgid=${otherOrg}` })).status, 401);
      // One organization never sees another's subjects.
      const mine = await createSubject(t, { person: seedPerson() });
      const foreign = await reestro(t, 'GET', `${ENTITY}/subjects/${mine}`, { authorization: `ReestroAuth auth.sid=${session.body.sid}&portal.orgid=${otherOrg}` });
      assert.equal(foreign.status, 404);
    });

    it('answers 415 for a body that is not JSON, and takes Application/json in any spelling', async () => {
      const text = await reestro(t, 'POST', `${CRYPTO}/certificate-forms`, { body: { person: randomUUID() }, contentType: 'text/plain' });
      assert.equal(text.status, 415);
      assert.equal(text.body.code, 'unsupportedMediaType');
      assert.equal((await reestro(t, 'POST', `${ENTITY}/subjects`, { body: { person: seedPerson() }, contentType: 'text/json' })).status, 415);
      assert.equal((await reestro(t, 'POST', `${ENTITY}/subjects`, { body: { person: seedPerson() }, contentType: 'Application/json' })).status, 201);
      assert.equal((await reestro(t, 'POST', `${ENTITY}/subjects`, { body: { person: seedPerson() }, contentType: 'APPLICATION/JSON; charset=utf-8' })).status, 201);
      const broken = await reestro(t, 'POST', `${ENTITY}/subjects`, { raw: Buffer.from('{"person":'), contentType: 'application/json' });
      assert.equal(broken.status, 400);
      assert.deepEqual(codesOf(broken.body), ['WrongFieldValue']);
    });

    it('serves the entity API under /entity/v1 too (newer pages)', async () => {
      const created = await expectReestro(t, 201, 'POST', '/sandbox/reestro/entity/v1/subjects', { body: { person: seedPerson() } });
      await expectReestro(t, 200, 'GET', `${ENTITY}/subjects/${created.body.subjectId}`);
    });
  });

  describe('subjects and representatives', () => {
    it('takes exactly one of person, soleProprietor, organization, with its own checks', async () => {
      const both = await expectReestro(t, 400, 'POST', `${ENTITY}/subjects`, { body: { person: seedPerson(), organization: seedOrganization() } });
      assert.deepEqual(codesOf(both.body), ['WrongFieldValue']);
      const none = await expectReestro(t, 400, 'POST', `${ENTITY}/subjects`, { body: { externalId: 'x1' } });
      assert.deepEqual(codesOf(none.body), ['AbsenceOfRequiredField']);
      const bad = await expectReestro(t, 400, 'POST', `${ENTITY}/subjects`, { body: { person: seedPerson({ snils: '123', dateBirth: undefined, gender: 'X' }) } });
      assert.deepEqual(codesOf(bad.body).sort(), ['AbsenceOfRequiredField', 'WrongFieldValue', 'WrongFieldValue']);
      assert.ok(bad.body.errors.some((e: { message: string }) => e.message.includes("'person.snils'")), 'the field is named in the message');
      assert.ok(bad.body.errors.every((e: { target: string }) => e.target === 'EntityApi'));
      const ip = await expectReestro(t, 201, 'POST', `${ENTITY}/subjects`, { body: { soleProprietor: { ...seedPerson(), ogrnip: validOgrnip() } } });
      assert.ok(ip.body.soleProprietor);
    });

    it('finds a subject by externalId, refuses a duplicate, replaces its data with PUT and keeps its type', async () => {
      const externalId = `ext_${randomUUID().replace(/-/g, '')}`;
      const id = await createSubject(t, { externalId, person: seedPerson() });
      const again = await expectReestro(t, 400, 'POST', `${ENTITY}/subjects`, { body: { externalId, person: seedPerson() } });
      assert.deepEqual(codesOf(again.body), ['DuplicatedExternalId']);
      const found = await expectReestro(t, 200, 'GET', `${ENTITY}/subjects?externalId=${externalId}`);
      assert.equal(found.body.subjects.length, 1);
      assert.equal(found.body.subjects[0].subjectId, id);
      const put = await expectReestro(t, 200, 'PUT', `${ENTITY}/subjects/${id}`, { body: { externalId, person: seedPerson({ birthPlace: 'г. Омск' }) } });
      assert.equal(put.body.person.birthPlace, 'г. Омск');
      const retype = await expectReestro(t, 400, 'PUT', `${ENTITY}/subjects/${id}`, { body: { organization: seedOrganization() } });
      assert.deepEqual(codesOf(retype.body), ['WrongFieldValue']);
      await expectReestro(t, 404, 'PUT', `${ENTITY}/subjects/${randomUUID()}`, { body: { person: seedPerson() } });
    });

    it('makes one representative per pair and reads it by the two ids written together', async () => {
      const org = await createSubject(t, { organization: seedOrganization() });
      const person = await createSubject(t, { person: seedPerson() });
      const noPost = await expectReestro(t, 400, 'POST', `${ENTITY}/representatives`, { body: { principal: { subjectId: org }, agent: { subjectId: person } } });
      assert.deepEqual(codesOf(noPost.body), ['AbsenceOfRequiredField']);
      const missing = await expectReestro(t, 400, 'POST', `${ENTITY}/representatives`, { body: { principal: { subjectId: randomUUID() }, agent: { subjectId: person }, post: 'Директор' } });
      assert.deepEqual(codesOf(missing.body), ['UnexistentSubject']);
      await expectReestro(t, 201, 'POST', `${ENTITY}/representatives`, { body: { principal: { subjectId: org }, agent: { subjectId: person }, representativeType: 'Employee', post: 'Директор' } });
      await expectReestro(t, 409, 'POST', `${ENTITY}/representatives`, { body: { principal: { subjectId: org }, agent: { subjectId: person }, post: 'Директор' } });
      const read = await expectReestro(t, 200, 'GET', `${ENTITY}/representatives/${org}${person}`);
      assert.deepEqual(read.body, { principal: { subjectId: org }, agent: { subjectId: person }, representativeType: 'Employee', post: 'Директор' });
      await expectReestro(t, 404, 'GET', `${ENTITY}/representatives/${person}${org}`);
    });

    it('gives an ЕГРЮЛ extract dated today as a content, for organizations and sole proprietors only', async () => {
      const org = await createSubject(t, { organization: seedOrganization({ name: 'ООО «Выписка»' }) });
      const extract = await expectReestro(t, 200, 'GET', `${ENTITY}/subjects/${org}/egrul`);
      assert.equal(extract.body.contentType, 'pdf');
      const pdf = await expectReestro(t, 200, 'GET', `${CRYPTO}/contents/${extract.body.contentId}`);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      assert.equal(md5(pdf.bytes), extract.body.md5);
      const text = pdfText(t, pdf.bytes);
      if (text !== undefined) {
        assert.match(text, /ВЫПИСКА ИЗ ЕДИНОГО ГОСУДАРСТВЕННОГО РЕЕСТРА\s+ЮРИДИЧЕСКИХ ЛИЦ/);
        assert.match(text, /ООО «Выписка»/);
        assert.ok(text.includes(today().split('-').reverse().join('.')), 'dated today');
      }
      const person = await createSubject(t, { person: seedPerson() });
      assert.deepEqual(codesOf((await expectReestro(t, 400, 'GET', `${ENTITY}/subjects/${person}/egrul`)).body), ['WrongFieldValue']);
    });
  });

  describe("seed 004's examples", () => {
    it('creates the individual form of example 1 (201, ETag, the person expanded, state Created)', async () => {
      const person = await createSubject(t, { person: seedPerson() });
      const first = await uploadContent(t);
      const second = await uploadContent(t);
      const body = {
        person,
        documents: [
          { documentId: randomUUID(), documentInfo: { documentType: '008001001000', number: '123456', series: '1111', issueDate: '2018-12-12', issuer: { issuerCode: '123-123', issuerName: 'кем-то' } }, content: { contentInfo: { contentId: first.contentId, contentType: 'pdf', md5: first.md5 } } },
          { documentId: randomUUID(), documentInfo: { documentType: '100' }, content: { contentInfo: { contentId: first.contentId, contentType: 'pdf', md5: first.md5 } } },
          { documentId: randomUUID(), documentInfo: { documentType: '200' }, content: { contentInfo: { contentId: second.contentId, contentType: 'pdf', md5: second.md5 } } },
        ],
      };
      const created = await expectReestro(t, 201, 'POST', `${CRYPTO}/certificate-forms`, { body });
      assert.match(created.headers.get('etag') ?? '', /^[0-9a-f]{18}$/);
      assert.match(created.headers.get('content-type') ?? '', /^application\/json/i);
      assert.equal(created.body.state, 'Created');
      assert.equal(created.body.person.subjectId, person);
      assert.equal(created.body.person.person.surname, 'Тарасова');
      assert.equal(created.body.documents.length, 3);
      assert.deepEqual(created.body.documents[0].content.contentInfo, { contentId: first.contentId, contentType: 'pdf', md5: first.md5 });
    });

    it('creates the legal-entity form of example 2, with the content nested in documentInfo as the seed writes it', async () => {
      const person = await createSubject(t, { person: seedPerson() });
      const organization = await createSubject(t, { organization: seedOrganization() });
      await expectReestro(t, 201, 'POST', `${ENTITY}/representatives`, { body: { principal: { subjectId: organization }, agent: { subjectId: person }, post: 'Директор' } });
      const scan = await uploadContent(t);
      const inn = await uploadContent(t);
      const body = {
        person,
        organization,
        documents: [
          passport(scan),
          // The seed's 2018-12-12 would be too old today: an extract must be at most 3 months old.
          { documentId: randomUUID(), documentInfo: { documentType: '008002008000', number: '123456', issueDate: today(), content: { contentInfo: { contentId: scan.contentId, contentType: 'pdf', md5: scan.md5 } } } },
          simple('200', inn),
        ],
      };
      const created = await expectReestro(t, 201, 'POST', `${CRYPTO}/certificate-forms`, { body });
      assert.equal(created.body.state, 'Created');
      assert.equal(created.body.organization.subjectId, organization);
      assert.equal(created.body.documents[1].content.contentInfo.contentId, scan.contentId, 'the nested content is understood');
    });
  });

  describe('the eleven error codes of POST /certificate-forms', () => {
    let person: string;
    let content: { contentId: string; contentType: string; md5: string; size: number };
    before(async () => {
      person = await createSubject(t, { person: seedPerson() });
      content = await uploadContent(t);
    });
    const post = (body: unknown) => expectReestro(t, 400, 'POST', `${CRYPTO}/certificate-forms`, { body });

    it("answers in seed 004's shape", async () => {
      const answer = await post({ person, externalId: 'not valid!' });
      assert.equal(answer.body.code, 'validation');
      assert.equal(answer.body.target, 'api');
      assert.equal(typeof answer.body.message, 'string');
      assert.deepEqual(Object.keys(answer.body.errors[0]).sort(), ['code', 'context', 'message', 'target']);
      assert.equal(answer.body.errors[0].target, 'CryptoApi');
    });

    it('WrongFieldValue names the field in its message', async () => {
      const answer = await post({ person, externalId: 'not valid!' });
      assert.deepEqual(codesOf(answer.body), ['WrongFieldValue']);
      assert.match(answer.body.errors[0].message, /'externalId'/);
    });

    it('AbsenceOfRequiredField', async () => {
      assert.deepEqual(codesOf((await post({ documents: [] })).body), ['AbsenceOfRequiredField']);
    });

    it('DuplicatedExternalId', async () => {
      const externalId = `dup_${randomUUID().replace(/-/g, '')}`;
      await expectReestro(t, 201, 'POST', `${CRYPTO}/certificate-forms`, { body: { externalId, person, documents: [passport(content)] } });
      assert.deepEqual(codesOf((await post({ externalId, person, documents: [passport(content)] })).body), ['DuplicatedExternalId']);
      const found = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms?externalId=${externalId}`);
      assert.equal(found.body.forms.length, 1);
    });

    it('DuplicateDocument, with the duplicated documents as its context', async () => {
      const one = passport(content);
      const two = passport(content);
      const answer = await post({ person, documents: [one, simple('100', content), two] });
      assert.deepEqual(codesOf(answer.body), ['DuplicateDocument']);
      assert.deepEqual(answer.body.errors[0].context.map((d: { documentId: string }) => d.documentId), [one.documentId, two.documentId]);
    });

    it('MismatchDocumentRequisites', async () => {
      assert.deepEqual(codesOf((await post({ person, documents: [passport(content, { number: '654321' })] })).body), ['MismatchDocumentRequisites']);
    });

    it('UnexistentRepresentative', async () => {
      const organization = await createSubject(t, { organization: seedOrganization() });
      assert.deepEqual(codesOf((await post({ person, organization, documents: [passport(content)] })).body), ['UnexistentRepresentative']);
    });

    it('UnexistentSubject, with the subject id as its context', async () => {
      const missing = randomUUID();
      const answer = await post({ person: missing });
      assert.deepEqual(codesOf(answer.body), ['UnexistentSubject']);
      assert.equal(answer.body.errors[0].context, missing);
      // A subject the CA lost (console) is gone for forms too.
      const doomed = await createSubject(t, { person: seedPerson() });
      assert.equal((await t.request('DELETE', `/sandbox/console/reestro/subjects/${doomed}`, { token: admin })).status, 200);
      assert.deepEqual(codesOf((await post({ person: doomed })).body), ['UnexistentSubject']);
    });

    it('BigContentSize, with the ContentInfo as its context', async () => {
      const big = Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]);
      const uploaded = await uploadContent(t, big);
      const answer = await post({ person, documents: [passport(uploaded)] });
      assert.deepEqual(codesOf(answer.body), ['BigContentSize']);
      assert.equal(answer.body.errors[0].context.contentId, uploaded.contentId);
      assert.equal(answer.body.errors[0].context.size, big.length);
    });

    it('UnsupportedContentType, with the ContentInfo as its context', async () => {
      const text = await uploadContent(t, Buffer.from('plain text scan'), 'text/plain');
      assert.equal(text.contentType, 'txt');
      const answer = await post({ person, documents: [passport(text)] });
      assert.deepEqual(codesOf(answer.body), ['UnsupportedContentType']);
      assert.equal(answer.body.errors[0].context.contentId, text.contentId);
    });

    it('UnexistentContent, with the ContentInfo as its context', async () => {
      const ghost = { contentId: randomUUID(), contentType: 'pdf', md5: '7E0D44C48AF788657EA6F5C4C87589E8' };
      const answer = await post({ person, documents: [passport(ghost)] });
      assert.deepEqual(codesOf(answer.body), ['UnexistentContent']);
      assert.deepEqual(answer.body.errors[0].context, ghost);
    });

    it('WrongAddress for a subject without the street level, with the Address as its context', async () => {
      const villager = await createSubject(t, { person: seedPerson({ address: address(false) }) });
      const answer = await post({ person: villager, documents: [passport(content)] });
      assert.deepEqual(codesOf(answer.body), ['WrongAddress']);
      assert.deepEqual(answer.body.errors[0].context, address(false));
    });

    it('refuses an ЕГРЮЛ extract older than 3 months, and one on a form of a person', async () => {
      const organization = await createSubject(t, { organization: seedOrganization() });
      await expectReestro(t, 201, 'POST', `${ENTITY}/representatives`, { body: { principal: { subjectId: organization }, agent: { subjectId: person }, post: 'Директор' } });
      const old = new Date(Date.now() - 100 * 24 * 3600_000).toISOString().slice(0, 10);
      const extract = { documentId: randomUUID(), documentInfo: { documentType: '008002008000', issueDate: old }, content: { contentInfo: { contentId: content.contentId, contentType: 'pdf', md5: content.md5 } } };
      const answer = await post({ person, organization, documents: [passport(content), extract] });
      assert.deepEqual(codesOf(answer.body), ['WrongFieldValue']);
      assert.match(answer.body.errors[0].message, /older than 3 months/);
      const personal = await post({ person, documents: [passport(content), { ...extract, documentInfo: { documentType: '008002008000', issueDate: today() } }] });
      assert.deepEqual(codesOf(personal.body), ['WrongFieldValue']);
    });

    it('reports every problem of a request at once', async () => {
      const answer = await post({ person: randomUUID(), externalId: '!', documents: [passport({ contentId: randomUUID(), contentType: 'pdf', md5: '0'.repeat(32) })] });
      assert.deepEqual(codesOf(answer.body).sort(), ['UnexistentContent', 'UnexistentSubject', 'WrongFieldValue']);
    });
  });

  describe('a form from creation to certificate', () => {
    it('serves ETags (304), changes with PATCH under If-Match (412 when stale), renders, releases and issues a real certificate', async () => {
      const person = await createSubject(t, { person: seedPerson({ surname: 'Петрова', name: 'Ольга', patronymic: 'Игоревна' }) });
      const scan = await uploadContent(t);
      const created = await expectReestro(t, 201, 'POST', `${CRYPTO}/certificate-forms`, { body: { person, documents: [simple('100', scan)] } });
      const formId = created.body.formId;
      const etag = created.headers.get('etag')!;

      const unchanged = await reestro(t, 'GET', `${CRYPTO}/certificate-forms/${formId}`, { headers: { 'if-none-match': etag } });
      assert.equal(unchanged.status, 304);
      assert.equal(unchanged.headers.get('etag'), etag);
      assert.equal((await reestro(t, 'GET', `${CRYPTO}/certificate-forms/${formId}`, { headers: { 'if-none-match': `W/"${etag}"` } })).status, 304);
      assert.equal((await reestro(t, 'GET', `${CRYPTO}/certificate-forms/${formId}`, { headers: { 'if-none-match': '"0000"' } })).status, 200);

      // Release needs an identity document.
      const statement = await uploadContent(t);
      const early = await expectReestro(t, 400, 'POST', `${CRYPTO}/certificate-forms/${formId}/release`, { body: statement });
      assert.deepEqual(codesOf(early.body), ['AbsenceOfRequiredField']);

      const patched = await expectReestro(t, 200, 'PATCH', `${CRYPTO}/certificate-forms/${formId}`, { body: [{ op: 'add', path: '/documents', value: passport(scan) }], headers: { 'if-match': etag } });
      assert.equal(patched.body.documents.length, 2);
      const newTag = patched.headers.get('etag')!;
      assert.notEqual(newTag, etag);
      const stale = await reestro(t, 'PATCH', `${CRYPTO}/certificate-forms/${formId}`, { body: [{ op: 'add', path: '/documents', value: simple('200', scan) }], headers: { 'if-match': etag } });
      assert.equal(stale.status, 412);
      const unknownPath = await expectReestro(t, 400, 'PATCH', `${CRYPTO}/certificate-forms/${formId}`, { body: [{ op: 'remove', path: '/documents' }] });
      assert.deepEqual(codesOf(unknownPath.body), ['WrongFieldValue']);
      const badDocument = await expectReestro(t, 400, 'PATCH', `${CRYPTO}/certificate-forms/${formId}`, { body: [{ op: 'add', path: '/documents', value: passport(scan, { number: '000000' }) }] });
      assert.deepEqual(codesOf(badDocument.body).sort(), ['DuplicateDocument'], 'a second identity document is a duplicate');

      const pdf = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${formId}/render?statementType=releaseStatement`);
      assert.equal(pdf.headers.get('content-type'), 'application/pdf');
      const text = pdfText(t, pdf.bytes);
      if (text !== undefined) {
        assert.match(text, /ЗАЯВЛЕНИЕ\s+НА\s+ИЗГОТОВЛЕНИЕ/);
        assert.match(text, /Петрова Ольга Игоревна/);
        assert.match(text, /1111 123456/);
      }
      await expectReestro(t, 409, 'GET', `${CRYPTO}/certificate-forms/${formId}/render?statementType=recallStatement`);
      await expectReestro(t, 400, 'GET', `${CRYPTO}/certificate-forms/${formId}/render?statementType=other`);

      const released = await expectReestro(t, 200, 'POST', `${CRYPTO}/certificate-forms/${formId}/release`, { body: { contentId: statement.contentId, contentType: 'pdf', md5: statement.md5 } });
      assert.equal(released.body.state, 'Releasing');
      await expectReestro(t, 409, 'POST', `${CRYPTO}/certificate-forms/${formId}/release`, { body: statement });
      await expectReestro(t, 409, 'PATCH', `${CRYPTO}/certificate-forms/${formId}`, { body: [{ op: 'add', path: '/documents', value: simple('200', scan) }] });
      await expectReestro(t, 404, 'GET', `${CRYPTO}/certificate-forms/${formId}/certificate`);

      const approved = await t.request('POST', `/sandbox/console/reestro/forms/${formId}/approve`, { token: admin });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.state, 'Issued');

      const info = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${formId}/certificate`);
      assert.equal(info.body.certificateState, 'Valid');
      assert.equal(info.body.name, 'Петрова Ольга Игоревна');
      assert.equal(info.body.data.contentType, 'cer');
      assert.equal(info.body.receipt.contentType, 'pdf');
      const der = (await expectReestro(t, 200, 'GET', `${CRYPTO}/contents/${info.body.data.contentId}`)).bytes;
      const certificate = parseCertificate(der);
      const summary = summarizeCertificate(certificate);
      assert.match(summary.subject, /Петрова/);
      assert.equal(summary.notAfter, info.body.validTo);
      const root = parseCertificate(Buffer.from(await (await fetch(`${t.url}/sandbox/ca/root.cer`)).arrayBuffer()));
      assert.equal(buildCertificateChain(certificate, { trustedRoots: [root] }).ok, true, 'chains to the sandbox root');

      const recall = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${formId}/render?statementType=recallStatement`);
      const recallText = pdfText(t, recall.bytes);
      if (recallText !== undefined) assert.ok(recallText.includes(summary.serialNumber), 'the recall statement names the certificate');

      assert.equal((await t.request('POST', `/sandbox/console/reestro/forms/${formId}/revoke`, { token: admin })).status, 200);
      assert.equal((await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${formId}/certificate`)).body.certificateState, 'Revoke');
    });

    it('moves a form whose SNILS the registries reject to ValidationError, and a change brings it back to Created', async () => {
      const person = await createSubject(t, { person: seedPerson({ snils: '112-233-445 00' }) });
      const scan = await uploadContent(t);
      const created = await expectReestro(t, 201, 'POST', `${CRYPTO}/certificate-forms`, { body: { person, documents: [passport(scan)] } });
      const formId = created.body.formId;
      await expectReestro(t, 200, 'POST', `${CRYPTO}/certificate-forms/${formId}/release`, { body: scan });
      const declined = await t.request('POST', `/sandbox/console/reestro/forms/${formId}/approve`, { token: admin });
      assert.equal(declined.body.state, 'ValidationError');
      const form = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms/${formId}`);
      assert.equal(form.body.state, 'ValidationError');
      assert.deepEqual(codesOf({ errors: form.body.validationErrors }), ['WrongFieldValue']);
      assert.match(form.body.validationErrors[0].message, /'person\.snils'/);
      const replaced = await expectReestro(t, 200, 'PATCH', `${CRYPTO}/certificate-forms/${formId}`, {
        body: [{ op: 'update', path: `/documents/${created.body.documents[0].documentId}`, value: { ...passport(await uploadContent(t)), documentId: created.body.documents[0].documentId } }],
        headers: { 'if-match': form.headers.get('etag')! },
      });
      assert.equal(replaced.body.state, 'Created');
      assert.equal(replaced.body.validationErrors, undefined);

      // The operator's own reasons.
      await expectReestro(t, 200, 'POST', `${CRYPTO}/certificate-forms/${formId}/release`, { body: scan });
      const rejected = await t.request('POST', `/sandbox/console/reestro/forms/${formId}/reject`, { token: admin, body: { reasons: [{ field: 'documents[0]', message: 'скан нечитаем' }, { message: 'Позвоните в УЦ' }] } });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      assert.deepEqual(codesOf({ errors: rejected.body.validationErrors }), ['WrongFieldValue', 'OperatorRemark']);
      const empty = await t.request('POST', `/sandbox/console/reestro/forms/${formId}/reject`, { token: admin, body: { reasons: [] } });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.errors[0].field, 'reasons');
      const late = await t.request('POST', `/sandbox/console/reestro/forms/${formId}/reject`, { token: admin, body: { reasons: [{ message: 'ещё раз' }] } });
      assert.equal(late.status, 409, 'no longer Releasing');
    });

    it('holds the answer of a "timed out" create back while doing the work (fault injection per operation)', async () => {
      const set = await t.request('PUT', '/sandbox/console/reestro/faults', { token: admin, body: { timeoutRate: 1, operations: ['createForm'] } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      try {
        const person = await createSubject(t, { person: seedPerson() });
        const externalId = `held_${randomUUID().replace(/-/g, '')}`;
        const aborted = await fetch(`${t.url}${CRYPTO}/certificate-forms`, {
          method: 'POST',
          headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' },
          body: JSON.stringify({ externalId, person }),
          signal: AbortSignal.timeout(500),
        }).then(
          () => 'answered',
          () => 'gave up',
        );
        assert.equal(aborted, 'gave up');
        const found = await expectReestro(t, 200, 'GET', `${CRYPTO}/certificate-forms?externalId=${externalId}`);
        assert.equal(found.body.forms.length, 1, 'the work was done');
        const faults = await t.request('GET', '/sandbox/console/reestro/faults', { token: admin });
        assert.equal(faults.body.requestsByMethod.createForm, 1);
        assert.equal(faults.body.requestsByMethod.findForms, undefined, 'other operations are left alone');
      } finally {
        await t.request('PUT', '/sandbox/console/reestro/faults', { token: admin, body: {} });
      }
    });
  });
});
