// Certificate forms of the Реестро sandbox: seed 004's POST /certificate-forms with its eleven
// error codes, reads with ETags, PATCH with If-Match, release, and the CA's decisions (the
// console): approval with a real GOST certificate from the sandbox CA, or validationError with
// reasons, and revocation. States: Created → Releasing → Issued | ValidationError (a change
// brings it back to Created) ; Issued → Revoked (docs/sandbox.md).
import { createHash } from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SandboxDb } from './store/database.ts';
import { sandboxReestroForms, type SandboxReestroDocument, type SandboxReestroFormError } from './store/schema.ts';
import type { NameFields } from '../crypto/x509-names.ts';
import type { SandboxCa } from './ca.ts';
import type { SandboxConfig } from './config.ts';
import { conflict, notFound, ReestroError, ReestroProblems } from './reestro-error.ts';
import { contentInfo, subjectView, type ReestroStore, type SandboxReestroContent, type SandboxReestroSubject } from './reestro-store.ts';
import { addressReachesStreet, documentKind, FORM_CONTENT_TYPES, isExternalId, isGuid, isPastDate, MAX_FORM_CONTENT_BYTES, smevFindings } from './reestro-rules.ts';
import { renderReceipt, renderStatement, type StatementData } from './reestro-papers.ts';

export type SandboxReestroForm = typeof sandboxReestroForms.$inferSelect;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The names seed 004 gives the documents, for the statements. */
const DOCUMENT_NAMES: Record<string, string> = {
  identity: 'Документ, удостоверяющий личность',
  egrul: 'Выписка из ЕГРЮЛ (ЕГРИП)',
  snils: 'СНИЛС',
  inn: 'ИНН',
  photo: 'Фотография владельца с паспортом',
};

/** seed 004: an ЕГРЮЛ extract is accepted if it is at most 3 months old. */
function olderThanThreeMonths(isoDate: string, now = new Date()): boolean {
  const limit = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, now.getUTCDate()));
  return Date.parse(`${isoDate}T00:00:00Z`) < limit.getTime();
}

/** An ETag as seed 004 shows it (`ETag: 686897696a7c876b7e`): hex, unquoted, new with every change. */
export function formEtag(form: Pick<SandboxReestroForm, 'id' | 'version'>): string {
  return createHash('sha1').update(`${form.id}:${form.version}`).digest('hex').slice(0, 18);
}

/** If-Match / If-None-Match against the form's tag: quoted or not, weak or not, a list, or `*`. */
export function tagMatches(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => {
    const value = candidate.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    return value === '*' || value === etag;
  });
}

/** A document with its content where seed 004's first example puts it (the second nests it in documentInfo). */
function normalizeDocument(value: Record<string, unknown>): SandboxReestroDocument {
  const info = isObject(value.documentInfo) ? { ...value.documentInfo } : {};
  const nested = info.content;
  delete info.content;
  const content = isObject(value.content) ? value.content : isObject(nested) ? nested : undefined;
  const contentInfo = content && isObject(content.contentInfo) ? content.contentInfo : undefined;
  return {
    documentId: String(value.documentId),
    documentInfo: info as SandboxReestroDocument['documentInfo'],
    ...(contentInfo ? { content: { contentInfo: { contentId: String(contentInfo.contentId ?? ''), contentType: String(contentInfo.contentType ?? ''), md5: String(contentInfo.md5 ?? '') } } } : {}),
  };
}

interface FormInput {
  person: unknown;
  organization: unknown;
  documents: unknown;
}

interface CheckedForm {
  person: SandboxReestroSubject;
  organization?: SandboxReestroSubject;
  documents: SandboxReestroDocument[];
}

export class ReestroForms {
  constructor(
    private readonly db: SandboxDb,
    private readonly store: ReestroStore,
    private readonly ca: SandboxCa,
    private readonly config: SandboxConfig,
    private readonly logger: Logger,
  ) {}

  // ---- the API ------------------------------------------------------------------------------

  async create(orgId: string, body: unknown): Promise<SandboxReestroForm> {
    const problems = new ReestroProblems('CryptoApi');
    if (!isObject(body)) {
      problems.wrongField('body', 'a JSON object');
      problems.throwIfAny();
    }
    const input = body as Record<string, unknown>;
    const externalId = input.externalId;
    if (externalId !== undefined && externalId !== null && !isExternalId(externalId)) problems.wrongField('externalId', 'must match ^\\w{1,256}$');
    else if (isExternalId(externalId) && (await this.byExternalId(orgId, externalId))) problems.add('DuplicatedExternalId', `externalId '${externalId}' has already been used`);
    const checked = await this.check(orgId, { person: input.person, organization: input.organization, documents: input.documents }, problems);
    problems.throwIfAny();
    const [form] = await this.db
      .insert(sandboxReestroForms)
      .values({ orgId, externalId: isExternalId(externalId) ? externalId : null, personId: checked!.person.id, organizationId: checked!.organization?.id ?? null, documents: checked!.documents })
      .onConflictDoNothing()
      .returning();
    if (!form) {
      // Two creations with one externalId at the same moment: the second is a duplicate.
      problems.add('DuplicatedExternalId', `externalId '${String(externalId)}' has already been used`);
      problems.throwIfAny();
    }
    return form;
  }

  async byExternalId(orgId: string, externalId: string): Promise<SandboxReestroForm | undefined> {
    const [form] = await this.db.select().from(sandboxReestroForms).where(and(eq(sandboxReestroForms.orgId, orgId), eq(sandboxReestroForms.externalId, externalId)));
    return form;
  }

  async get(orgId: string, id: string): Promise<SandboxReestroForm> {
    if (!isGuid(id)) throw notFound('Certificate form');
    await this.catchUp();
    const [form] = await this.db.select().from(sandboxReestroForms).where(and(eq(sandboxReestroForms.orgId, orgId), eq(sandboxReestroForms.id, id)));
    if (!form) throw notFound('Certificate form');
    return form;
  }

  /** PATCH: [{op: add|update, path, value}], only in Created and ValidationError; a change brings the form back to Created. */
  async patch(orgId: string, id: string, body: unknown, ifMatch: string | undefined): Promise<SandboxReestroForm> {
    // No transaction held across the checks (they read through other connections of the pool):
    // the update below applies only to the version that was checked (optimistic locking).
    {
      const [form] = await this.db.select().from(sandboxReestroForms).where(and(eq(sandboxReestroForms.orgId, orgId), eq(sandboxReestroForms.id, id)));
      if (!form) throw notFound('Certificate form');
      if (ifMatch !== undefined && !tagMatches(ifMatch, formEtag(form))) throw new ReestroError(412, 'PreconditionFailed', 'The form has changed since the version in If-Match');
      if (form.state !== 'Created' && form.state !== 'ValidationError') throw conflict('WrongFormState', `The form cannot be changed in state ${form.state}`);
      const problems = new ReestroProblems('CryptoApi');
      if (!Array.isArray(body) || body.length === 0) {
        problems.wrongField('body', 'a non-empty array of operations [{op, path, value}]');
        problems.throwIfAny();
      }
      let person: unknown = form.personId;
      let organization: unknown = form.organizationId;
      const documents: unknown[] = form.documents.map((d) => ({ ...d }));
      (body as unknown[]).forEach((operation, i) => {
        const field = `[${i}]`;
        if (!isObject(operation)) return problems.wrongField(field, 'an object {op, path, value}');
        const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : '';
        const path = typeof operation.path === 'string' ? operation.path : '';
        if (op !== 'add' && op !== 'update') return problems.wrongField(`${field}.op`, 'add or update');
        if (op === 'add' && (path === '/documents' || path === '/documents/-')) {
          documents.push(operation.value);
          return;
        }
        const replace = /^\/documents\/([^/]+)$/.exec(path);
        if (op === 'update' && replace) {
          const at = documents.findIndex((d) => isObject(d) && d.documentId === replace[1]);
          if (at < 0) return problems.wrongField(`${field}.path`, `the form has no document ${replace[1]}`);
          if (!isObject(operation.value)) return problems.wrongField(`${field}.value`, 'a Document');
          if (operation.value.documentId !== undefined && operation.value.documentId !== replace[1]) return problems.wrongField(`${field}.value.documentId`, 'must be the documentId of the path');
          documents[at] = { ...operation.value, documentId: replace[1] };
          return;
        }
        if (op === 'update' && path === '/person') {
          person = operation.value;
          return;
        }
        if (op === 'update' && path === '/organization') {
          organization = operation.value ?? undefined;
          return;
        }
        problems.wrongField(`${field}.path`, `${op} ${path || '(no path)'} is not supported: add /documents, update /documents/{documentId}, /person, /organization`);
      });
      problems.throwIfAny();
      const checked = await this.check(orgId, { person, organization, documents }, problems);
      problems.throwIfAny();
      const [updated] = await this.db
        .update(sandboxReestroForms)
        .set({
          personId: checked!.person.id,
          organizationId: checked!.organization?.id ?? null,
          documents: checked!.documents,
          state: 'Created',
          validationErrors: [],
          version: form.version + 1,
          ...(form.state !== 'Created' ? { stateChangedAt: new Date() } : {}),
          updatedAt: new Date(),
        })
        .where(and(eq(sandboxReestroForms.id, form.id), eq(sandboxReestroForms.version, form.version)))
        .returning();
      if (!updated) throw new ReestroError(412, 'PreconditionFailed', 'The form changed while this change was checked: read it again');
      return updated;
    }
  }

  /** POST .../release with the signed statement's ContentInfo: the form goes to the CA (Releasing). */
  async release(orgId: string, id: string, body: unknown): Promise<SandboxReestroForm> {
    const form = await this.get(orgId, id);
    if (form.state !== 'Created') throw conflict('WrongFormState', `The form can be released only in state Created, it is ${form.state}`);
    const problems = new ReestroProblems('CryptoApi');
    const info = isObject(body) && isObject(body.contentInfo) ? body.contentInfo : body;
    if (!isObject(info)) problems.required('contentInfo');
    else await this.checkContents(orgId, problems, [{ field: '', info }]);
    // The form must still hold (subjects may have changed since), and have what release needs.
    const checked = await this.check(orgId, { person: form.personId, organization: form.organizationId ?? undefined, documents: form.documents }, problems);
    const kinds = form.documents.map((d) => documentKind(d.documentInfo.documentType));
    if (!kinds.includes('identity')) problems.add('AbsenceOfRequiredField', "field 'documents' is required: an identity document (008001xxxxxx) with its scan");
    const needsExtract = form.organizationId !== null || checked?.person.kind === 'soleProprietor';
    if (needsExtract && !kinds.includes('egrul')) problems.add('AbsenceOfRequiredField', "field 'documents' is required: an ЕГРЮЛ (ЕГРИП) extract (008002008000)");
    problems.throwIfAny();
    const statement = { contentId: String((info as Record<string, unknown>).contentId), contentType: String((info as Record<string, unknown>).contentType), md5: String((info as Record<string, unknown>).md5).toUpperCase() };
    const [updated] = await this.db
      .update(sandboxReestroForms)
      .set({ state: 'Releasing', statement, releasedAt: new Date(), stateChangedAt: new Date(), version: form.version + 1, updatedAt: new Date() })
      .where(and(eq(sandboxReestroForms.id, form.id), eq(sandboxReestroForms.version, form.version)))
      .returning();
    if (!updated) throw conflict('WrongFormState', 'The form changed while it was being released: read it again');
    return updated;
  }

  async renderStatement(orgId: string, form: SandboxReestroForm, type: unknown): Promise<Uint8Array> {
    if (type !== 'releaseStatement' && type !== 'recallStatement') {
      const problems = new ReestroProblems('CryptoApi');
      problems.wrongField('statementType', 'releaseStatement or recallStatement');
      problems.throwIfAny();
    }
    if (type === 'recallStatement' && form.state !== 'Issued' && form.state !== 'Revoked') throw conflict('WrongFormState', 'A recall statement exists only for an issued certificate');
    return renderStatement(type as 'releaseStatement', await this.statementData(orgId, form));
  }

  /** CertificateInfo of an issued (or revoked) form. */
  async certificateInfo(orgId: string, form: SandboxReestroForm) {
    if (!form.certificateInfo || !form.certificateContentId) throw new ReestroError(404, 'CertificateNotIssued', 'The certificate has not been issued');
    const contents = await this.store.contents(orgId, [form.certificateContentId, ...(form.receiptContentId ? [form.receiptContentId] : [])]);
    const person = await this.store.subject(orgId, form.personId);
    const organization = form.organizationId ? await this.store.subject(orgId, form.organizationId) : undefined;
    const personData = person?.data ?? {};
    const native = isObject(organization?.data.nativeOrgParams) ? (organization!.data.nativeOrgParams as Record<string, unknown>) : {};
    const certificateState = form.state === 'Revoked' ? 'Revoke' : Date.parse(form.certificateInfo.validTo) < Date.now() ? 'Expired' : 'Valid';
    const receipt = form.receiptContentId ? contents.get(form.receiptContentId) : undefined;
    return {
      formId: form.id,
      certificateState,
      data: contentInfo(contents.get(form.certificateContentId)!),
      ...(receipt ? { receipt: contentInfo(receipt) } : {}),
      validFrom: form.certificateInfo.validFrom,
      validTo: form.certificateInfo.validTo,
      name: organization ? String(organization.data.name ?? '') : [personData.surname, personData.name, personData.patronymic].filter(Boolean).join(' '),
      inn: organization ? (native.inn as string | undefined) : (personData.inn as string | undefined),
      ...(organization ? { ogrn: native.ogrn as string | undefined, kpp: organization.data.kpp as string | undefined } : personData.ogrnip ? { ogrn: personData.ogrnip as string } : {}),
      serialNumber: form.certificateInfo.serialNumber,
      thumbprint: form.certificateInfo.thumbprint,
      subject: form.certificateInfo.subject,
    };
  }

  /** The form as the API returns it (seed 004's CertificateForm). */
  async view(form: SandboxReestroForm) {
    const person = await this.store.subject(form.orgId, form.personId);
    const organization = form.organizationId ? await this.store.subject(form.orgId, form.organizationId) : undefined;
    return {
      formId: form.id,
      ...(form.externalId ? { externalId: form.externalId } : {}),
      person: person ? subjectView(person) : { subjectId: form.personId },
      ...(form.organizationId ? { organization: organization ? subjectView(organization) : { subjectId: form.organizationId } } : {}),
      documents: form.documents,
      state: form.state,
      ...(form.validationErrors.length ? { validationErrors: form.validationErrors } : {}),
      ...(form.statement ? { releaseStatement: form.statement } : {}),
      createdAt: form.createdAt.toISOString(),
      updatedAt: form.updatedAt.toISOString(),
    };
  }

  // ---- the CA (console) ---------------------------------------------------------------------

  async list(filter: { state?: string; limit: number }): Promise<SandboxReestroForm[]> {
    await this.catchUp();
    const query = this.db.select().from(sandboxReestroForms);
    const filtered = filter.state ? query.where(eq(sandboxReestroForms.state, filter.state)) : query;
    return filtered.orderBy(desc(sandboxReestroForms.createdAt)).limit(filter.limit);
  }

  async byId(id: string): Promise<SandboxReestroForm> {
    if (!isGuid(id)) throw notFound('Certificate form');
    const [form] = await this.db.select().from(sandboxReestroForms).where(eq(sandboxReestroForms.id, id));
    if (!form) throw notFound('Certificate form');
    return form;
  }

  /** The CA's approval: the registries' checks first (validationError with reasons), then a real certificate. */
  async approve(id: string): Promise<SandboxReestroForm> {
    const form = await this.byId(id);
    if (form.state !== 'Releasing') throw conflict('WrongFormState', `Only a released form can be approved, this one is ${form.state}`);
    const person = await this.store.subject(form.orgId, form.personId);
    const organization = form.organizationId ? await this.store.subject(form.orgId, form.organizationId) : undefined;
    if (!person || (form.organizationId && !organization)) return this.decline(form, [{ code: 'UnexistentSubject', message: 'A subject of the form no longer exists', target: 'CryptoApi', context: !person ? form.personId : form.organizationId }]);
    const findings = smevFindings([
      { field: 'person', kind: person.kind, data: person.data },
      ...(organization ? [{ field: 'organization', kind: organization.kind, data: organization.data }] : []),
    ]);
    if (findings.length) {
      return this.decline(form, findings.map((f) => ({ code: 'WrongFieldValue', message: `field '${f.field}' has a wrong value: ${f.why}`, target: 'CryptoApi', context: null })));
    }
    const released = await this.ca.issueCertificate(subjectName(person, organization, await this.postOf(form)), 365);
    const certificate = await this.store.addContent(form.orgId, released.der, 'application/pkix-cert', 'certificate');
    const data = await this.statementData(form.orgId, form);
    const certificateInfo = { ...released.info, subject: subjectLine(person, organization) };
    const receipt = await this.store.addContent(form.orgId, Buffer.from(await renderReceipt({ ...data, certificate: certificateInfo })), 'application/pdf', 'receipt');
    return this.move(form, 'Releasing', { state: 'Issued', certificateContentId: certificate.id, receiptContentId: receipt.id, certificateInfo, validationErrors: [] });
  }

  /** The CA's refusal with its reasons: the form goes to ValidationError and may be changed. */
  async reject(id: string, reasons: SandboxReestroFormError[]): Promise<SandboxReestroForm> {
    const form = await this.byId(id);
    if (form.state !== 'Releasing') throw conflict('WrongFormState', `Only a released form can be rejected, this one is ${form.state}`);
    return this.decline(form, reasons);
  }

  async revoke(id: string): Promise<SandboxReestroForm> {
    const form = await this.byId(id);
    if (form.state !== 'Issued') throw conflict('WrongFormState', `Only an issued certificate can be revoked, this form is ${form.state}`);
    return this.move(form, 'Issued', { state: 'Revoked' });
  }

  /** With SANDBOX_AUTO_OPERATOR the CA approves released forms by itself after a short while. */
  async catchUp(): Promise<void> {
    if (!this.config.autoOperator) return;
    const due = await this.db
      .select({ id: sandboxReestroForms.id })
      .from(sandboxReestroForms)
      .where(and(eq(sandboxReestroForms.state, 'Releasing'), lt(sandboxReestroForms.stateChangedAt, new Date(Date.now() - this.config.actualizationMs))))
      .limit(20);
    for (const { id } of due) {
      await this.approve(id).catch((error) => this.logger.warn({ err: error, formId: id }, 'sandbox Реестро: automatic approval failed'));
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  /** seed 004's rules for a form's subjects and documents; the problems collect every refusal. */
  private async check(orgId: string, input: FormInput, problems: ReestroProblems): Promise<CheckedForm | undefined> {
    let person: SandboxReestroSubject | undefined;
    let organization: SandboxReestroSubject | undefined;
    if (input.person === undefined || input.person === null || input.person === '') problems.required('person');
    else if (!isGuid(input.person)) problems.wrongField('person', 'a subject id (GUID)');
    else {
      person = await this.store.subject(orgId, input.person);
      if (!person) problems.add('UnexistentSubject', `subject ${input.person} was not found`, input.person);
      else if (person.kind === 'organization') problems.wrongField('person', 'the subject must be a natural person or a sole proprietor');
    }
    if (input.organization !== undefined && input.organization !== null) {
      if (!isGuid(input.organization)) problems.wrongField('organization', 'a subject id (GUID)');
      else {
        organization = await this.store.subject(orgId, input.organization);
        if (!organization) problems.add('UnexistentSubject', `subject ${input.organization} was not found`, input.organization);
        else if (organization.kind !== 'organization') problems.wrongField('organization', 'the subject must be a legal entity');
      }
    }
    if (person && organization) {
      if (person.kind === 'soleProprietor') problems.wrongField('organization', "a sole proprietor's form has no organization");
      else if (organization.kind === 'organization' && !(await this.store.representative(orgId, organization.id, person.id))) {
        problems.add('UnexistentRepresentative', `representative for person ${person.id} and organization ${organization.id} was not created`);
      }
    }
    for (const subject of [person, organization]) {
      if (subject && !addressReachesStreet(subject.data.address)) problems.add('WrongAddress', `address of subject ${subject.id} has no street level or lower`, subject.data.address ?? null);
    }

    const documents: SandboxReestroDocument[] = [];
    if (input.documents !== undefined && input.documents !== null && !Array.isArray(input.documents)) problems.wrongField('documents', 'an array of Document');
    const raw = Array.isArray(input.documents) ? input.documents : [];
    const contentChecks: { field: string; info: Record<string, unknown> }[] = [];
    const seen = new Set<string>();
    raw.forEach((value, i) => {
      const field = `documents[${i}]`;
      if (!isObject(value)) return problems.wrongField(field, 'a Document {documentId, documentInfo, content}');
      if (value.documentId === undefined) problems.required(`${field}.documentId`);
      else if (!isGuid(value.documentId)) problems.wrongField(`${field}.documentId`, 'a GUID');
      else if (seen.has(value.documentId.toLowerCase())) problems.wrongField(`${field}.documentId`, 'the same documentId twice');
      else seen.add(value.documentId.toLowerCase());
      const document = normalizeDocument(value);
      if (!isObject(value.documentInfo)) problems.required(`${field}.documentInfo`);
      else if (value.documentInfo.documentType === undefined) problems.required(`${field}.documentInfo.documentType`);
      else if (!documentKind(value.documentInfo.documentType)) problems.wrongField(`${field}.documentInfo.documentType`, 'not a document of the certificate form lists');
      if (!document.content) problems.required(`${field}.content.contentInfo`);
      else contentChecks.push({ field: `${field}.content.contentInfo`, info: document.content.contentInfo });
      const issueDate = document.documentInfo.issueDate;
      if (issueDate !== undefined && !isPastDate(issueDate)) problems.wrongField(`${field}.documentInfo.issueDate`, 'a past date YYYY-MM-DD');
      documents.push(document);
    });
    const contents = await this.checkContents(orgId, problems, contentChecks);

    const identities = documents.filter((d) => documentKind(d.documentInfo.documentType) === 'identity');
    if (identities.length > 1) problems.add('DuplicateDocument', `${identities.length} identity documents given; one is expected`, identities);
    const subjectIdentity = person && isObject(person.data.identityDocument) ? person.data.identityDocument : undefined;
    for (const identity of identities.slice(0, 1)) {
      const info = identity.documentInfo;
      const mismatch =
        subjectIdentity &&
        (info.documentType !== subjectIdentity.documentType ||
          (info.series !== undefined && info.series !== subjectIdentity.series) ||
          (info.number !== undefined && info.number !== subjectIdentity.number));
      if (mismatch) problems.add('MismatchDocumentRequisites', `requisites of document ${identity.documentId} do not match the identityDocument of subject ${person!.id}`);
    }
    documents.forEach((document, i) => {
      if (documentKind(document.documentInfo.documentType) !== 'egrul') return;
      const field = `documents[${i}].documentInfo`;
      if (person && !organization && person.kind !== 'soleProprietor') return problems.wrongField(`${field}.documentType`, 'an ЕГРЮЛ (ЕГРИП) extract belongs to a form of a legal entity or a sole proprietor');
      const content = document.content ? contents.get(document.content.contentInfo.contentId) : undefined;
      const owner = organization ?? person;
      if (content?.subjectId && owner && content.subjectId !== owner.id) problems.wrongField(`documents[${i}].content`, 'the extract is of another subject');
      const date = typeof document.documentInfo.issueDate === 'string' ? document.documentInfo.issueDate : content?.extractDate ?? undefined;
      if (!date) problems.required(`${field}.issueDate`);
      else if (isPastDate(date) && olderThanThreeMonths(date)) problems.wrongField(`${field}.issueDate`, 'the ЕГРЮЛ extract is older than 3 months');
    });
    return person ? { person, organization, documents } : undefined;
  }

  /** A ContentInfo must name a content of this organization, of a form's type, at most 10 MB, with its MD5. */
  private async checkContents(orgId: string, problems: ReestroProblems, checks: { field: string; info: Record<string, unknown> }[]): Promise<Map<string, SandboxReestroContent>> {
    const ids = checks.map((c) => c.info.contentId).filter(isGuid);
    const contents = await this.store.contents(orgId, [...new Set(ids)]);
    for (const { field, info } of checks) {
      const prefix = field ? `${field}.` : '';
      if (info.contentId === undefined) {
        problems.required(`${prefix}contentId`);
        continue;
      }
      const content = isGuid(info.contentId) ? contents.get(info.contentId) : undefined;
      if (!content) {
        problems.add('UnexistentContent', `content ${String(info.contentId)} was not found`, info);
        continue;
      }
      const described = { ...info, contentType: content.contentType, md5: content.md5, size: content.size };
      if (content.size > MAX_FORM_CONTENT_BYTES) problems.add('BigContentSize', `content ${content.id} is bigger than 10 mb`, described);
      else if (!(FORM_CONTENT_TYPES as readonly string[]).includes(content.contentType)) problems.add('UnsupportedContentType', `content ${content.id} has type ${content.contentType}; pdf, png, jpg, jpeg, tiff are supported`, described);
      else if (typeof info.md5 !== 'string' || info.md5.toUpperCase() !== content.md5) problems.wrongField(`${prefix}md5`, `does not match the content's MD5`);
      else if (typeof info.contentType === 'string' && normalizeType(info.contentType) !== normalizeType(content.contentType)) problems.wrongField(`${prefix}contentType`, `the content is ${content.contentType}`);
    }
    return contents;
  }

  // ---- internals -----------------------------------------------------------------------------

  private async decline(form: SandboxReestroForm, reasons: SandboxReestroFormError[]): Promise<SandboxReestroForm> {
    return this.move(form, 'Releasing', { state: 'ValidationError', validationErrors: reasons });
  }

  private async move(form: SandboxReestroForm, from: string, change: Partial<SandboxReestroForm>): Promise<SandboxReestroForm> {
    const [updated] = await this.db
      .update(sandboxReestroForms)
      .set({ ...change, version: form.version + 1, stateChangedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(sandboxReestroForms.id, form.id), eq(sandboxReestroForms.state, from), eq(sandboxReestroForms.version, form.version)))
      .returning();
    if (!updated) throw conflict('WrongFormState', 'The form changed meanwhile: read it again');
    return updated;
  }

  private async postOf(form: SandboxReestroForm): Promise<string | undefined> {
    if (!form.organizationId) return undefined;
    return (await this.store.representative(form.orgId, form.organizationId, form.personId))?.post ?? undefined;
  }

  private async statementData(orgId: string, form: SandboxReestroForm): Promise<StatementData> {
    const person = await this.store.subject(orgId, form.personId);
    const organization = form.organizationId ? await this.store.subject(orgId, form.organizationId) : undefined;
    return {
      formId: form.id,
      createdAt: form.createdAt,
      person: person?.data ?? {},
      personKind: person?.kind ?? 'person',
      organization: organization?.data,
      post: await this.postOf(form),
      documents: form.documents.map((d) => {
        const kind = documentKind(d.documentInfo.documentType);
        const requisites = [d.documentInfo.series, d.documentInfo.number].filter(Boolean).join(' ');
        return `${kind ? DOCUMENT_NAMES[kind] : d.documentInfo.documentType}${requisites ? ` ${requisites}` : ''}`;
      }),
      certificate: form.certificateInfo,
    };
  }
}

function normalizeType(type: string): string {
  const lower = type.toLowerCase();
  return lower === 'jpeg' ? 'jpg' : lower === 'tif' ? 'tiff' : lower;
}


function fullName(data: Record<string, unknown>): string {
  return [data.surname, data.name, data.patronymic].filter((part) => typeof part === 'string' && part).join(' ');
}

function subjectLine(person: SandboxReestroSubject, organization: SandboxReestroSubject | undefined): string {
  return organization ? `${fullName(person.data)}, ${String(organization.data.name ?? '')}` : fullName(person.data);
}

/** The certificate's subject as Russian qualified certificates name it (person, sole proprietor, organization's representative). */
function subjectName(person: SandboxReestroSubject, organization: SandboxReestroSubject | undefined, post: string | undefined): NameFields {
  const data = person.data;
  const given = [data.name, data.patronymic].filter((part) => typeof part === 'string' && part).join(' ');
  const address = isObject(data.address) && isObject(data.address.structuralAddress) ? data.address.structuralAddress : {};
  const city = isObject(address.city) ? String(address.city.name ?? '') : undefined;
  const name: NameFields = {
    CN: organization ? String(organization.data.name ?? '') : fullName(data),
    SN: String(data.surname ?? ''),
    G: given || undefined,
    SNILS: typeof data.snils === 'string' ? data.snils.replace(/\D/g, '') : undefined,
    INN: typeof data.inn === 'string' ? data.inn : undefined,
    E: typeof data.email === 'string' ? data.email : undefined,
    C: 'RU',
    L: city || undefined,
  };
  if (person.kind === 'soleProprietor' && typeof data.ogrnip === 'string') name.OGRNIP = data.ogrnip;
  if (organization) {
    const native = isObject(organization.data.nativeOrgParams) ? organization.data.nativeOrgParams : {};
    name.O = String(organization.data.name ?? '');
    name.INNLE = typeof native.inn === 'string' ? native.inn : undefined;
    name.OGRN = typeof native.ogrn === 'string' ? native.ogrn : undefined;
    name.T = post;
  }
  return name;
}
