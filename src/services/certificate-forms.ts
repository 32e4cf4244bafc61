// Certificate forms at Kontur Реестро (seed 004): created once per idempotency key (Реестро's
// unique externalId is derived from it, so a retry after a timeout finds the form instead of
// making a second one), documents added while Реестро allows it (If-Match against the form's
// ETag), the release statement rendered and sent back signed, the state followed (a recurring
// job and every read, with If-None-Match), and the issued certificate put into the employee card.
import { setTimeout as delay } from 'node:timers/promises';
import { createHash, randomUUID } from 'node:crypto';
import { and, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../store/db.ts';
import { certificateForms, type CertificateFormDocument, type CertificateFormOwnerType } from '../store/schema/index.ts';
import { FORM_DOCUMENT_NAMES, FORM_STATE_NAMES, formIsEditable, normalizeFormState, OWNER_TYPE_NAMES, type FormDocumentType, type FormState } from '../domain/certificate-form.ts';
import type { ReestroClient } from '../kontur/reestro-client.ts';
import { ReestroConflictError, ReestroPreconditionFailedError, ReestroUnavailableError } from '../kontur/reestro-errors.ts';
import type { ReestroCertificateForm, ReestroCertificateInfo, ReestroContentInfo, ReestroFormError, ReestroPerson, ReestroStatementType, TaggedForm } from '../kontur/reestro-types.ts';
import { parseCertificate, summarizeCertificate } from '../crypto/x509.ts';
import { SYSTEM_ACTOR, type Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { EmployeesService } from './employees.ts';
import { ConflictError, NotFoundError, ServiceError, ValidationError, type FieldProblem } from './errors.ts';
import { checkSource, FormDocuments, reestroDocumentOf, type FileSourceInput, type FormDocumentInput } from './certificate-form-documents.ts';
import { createOnce, withPatience } from './reestro-calls.ts';
import { fieldsOfReestro, reestroServiceError, type ReestroFieldMap } from './reestro-failures.ts';
import { personFieldMap, type ReestroSubjectRow, type ReestroSubjectsService } from './reestro-subjects.ts';

export type CertificateFormRow = typeof certificateForms.$inferSelect;

export interface CreateFormInput {
  /** Our person subject: the owner, or the organization's representative. */
  personSubjectId: string;
  /** Our organization subject, for a certificate of an organization's representative. */
  organizationSubjectId?: string;
  documents?: FormDocumentInput[];
  /** Repeating a create with the same key returns the same form (the header Idempotency-Key). */
  idempotencyKey?: string;
}

export interface FormView {
  id: string;
  formId: string | null;
  externalId: string;
  ownerType: CertificateFormOwnerType;
  ownerTypeName: string;
  /** The owner's name, and the organization's for a representative. */
  ownerName: string;
  organizationName: string | null;
  employeeId: string | null;
  personSubjectId: string;
  organizationSubjectId: string | null;
  creationState: 'pending' | 'created' | 'failed';
  state: string | null;
  stateName: string | null;
  editable: boolean;
  documents: (CertificateFormDocument & { typeName: string })[];
  /** Why the form is in ValidationError, per field of the module's requests. */
  validationErrors: (FieldProblem & { code: string })[];
  statement: CertificateFormRow['statement'];
  certificate: CertificateView | null;
  certificateError: string | null;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  releasedAt: Date | null;
  checkedAt: Date | null;
}

export interface CertificateView {
  certificateState: string;
  validFrom: string;
  validTo: string;
  name: string | null;
  inn: string | null;
  ogrn: string | null;
  kpp: string | null;
  thumbprint: string | null;
  serialNumber: string | null;
  subject: string | null;
  /** True once the certificate is in the employee card. */
  inEmployeeCard: boolean;
}

export interface FormListFilter {
  employeeId?: string;
  state?: string;
  offset: number;
  limit: number;
}

export interface CertificateFormsOptions {
  operationBudgetMs: number;
}

/** Реестро's externalId for a creation key: word characters only (`^\w{1,256}$`). */
export function formExternalId(creationKey: string): string {
  return `kca_${createHash('sha256').update(creationKey).digest('hex').slice(0, 32)}`;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** After release, Реестро is asked often at first, then less often while the CA takes its time. */
function checkDue(row: CertificateFormRow, now = Date.now()): boolean {
  if (!row.checkedAt) return true;
  const since = now - (row.releasedAt?.getTime() ?? row.updatedAt.getTime());
  const interval = since < 10 * 60_000 ? 0 : since < 24 * 3600_000 ? 60_000 : 600_000;
  return now - row.checkedAt.getTime() >= interval;
}

export class CertificateFormsService {
  private readonly documents: FormDocuments;

  constructor(
    private readonly db: Db,
    documents: FormDocuments,
    private readonly reestro: ReestroClient,
    private readonly subjects: ReestroSubjectsService,
    private readonly employees: EmployeesService,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly options: CertificateFormsOptions,
  ) {
    this.documents = documents;
  }

  // ---- create ------------------------------------------------------------------------------

  async create(actor: Actor, input: CreateFormInput): Promise<{ form: FormView; reused: boolean }> {
    const problems: FieldProblem[] = [];
    const person = await this.subjects.get(input.personSubjectId).catch(() => undefined);
    const organization = input.organizationSubjectId ? await this.subjects.get(input.organizationSubjectId).catch(() => undefined) : undefined;
    if (!person) problems.push({ field: 'personSubjectId', message: 'Субъект Реестро не найден' });
    else if (person.kind === 'organization') problems.push({ field: 'personSubjectId', message: 'Нужен субъект — физическое лицо или индивидуальный предприниматель' });
    else if (!person.subjectId) problems.push({ field: 'personSubjectId', message: 'Субъект ещё не создан в Реестро: сохраните его снова' });
    if (input.organizationSubjectId) {
      if (!organization) problems.push({ field: 'organizationSubjectId', message: 'Организация не найдена среди субъектов Реестро' });
      else if (organization.kind !== 'organization') problems.push({ field: 'organizationSubjectId', message: 'Это не организация' });
      else if (!organization.subjectId) problems.push({ field: 'organizationSubjectId', message: 'Организация ещё не создана в Реестро: сохраните её снова' });
      if (person && person.kind !== 'person') problems.push({ field: 'personSubjectId', message: 'Представителем организации может быть только физическое лицо' });
    }
    const documents = input.documents ?? [];
    problems.push(...this.documents.check(documents));
    if (problems.length) throw new ValidationError(problems);
    const ownerType: CertificateFormOwnerType = organization ? 'legalEntity' : person!.kind === 'soleProprietor' ? 'soleProprietor' : 'person';

    const key = input.idempotencyKey ?? randomUUID();
    const requestHash = hashOf({ person: person!.id, organization: organization?.id ?? null, documents });
    const claimed = await this.claim(actor, key, requestHash, { ownerType, person: person!, organization });
    if (claimed.creationState === 'created') return { form: await this.view(claimed), reused: true };

    const fieldMap = this.createFieldMap(person!, organization);
    try {
      const prepared = await this.documents.prepare(actor, documents, person!.data as ReestroPerson);
      for (const [id, field] of prepared.fieldOfDocument) fieldMap.documentFields.set(id, field);
      for (const [id, field] of prepared.fieldOfContent) fieldMap.contentFields.set(id, field);
      prepared.stored.forEach((document, i) => document.type === 'passport' && fieldMap.identityFields.push(`documents[${i}]`));
      fieldMap.documentOrder.push(...prepared.stored.map((d) => d.documentId));
      const externalId = claimed.externalId;
      const { value } = await createOnce<TaggedForm>({
        create: () => this.reestro.createForm({ externalId, person: person!.subjectId!, ...(organization ? { organization: organization.subjectId! } : {}), documents: prepared.wire }),
        find: async () => {
          const found = (await this.reestro.findForms(externalId)).forms.find((form) => form.externalId === externalId);
          if (!found) return undefined;
          // The same externalId for somebody else's form: Реестро's refusal stands.
          if (found.person?.subjectId !== person!.subjectId) throw duplicateExternalId();
          const tagged = await this.reestro.getForm(found.formId);
          return 'form' in tagged ? tagged : { form: found, etag: undefined };
        },
        uncertain: claimed.attempts > 0,
        budgetMs: this.options.operationBudgetMs,
      });
      const [row] = await this.db
        .update(certificateForms)
        .set({
          creationState: 'created',
          formId: value.form.formId,
          documents: this.mergeDocuments(prepared.stored, value.form),
          ...this.snapshotColumns(value),
          error: null,
          updatedAt: new Date(),
        })
        .where(eq(certificateForms.id, claimed.id))
        .returning();
      await this.audit.record(actor, { action: 'createCertificateForm', targetType: 'certificateForm', targetId: row.id, details: { formId: row.formId, ownerType, employeeId: row.employeeId } });
      return { form: await this.view(row), reused: false };
    } catch (error) {
      const mapped = reestroServiceError(error, fieldMap);
      const refused = mapped instanceof ValidationError || (mapped instanceof ServiceError && mapped.status < 500);
      // Refused: nothing exists at Реестро, the same key may be tried again. Unknown: stays pending (a retry looks first).
      await this.db
        .update(certificateForms)
        .set({ ...(refused ? { creationState: 'failed' as const } : {}), error: mapped instanceof Error ? mapped.message : String(mapped), updatedAt: new Date() })
        .where(and(eq(certificateForms.id, claimed.id), eq(certificateForms.creationState, 'pending')));
      await this.audit
        .record(actor, { action: 'createCertificateForm', targetType: 'certificateForm', targetId: claimed.id, outcome: 'failure', details: { code: mapped instanceof ServiceError ? mapped.code : 'error', errors: fieldsOf(mapped) } })
        .catch(() => undefined);
      throw mapped;
    }
  }

  /** Writes the form's row before anything is sent (its externalId then exists), or takes over an unfinished one. */
  private async claim(
    actor: Actor,
    key: string,
    requestHash: string,
    subjects: { ownerType: CertificateFormOwnerType; person: ReestroSubjectRow; organization?: ReestroSubjectRow },
  ): Promise<CertificateFormRow> {
    const [inserted] = await this.db
      .insert(certificateForms)
      .values({
        creationKey: key,
        requestHash,
        externalId: formExternalId(key),
        creationState: 'pending',
        ownerType: subjects.ownerType,
        employeeId: subjects.person.employeeId,
        personSubjectId: subjects.person.id,
        organizationSubjectId: subjects.organization?.id ?? null,
        createdBy: actor.name,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted) return inserted;
    const [existing] = await this.db.select().from(certificateForms).where(eq(certificateForms.creationKey, key));
    if (!existing) throw new ServiceError(409, 'creation-in-progress', 'Анкета с этим ключом идемпотентности уже создаётся: повторите запрос');
    if (existing.requestHash !== requestHash) {
      throw new ConflictError('Ключ идемпотентности уже использован для анкеты с другими данными', [{ field: 'Idempotency-Key', message: 'Используйте новый ключ для новой анкеты' }]);
    }
    if (existing.creationState === 'created') return existing;
    // Any earlier try may have reached Реестро: the externalId's uniqueness there keeps this exactly-once.
    const [taken] = await this.db
      .update(certificateForms)
      .set({ creationState: 'pending', attempts: sql`${certificateForms.attempts} + 1`, updatedAt: new Date() })
      .where(eq(certificateForms.id, existing.id))
      .returning();
    return taken;
  }

  // ---- read ----------------------------------------------------------------------------------

  async list(filter: FormListFilter): Promise<{ items: FormView[]; total: number }> {
    const conditions: SQL[] = [eq(certificateForms.creationState, 'created')];
    if (filter.employeeId) conditions.push(eq(certificateForms.employeeId, filter.employeeId));
    if (filter.state) conditions.push(eq(certificateForms.state, normalizeFormState(filter.state)));
    const where = and(...conditions);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(certificateForms).where(where).orderBy(desc(certificateForms.createdAt), desc(certificateForms.id)).offset(filter.offset).limit(filter.limit),
      this.db.select({ total: count() }).from(certificateForms).where(where),
    ]);
    return { items: await Promise.all(rows.map((row) => this.view(row))), total };
  }

  async row(id: string): Promise<CertificateFormRow> {
    const [row] = await this.db.select().from(certificateForms).where(eq(certificateForms.id, id));
    if (!row || row.creationState !== 'created') throw new NotFoundError('Анкета не найдена');
    return row;
  }

  /** The form with the state Реестро reports now (an unchanged form costs a 304). */
  async get(id: string): Promise<FormView> {
    const row = await this.row(id);
    try {
      return await this.view(await this.refresh(row));
    } catch (error) {
      // Реестро unreachable: what the module knows, marked by checkedAt.
      if (reestroServiceError(error, { fallback: 'id' }) instanceof ServiceError) {
        this.logger.warn({ err: error, formId: row.formId }, 'certificate form: Реестро could not be asked for the state');
        return this.view(row);
      }
      throw error;
    }
  }

  // ---- change --------------------------------------------------------------------------------

  /** Adds documents to the form, or replaces its documents (`replaces`), while Реестро allows changes. */
  async update(actor: Actor, id: string, input: { documents: FormDocumentInput[] }): Promise<FormView> {
    let row = await this.row(id);
    const problems = this.documents.check(input.documents);
    if (input.documents.length === 0) problems.push({ field: 'documents', message: 'Укажите хотя бы один документ' });
    input.documents.forEach((document, i) => {
      if (document.replaces && !row.documents.some((d) => d.documentId === document.replaces)) problems.push({ field: `documents[${i}].replaces`, message: 'В анкете нет такого документа' });
    });
    if (problems.length) throw new ValidationError(problems);
    const person = await this.subjects.get(row.personSubjectId);
    const organization = row.organizationSubjectId ? await this.subjects.get(row.organizationSubjectId) : undefined;
    const fieldMap = this.createFieldMap(person, organization);
    try {
      row = await this.refresh(row);
      if (!formIsEditable(row.state)) throw new ConflictError(`Анкету нельзя изменить в состоянии «${stateName(row.state)}»`);
      const prepared = await this.documents.prepare(actor, input.documents, person.data as ReestroPerson);
      for (const [docId, field] of prepared.fieldOfDocument) fieldMap.documentFields.set(docId, field);
      for (const [contentId, field] of prepared.fieldOfContent) fieldMap.contentFields.set(contentId, field);
      // A replacement keeps the replaced document's id at Реестро.
      const stored = prepared.stored.map((document, i) => (input.documents[i].replaces ? { ...document, documentId: input.documents[i].replaces! } : document));
      stored.forEach((document, i) => {
        fieldMap.documentFields.set(document.documentId, `documents[${i}]`);
        if (document.type === 'passport') fieldMap.identityFields.push(`documents[${i}]`);
      });
      // What the form's list becomes at Реестро: replacements in place, additions at the end.
      const resulting = [...row.documents.map((d) => stored.find((s) => s.documentId === d.documentId) ?? d), ...stored.filter((s) => !row.documents.some((d) => d.documentId === s.documentId))];
      fieldMap.documentOrder.push(...resulting.map((d) => d.documentId));
      const operations = stored.map((document, i) =>
        input.documents[i].replaces
          ? { op: 'update' as const, path: `/documents/${document.documentId}`, value: reestroDocumentOf(document) }
          : { op: 'add' as const, path: '/documents', value: reestroDocumentOf(document) },
      );
      let tagged: TaggedForm | undefined;
      for (let attempt = 0; !tagged; attempt++) {
        try {
          tagged = await withPatience(() => this.reestro.patchForm(row.formId!, operations, row.etag ?? '*'), this.options.operationBudgetMs);
        } catch (error) {
          if (!(error instanceof ReestroPreconditionFailedError) || attempt >= 2) throw error;
          // Someone (the CA, or a lost answer of ours) changed the form: look again, then decide.
          row = await this.refresh(row, true);
          const snapshot = row.snapshot as unknown as ReestroCertificateForm;
          if (error.afterRepeat && stored.every((d) => snapshot.documents?.some((r) => r.documentId === d.documentId && r.content?.contentInfo?.contentId === d.content?.contentId))) {
            tagged = { form: snapshot, etag: row.etag ?? undefined };
          } else if (!formIsEditable(row.state)) {
            throw new ConflictError(`Анкету нельзя изменить в состоянии «${stateName(row.state)}»`);
          }
        }
      }
      [row] = await this.db
        .update(certificateForms)
        .set({ documents: this.mergeDocuments(resulting, tagged.form), ...this.snapshotColumns(tagged), updatedAt: new Date() })
        .where(eq(certificateForms.id, row.id))
        .returning();
      await this.audit.record(actor, { action: 'updateCertificateForm', targetType: 'certificateForm', targetId: row.id, details: { formId: row.formId, documents: stored.map((d) => ({ type: d.type, replaced: operations.some((o) => o.op === 'update' && o.path.endsWith(d.documentId)) })) } });
      return this.view(row);
    } catch (error) {
      const mapped = reestroServiceError(error, fieldMap);
      await this.audit.record(actor, { action: 'updateCertificateForm', targetType: 'certificateForm', targetId: row.id, outcome: 'failure', details: { code: mapped instanceof ServiceError ? mapped.code : 'error', errors: fieldsOf(mapped) } }).catch(() => undefined);
      throw mapped;
    }
  }

  /** The statement as Реестро renders it (PDF): the release statement, or the recall statement once issued. */
  async renderStatement(actor: Actor, id: string, statementType: ReestroStatementType): Promise<Buffer> {
    const row = await this.row(id);
    try {
      const pdf = await withPatience(() => this.reestro.renderStatement(row.formId!, statementType), this.options.operationBudgetMs);
      await this.audit.record(actor, { action: 'renderCertificateFormStatement', targetType: 'certificateForm', targetId: row.id, details: { statementType } });
      return pdf;
    } catch (error) {
      const mapped = reestroServiceError(error, { fallback: 'statementType' });
      await this.audit.record(actor, { action: 'renderCertificateFormStatement', targetType: 'certificateForm', targetId: row.id, outcome: 'failure', details: { statementType } }).catch(() => undefined);
      throw mapped instanceof ConflictError || (mapped instanceof ValidationError && statementType === 'recallStatement')
        ? new ConflictError(statementType === 'recallStatement' ? 'Заявление на отзыв доступно только после выпуска сертификата' : mapped.message)
        : mapped;
    }
  }

  /** Sends the signed release statement: the form goes to the CA. */
  async release(actor: Actor, id: string, input: FileSourceInput): Promise<FormView> {
    let row = await this.row(id);
    const problems: FieldProblem[] = [];
    checkSource(problems, 'statement', input, false);
    if (problems.length) throw new ValidationError(problems);
    const person = await this.subjects.get(row.personSubjectId);
    const organization = row.organizationSubjectId ? await this.subjects.get(row.organizationSubjectId) : undefined;
    const fieldMap = this.createFieldMap(person, organization);
    fieldMap.fallback = 'documents';
    try {
      row = await this.refresh(row);
      if (row.state !== 'Created') throw new ConflictError(`Отправить заявление можно только у созданной анкеты, а эта в состоянии «${stateName(row.state)}»`);
      const statement = await this.documents.contentOf(actor, input, 'statement');
      fieldMap.contentFields.set(statement.content.contentId, 'statement');
      const info: ReestroContentInfo = { contentId: statement.content.contentId, contentType: statement.content.contentType, md5: statement.content.md5 };
      const deadline = Date.now() + this.options.operationBudgetMs;
      let tagged: TaggedForm | undefined;
      while (!tagged) {
        try {
          tagged = await this.reestro.release(row.formId!, info);
        } catch (error) {
          // Release is not repeated blindly: the form's state tells whether it went through.
          const unknown = error instanceof ReestroUnavailableError || error instanceof ReestroConflictError;
          if (!unknown || Date.now() > deadline) throw error;
          row = await this.refresh(row, true);
          if (row.state !== 'Created') {
            tagged = { form: row.snapshot as unknown as ReestroCertificateForm, etag: row.etag ?? undefined };
            break;
          }
          if (error instanceof ReestroConflictError) throw error;
          await delay(300);
        }
      }
      [row] = await this.db
        .update(certificateForms)
        .set({ ...this.snapshotColumns(tagged), statement: { ...info, size: statement.content.size, fileName: statement.fileName }, releasedAt: new Date(), updatedAt: new Date() })
        .where(eq(certificateForms.id, row.id))
        .returning();
      await this.audit.record(actor, { action: 'releaseCertificateForm', targetType: 'certificateForm', targetId: row.id, details: { formId: row.formId, state: row.state } });
      return this.view(row);
    } catch (error) {
      const mapped = reestroServiceError(error, fieldMap);
      await this.audit.record(actor, { action: 'releaseCertificateForm', targetType: 'certificateForm', targetId: row.id, outcome: 'failure', details: { code: mapped instanceof ServiceError ? mapped.code : 'error', errors: fieldsOf(mapped) } }).catch(() => undefined);
      throw mapped;
    }
  }

  /** The issued certificate: Реестро's CertificateInfo, put into the employee card if it is not there yet. */
  async certificate(actor: Actor, id: string): Promise<CertificateView> {
    let row = await this.row(id);
    try {
      row = await this.refresh(row);
    } catch (error) {
      throw reestroServiceError(error, { fallback: 'id' });
    }
    if (!row.certificate) throw new ConflictError(row.state === 'Issued' ? `Сертификат выпущен, но получить его не удалось: ${row.certificateError ?? 'повторите позже'}` : 'Сертификат ещё не выпущен');
    await this.audit.record(actor, { action: 'getCertificateFormCertificate', targetType: 'certificateForm', targetId: row.id, details: { thumbprint: row.certificateThumbprint } });
    return certificateView(row);
  }

  /** The certificate's DER, as Реестро keeps it. */
  async downloadCertificate(actor: Actor, id: string): Promise<{ der: Buffer; fileName: string }> {
    const row = await this.row(id);
    const info = row.certificate as ReestroCertificateInfo | null;
    if (!info?.data?.contentId) throw new ConflictError('Сертификат ещё не выпущен');
    try {
      const der = await withPatience(() => this.reestro.downloadContent(info.data.contentId), this.options.operationBudgetMs);
      await this.audit.record(actor, { action: 'downloadCertificateFormCertificate', targetType: 'certificateForm', targetId: row.id });
      return { der, fileName: `${row.certificateThumbprint ?? row.id}.cer` };
    } catch (error) {
      throw reestroServiceError(error, { fallback: 'id' });
    }
  }

  // ---- following the state --------------------------------------------------------------------

  /** One pass of the recurring job: every form waiting for the CA (or whose certificate is not in the card yet). */
  async followAll(): Promise<number> {
    const rows = await this.db
      .select()
      .from(certificateForms)
      .where(
        and(
          eq(certificateForms.creationState, 'created'),
          or(eq(certificateForms.state, 'Releasing'), and(eq(certificateForms.state, 'Issued'), isNull(certificateForms.certificateThumbprint), isNull(certificateForms.certificateError))),
        ),
      )
      .limit(200);
    let checked = 0;
    for (const row of rows) {
      if (!checkDue(row)) continue;
      try {
        await this.refresh(row);
        checked++;
      } catch (error) {
        this.logger.warn({ err: error, formId: row.formId }, 'certificate form: state not checked');
      }
    }
    return checked;
  }

  /**
   * Asks Реестро for the form (If-None-Match: a 304 when nothing changed) and applies what
   * changed: the state, the reasons, the issued certificate (into the employee card).
   */
  private async refresh(row: CertificateFormRow, force = false): Promise<CertificateFormRow> {
    const answer = await withPatience(() => this.reestro.getForm(row.formId!, force ? undefined : (row.etag ?? undefined)), this.options.operationBudgetMs);
    let current = row;
    if ('notModified' in answer) {
      [current] = await this.db.update(certificateForms).set({ checkedAt: new Date() }).where(eq(certificateForms.id, row.id)).returning();
    } else {
      const columns = this.snapshotColumns(answer);
      [current] = await this.db
        .update(certificateForms)
        .set({ ...columns, documents: this.mergeDocuments(row.documents, answer.form), updatedAt: columns.state !== row.state ? new Date() : row.updatedAt })
        .where(eq(certificateForms.id, row.id))
        .returning();
      if (columns.state !== row.state) {
        await this.audit.record(SYSTEM_ACTOR, { action: 'certificateForm.stateChanged', targetType: 'certificateForm', targetId: row.id, details: { from: row.state, to: columns.state } });
      }
    }
    if ((current.state === 'Issued' || current.state === 'Revoked') && (!current.certificate || current.state !== row.state || (!current.certificateThumbprint && !current.certificateError))) {
      current = await this.takeCertificate(current);
    }
    return current;
  }

  /** Reads CertificateInfo and the certificate, and puts it into the employee card (idempotent on the thumbprint). */
  private async takeCertificate(row: CertificateFormRow): Promise<CertificateFormRow> {
    const info = await withPatience(() => this.reestro.getCertificate(row.formId!), this.options.operationBudgetMs);
    let thumbprint = row.certificateThumbprint;
    let problem: string | null = null;
    if (!thumbprint) {
      const der = await withPatience(() => this.reestro.downloadContent(info.data.contentId), this.options.operationBudgetMs);
      try {
        const summary = summarizeCertificate(parseCertificate(der));
        thumbprint = summary.thumbprint;
        if (row.employeeId) await this.employees.attachCertificate(row.employeeId, der, { source: 'reestro' });
      } catch (error) {
        problem = error instanceof ServiceError ? error.message : `Реестро отдал не сертификат: ${(error as Error).message}`;
        thumbprint = null;
      }
    }
    const [updated] = await this.db
      .update(certificateForms)
      .set({ certificate: info as unknown as Record<string, unknown>, certificateThumbprint: thumbprint, certificateError: problem, updatedAt: new Date() })
      .where(eq(certificateForms.id, row.id))
      .returning();
    if (thumbprint && !row.certificateThumbprint) {
      await this.audit.record(SYSTEM_ACTOR, { action: 'certificateForm.certificateAttached', targetType: 'certificateForm', targetId: row.id, details: { thumbprint, employeeId: row.employeeId } });
    }
    return updated;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private snapshotColumns(tagged: TaggedForm) {
    return {
      state: normalizeFormState(String(tagged.form.state ?? '')),
      snapshot: tagged.form as unknown as Record<string, unknown>,
      etag: tagged.etag ?? null,
      checkedAt: new Date(),
    };
  }

  /** The module's documents, with any document Реестро has that the module did not send (added elsewhere). */
  private mergeDocuments(known: CertificateFormDocument[], form: ReestroCertificateForm): CertificateFormDocument[] {
    const result = [...known];
    for (const document of form.documents ?? []) {
      if (result.some((d) => d.documentId === document.documentId)) continue;
      const content = document.content?.contentInfo ?? document.documentInfo?.content?.contentInfo;
      result.push({
        documentId: document.documentId,
        type: document.documentInfo?.documentType ?? '',
        code: document.documentInfo?.documentType ?? '',
        requisites: {},
        source: 'content',
        content: content && { contentId: content.contentId, contentType: content.contentType, md5: content.md5 },
      });
    }
    return result;
  }

  /** How Реестро's answers about this form map back to the fields of the module's requests. */
  private createFieldMap(person: ReestroSubjectRow, organization: ReestroSubjectRow | undefined) {
    const documentFields = new Map<string, string>();
    const contentFields = new Map<string, string>();
    const personFields = personFieldMap(person.kind === 'soleProprietor' ? 'soleProprietor' : 'person');
    const addressOf = (subject: ReestroSubjectRow | undefined) => JSON.stringify((subject?.data as { address?: unknown } | undefined)?.address ?? null);
    const identityFields: string[] = [];
    /** Реестро's documents in its order (documents[N] in its messages), by documentId. */
    const documentOrder: string[] = [];
    const map: ReestroFieldMap & { documentFields: Map<string, string>; contentFields: Map<string, string>; identityFields: string[]; documentOrder: string[] } = {
      documentFields,
      contentFields,
      identityFields,
      documentOrder,
      fallback: 'personSubjectId',
      path: (path) => {
        if (path === 'person' || path.startsWith('person.') || path.startsWith('soleProprietor.')) return path.includes('.') ? (personFields.path?.(path) ?? 'personSubjectId') : 'personSubjectId';
        if (path === 'organization' || path.startsWith('organization.')) return 'organizationSubjectId';
        if (path === 'externalId') return 'Idempotency-Key';
        const document = /^documents\[(\d+)\](?:\.(?:documentInfo\.)?(\w+))?/.exec(path);
        if (document) {
          const field = documentFields.get(documentOrder[Number(document[1])] ?? '');
          if (!field) return 'documents';
          return `${field}${document[2] && document[2] !== 'content' ? `.${document[2]}` : ''}`;
        }
        return undefined;
      },
      document: (id) => documentFields.get(id),
      content: (id) => contentFields.get(id),
      subject: (id) => (id === person.subjectId ? 'personSubjectId' : id === organization?.subjectId ? 'organizationSubjectId' : undefined),
      address: (address) => {
        const quoted = JSON.stringify(address ?? null);
        return organization && quoted === addressOf(organization) ? 'organizationSubjectId' : 'personSubjectId';
      },
      // The identity document the module sent, whatever its position; else the subject's passport.
      identityDocument: () => (identityFields[0] ? `${identityFields[0]}.number` : 'personSubjectId'),
      representative: 'organizationSubjectId',
      externalId: 'Idempotency-Key',
    };
    return map;
  }

  async view(row: CertificateFormRow): Promise<FormView> {
    const snapshot = row.snapshot as unknown as ReestroCertificateForm | null;
    let validationErrors: FormView['validationErrors'] = [];
    const person = await this.subjects.get(row.personSubjectId);
    const organization = row.organizationSubjectId ? await this.subjects.get(row.organizationSubjectId) : undefined;
    if (row.state === 'ValidationError' && snapshot?.validationErrors?.length) {
      const map = this.createFieldMap(person, organization);
      map.fallback = 'form';
      row.documents.forEach((document, i) => {
        map.documentFields.set(document.documentId, `documents[${i}]`);
        map.documentOrder.push(document.documentId);
        if (document.content) map.contentFields.set(document.content.contentId, `documents[${i}]`);
      });
      validationErrors = snapshot.validationErrors.map((error: ReestroFormError) => ({ code: error.code, ...(fieldsOfReestro([error], map)[0] ?? { field: 'form', message: error.message ?? error.code }) }));
    }
    return {
      id: row.id,
      formId: row.formId,
      externalId: row.externalId,
      ownerType: row.ownerType,
      ownerTypeName: OWNER_TYPE_NAMES[row.ownerType],
      ownerName: person.displayName,
      organizationName: organization?.displayName ?? null,
      employeeId: row.employeeId,
      personSubjectId: row.personSubjectId,
      organizationSubjectId: row.organizationSubjectId,
      creationState: row.creationState,
      state: row.state,
      stateName: row.state ? stateName(row.state) : null,
      editable: formIsEditable(row.state),
      documents: row.documents.map((document) => ({ ...document, typeName: FORM_DOCUMENT_NAMES[document.type as FormDocumentType] ?? document.code })),
      validationErrors,
      statement: row.statement,
      certificate: row.certificate ? certificateView(row) : null,
      certificateError: row.certificateError,
      error: row.error,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      releasedAt: row.releasedAt,
      checkedAt: row.checkedAt,
    };
  }
}

function stateName(state: string | null): string {
  return (state && FORM_STATE_NAMES[state as FormState]) ?? state ?? '—';
}

function certificateView(row: CertificateFormRow): CertificateView {
  const info = row.certificate as unknown as ReestroCertificateInfo;
  return {
    certificateState: info.certificateState,
    validFrom: info.validFrom,
    validTo: info.validTo,
    name: info.name ?? null,
    inn: info.inn ?? null,
    ogrn: info.ogrn ?? null,
    kpp: info.kpp ?? null,
    thumbprint: row.certificateThumbprint,
    serialNumber: typeof info.serialNumber === 'string' ? info.serialNumber : null,
    subject: typeof info.subject === 'string' ? info.subject : null,
    inEmployeeCard: row.certificateThumbprint !== null && row.employeeId !== null,
  };
}

function duplicateExternalId(): ValidationError {
  return new ValidationError([{ field: 'Idempotency-Key', message: 'Этот ключ идемпотентности уже использован в Реестро для другой анкеты: используйте новый' }], 'Реестро не принял данные');
}

function fieldsOf(error: unknown): FieldProblem[] {
  return error instanceof ValidationError || error instanceof ConflictError ? error.errors : [];
}
