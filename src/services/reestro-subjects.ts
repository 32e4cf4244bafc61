// Subjects and representatives at Kontur Реестро: a person or a sole proprietor made from an
// employee card (plus what the card does not hold: passport, birth place, gender, address), an
// organization from its card, and the representative pair that lets a person apply for an
// organization's certificate. Each subject is created once (a unique externalId derived from
// the module's own id), then kept current with PUT.
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { issues, reestroRepresentatives, reestroSubjects, type ReestroSubjectKind } from '../store/schema/index.ts';
import { CITIZENSHIP_RUSSIA } from '../domain/certificate-form.ts';
import { fullName } from '../domain/employee.ts';
import { checkDate, checkInn, checkIssuerCode, checkKpp, checkOgrn, checkPassportNumber, checkPassportSeries, type Checked } from '../domain/identifiers.ts';
import type { ReestroClient } from '../kontur/reestro-client.ts';
import { ReestroConflictError, ReestroNotFoundError } from '../kontur/reestro-errors.ts';
import type { ReestroAddress, ReestroContentInfo, ReestroOrganization, ReestroPerson, ReestroSubject, ReestroSubjectRequest } from '../kontur/reestro-types.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { Employee, EmployeesService } from './employees.ts';
import { ConflictError, NotFoundError, ServiceError, ValidationError, type FieldProblem } from './errors.ts';
import { createOnce, withPatience } from './reestro-calls.ts';
import { reestroServiceError, type ReestroFieldMap } from './reestro-failures.ts';

export type ReestroSubjectRow = typeof reestroSubjects.$inferSelect;
export type ReestroRepresentativeRow = typeof reestroRepresentatives.$inferSelect;

export interface AddressLevelInput {
  name: string;
  abbreviation?: string;
}

/** A structured Russian address, down to the flat. Реестро needs the street level or below for a form. */
export interface AddressInput {
  region: string;
  postalCode?: string;
  district?: AddressLevelInput;
  city?: AddressLevelInput;
  settlement?: AddressLevelInput;
  street?: AddressLevelInput;
  house?: AddressLevelInput;
  building?: AddressLevelInput;
  flat?: AddressLevelInput;
}

export interface PassportInput {
  series: string;
  number: string;
  issueDate: string;
  issuerCode: string;
  issuerName: string;
}

/** A person or a sole proprietor: the employee card plus what the card does not hold. */
export interface PersonSubjectInput {
  kind: 'person' | 'soleProprietor';
  employeeId: string;
  gender: 'male' | 'female';
  birthPlace: string;
  /** Реестро's citizenship code; Russia by default. */
  citizenship?: string;
  address: AddressInput;
  /** Without it, the passport of the employee's latest KCR issue is used. */
  passport?: PassportInput;
  /** Sole proprietors only. */
  ogrnip?: string;
}

export interface OrganizationSubjectInput {
  kind: 'organization';
  name: string;
  inn: string;
  kpp?: string;
  ogrn: string;
  regDate?: string;
  address: AddressInput;
}

export type SubjectInput = PersonSubjectInput | OrganizationSubjectInput;

export interface SubjectView {
  id: string;
  kind: ReestroSubjectKind;
  employeeId: string | null;
  /** Реестро's id; null while the subject has not been confirmed by Реестро. */
  subjectId: string | null;
  externalId: string;
  displayName: string;
  inn: string | null;
  data: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const ADDRESS_LEVELS = ['district', 'city', 'settlement', 'street', 'house', 'building', 'flat'] as const;
const DEFAULT_ABBREVIATIONS: Record<(typeof ADDRESS_LEVELS)[number], string> = { district: 'р-н', city: 'г', settlement: 'п', street: 'ул', house: 'д', building: 'корп', flat: 'кв' };

const GENDERS = { male: 'Male', female: 'Female' } as const;

/** The subject's externalId at Реестро: word characters only (`^\w{1,256}$`), from the row's id. */
export function subjectExternalId(rowId: string): string {
  return `kca_subject_${rowId.replace(/-/g, '')}`;
}

/** Реестро writes a subject's phone as digits only (79699999999). */
function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

function check(problems: FieldProblem[], field: string, raw: string | undefined | null, checker: (value: string) => Checked, required = true): string | undefined {
  if (raw === undefined || raw === null || raw.trim() === '') {
    if (required) problems.push({ field, message: 'Обязательное поле' });
    return undefined;
  }
  const checked = checker(raw);
  if (!checked.ok) {
    problems.push({ field, message: checked.message });
    return undefined;
  }
  return checked.value;
}

function text(max: number): (value: string) => Checked {
  return (value) => {
    const trimmed = value.trim().replace(/\s+/g, ' ');
    return trimmed.length > max ? { ok: false, message: `Не длиннее ${max} символов` } : { ok: true, value: trimmed };
  };
}

function pastDate(value: string): Checked {
  const date = checkDate(value);
  if (!date.ok) return date;
  if (Date.parse(`${date.value}T00:00:00Z`) > Date.now()) return { ok: false, message: 'Дата не может быть в будущем' };
  return date;
}

/** Our address fields to Реестро's structuralAddress; the region's format is ours to check, its validity Реестро's. */
function reestroAddress(problems: FieldProblem[], input: AddressInput | undefined, prefix = 'address'): ReestroAddress | undefined {
  if (!input) {
    problems.push({ field: prefix, message: 'Укажите адрес' });
    return undefined;
  }
  const region = check(problems, `${prefix}.region`, input.region, (v) => (/^\d{2}$/.test(v.trim()) ? { ok: true, value: v.trim() } : { ok: false, message: 'Код региона: две цифры (например, 54)' }));
  const structural: ReestroAddress['structuralAddress'] = { region: region ?? '' };
  const postalCode = check(problems, `${prefix}.postalCode`, input.postalCode, (v) => (/^\d{6}$/.test(v.trim()) ? { ok: true, value: v.trim() } : { ok: false, message: 'Индекс: 6 цифр' }), false);
  if (postalCode) structural.postalCode = postalCode;
  for (const level of ADDRESS_LEVELS) {
    const value = input[level];
    if (!value) continue;
    const name = check(problems, `${prefix}.${level}.name`, value.name, text(200));
    const abbreviation = check(problems, `${prefix}.${level}.abbreviation`, value.abbreviation, text(20), false);
    if (name) structural[level] = { name, abbreviation: abbreviation ?? DEFAULT_ABBREVIATIONS[level] };
  }
  return { structuralAddress: structural };
}

/** Passport requisites from the employee's latest KCR issue that has them (KCR writes dates DD.MM.YYYY). */
function passportOfIssueSnapshot(snapshot: Record<string, unknown>): Partial<PassportInput> | undefined {
  const documents = Array.isArray(snapshot.documents) ? (snapshot.documents as { type?: string; requisites?: { type: string; value: string }[] }[]) : [];
  const passport = documents.find((d) => d.type === 'passport');
  if (!passport?.requisites?.length) return undefined;
  const value = (type: string) => passport.requisites!.find((r) => r.type === type)?.value;
  return { series: value('series'), number: value('number'), issueDate: value('issueDate'), issuerCode: value('issueOrganizationId'), issuerName: value('issueOrganizationName') };
}

export class ReestroSubjectsService {
  constructor(
    private readonly db: Db,
    private readonly reestro: ReestroClient,
    private readonly employees: EmployeesService,
    private readonly audit: AuditService,
    private readonly organizationId: () => Promise<string>,
    private readonly budgetMs: number,
  ) {}

  view(row: ReestroSubjectRow): SubjectView {
    const { reestroOrganizationId: _org, ...rest } = row;
    return rest;
  }

  async get(id: string): Promise<ReestroSubjectRow> {
    const [row] = await this.db.select().from(reestroSubjects).where(eq(reestroSubjects.id, id));
    if (!row) throw new NotFoundError('Субъект Реестро не найден');
    return row;
  }

  async list(filter: { kind?: ReestroSubjectKind; employeeId?: string; offset: number; limit: number }): Promise<{ items: SubjectView[]; total: number }> {
    const conditions: SQL[] = [];
    if (filter.kind) conditions.push(eq(reestroSubjects.kind, filter.kind));
    if (filter.employeeId) conditions.push(eq(reestroSubjects.employeeId, filter.employeeId));
    const where = and(...conditions);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(reestroSubjects).where(where).orderBy(asc(reestroSubjects.displayName), asc(reestroSubjects.id)).offset(filter.offset).limit(filter.limit),
      this.db.select({ total: count() }).from(reestroSubjects).where(where),
    ]);
    return { items: rows.map((row) => this.view(row)), total };
  }

  /** Creates the subject at Реестро, or brings the existing one (same employee and kind, or same INN and KPP) up to date. */
  async save(actor: Actor, input: SubjectInput): Promise<SubjectView> {
    const { kind, body, displayName, inn, employeeId, fieldMap } = await this.prepare(input);
    const existing = await this.findExisting(input);
    let row: ReestroSubjectRow;
    try {
      row = await this.push(actor, existing, { kind, body, displayName, inn, employeeId });
    } catch (error) {
      const mapped = reestroServiceError(error, fieldMap);
      await this.audit
        .record(actor, { action: 'createReestroSubject', targetType: 'reestroSubject', targetId: existing?.id ?? null, outcome: 'failure', details: { kind, code: mapped instanceof ServiceError ? mapped.code : 'error', employeeId } })
        .catch(() => undefined);
      throw mapped;
    }
    await this.audit.record(actor, {
      action: 'createReestroSubject',
      targetType: 'reestroSubject',
      targetId: row.id,
      details: { kind, subjectId: row.subjectId, employeeId, updated: existing !== undefined },
    });
    return this.view(row);
  }

  /** A fresh ЕГРЮЛ (ЕГРИП) extract of an organization or a sole proprietor, kept at Реестро as a content. */
  async extract(actor: Actor, id: string): Promise<{ content: ReestroContentInfo; issueDate: string }> {
    const row = await this.get(id);
    if (row.kind === 'person') throw new ValidationError([{ field: 'id', message: 'Выписка из ЕГРЮЛ (ЕГРИП) есть только у организации или индивидуального предпринимателя' }]);
    if (!row.subjectId) throw new ConflictError('Субъект ещё не создан в Реестро: сохраните его снова');
    try {
      const content = await withPatience(() => this.reestro.getEgrul(row.subjectId!), this.budgetMs);
      await this.audit.record(actor, { action: 'getReestroSubjectExtract', targetType: 'reestroSubject', targetId: id, details: { contentId: content.contentId } });
      return { content, issueDate: new Date().toISOString().slice(0, 10) };
    } catch (error) {
      await this.audit.record(actor, { action: 'getReestroSubjectExtract', targetType: 'reestroSubject', targetId: id, outcome: 'failure' }).catch(() => undefined);
      throw reestroServiceError(error, { fallback: 'id', subject: () => 'id' });
    }
  }

  async representatives(filter: { organizationSubjectId?: string; personSubjectId?: string }): Promise<ReestroRepresentativeRow[]> {
    const conditions: SQL[] = [];
    if (filter.organizationSubjectId) conditions.push(eq(reestroRepresentatives.organizationSubjectId, filter.organizationSubjectId));
    if (filter.personSubjectId) conditions.push(eq(reestroRepresentatives.personSubjectId, filter.personSubjectId));
    return this.db.select().from(reestroRepresentatives).where(and(...conditions)).orderBy(desc(reestroRepresentatives.createdAt)).limit(500);
  }

  /** Registers the person as the organization's representative at Реестро (once per pair). */
  async addRepresentative(actor: Actor, input: { organizationSubjectId: string; personSubjectId: string; post: string }): Promise<ReestroRepresentativeRow> {
    const problems: FieldProblem[] = [];
    const post = check(problems, 'post', input.post, text(200));
    const organization = await this.get(input.organizationSubjectId).catch(() => undefined);
    const person = await this.get(input.personSubjectId).catch(() => undefined);
    if (!organization) problems.push({ field: 'organizationSubjectId', message: 'Организация не найдена среди субъектов Реестро' });
    else if (organization.kind !== 'organization') problems.push({ field: 'organizationSubjectId', message: 'Это не организация' });
    else if (!organization.subjectId) problems.push({ field: 'organizationSubjectId', message: 'Организация ещё не создана в Реестро: сохраните её снова' });
    if (!person) problems.push({ field: 'personSubjectId', message: 'Физическое лицо не найдено среди субъектов Реестро' });
    else if (person.kind !== 'person') problems.push({ field: 'personSubjectId', message: 'Представителем может быть только физическое лицо' });
    else if (!person.subjectId) problems.push({ field: 'personSubjectId', message: 'Физическое лицо ещё не создано в Реестро: сохраните его снова' });
    if (problems.length) throw new ValidationError(problems);
    const principalId = organization!.subjectId!;
    const agentId = person!.subjectId!;
    const fieldMap: ReestroFieldMap = {
      fallback: 'personSubjectId',
      path: (path) => (path.startsWith('principal') ? 'organizationSubjectId' : path.startsWith('agent') ? 'personSubjectId' : path === 'post' ? 'post' : undefined),
      subject: (id) => (id === principalId ? 'organizationSubjectId' : id === agentId ? 'personSubjectId' : undefined),
    };
    const existsAtReestro = async () => {
      try {
        return await this.reestro.getRepresentative(principalId, agentId);
      } catch (error) {
        if (error instanceof ReestroNotFoundError) return undefined;
        throw error;
      }
    };
    try {
      await createOnce({
        create: async () => {
          try {
            return await this.reestro.createRepresentative({ principal: { subjectId: principalId }, agent: { subjectId: agentId }, representativeType: 'Employee', post: post! });
          } catch (error) {
            // One pair per principal and agent: an earlier try (or someone else) made it.
            if (error instanceof ReestroConflictError) {
              const found = await existsAtReestro();
              if (found) return found;
            }
            throw error;
          }
        },
        find: existsAtReestro,
        uncertain: false,
        budgetMs: this.budgetMs,
      });
    } catch (error) {
      await this.audit.record(actor, { action: 'createReestroRepresentative', targetType: 'reestroSubject', targetId: organization!.id, outcome: 'failure', details: { personSubjectId: person!.id } }).catch(() => undefined);
      throw reestroServiceError(error, fieldMap);
    }
    const [row] = await this.db
      .insert(reestroRepresentatives)
      .values({ organizationSubjectId: organization!.id, personSubjectId: person!.id, post: post!, createdBy: actor.name })
      .onConflictDoUpdate({ target: [reestroRepresentatives.organizationSubjectId, reestroRepresentatives.personSubjectId], set: { post: post! } })
      .returning();
    await this.audit.record(actor, { action: 'createReestroRepresentative', targetType: 'reestroSubject', targetId: organization!.id, details: { personSubjectId: person!.id, post } });
    return row;
  }

  // ---- creating and updating at Реестро ----------------------------------------------------

  private async findExisting(input: SubjectInput): Promise<ReestroSubjectRow | undefined> {
    if (input.kind === 'organization') {
      const rows = await this.db.select().from(reestroSubjects).where(and(eq(reestroSubjects.kind, 'organization'), eq(reestroSubjects.inn, input.inn.trim())));
      return rows.find((row) => ((row.data as { kpp?: string }).kpp ?? '') === (input.kpp?.trim().toUpperCase() ?? ''));
    }
    const [row] = await this.db.select().from(reestroSubjects).where(and(eq(reestroSubjects.employeeId, input.employeeId), eq(reestroSubjects.kind, input.kind)));
    return row;
  }

  private async push(
    actor: Actor,
    existing: ReestroSubjectRow | undefined,
    subject: { kind: ReestroSubjectKind; body: Record<string, unknown>; displayName: string; inn: string | null; employeeId: string | null },
  ): Promise<ReestroSubjectRow> {
    const organizationId = await this.organizationId();
    let row = existing;
    if (!row) {
      // The row first (its id gives the externalId), so that a retry after a lost answer finds the subject.
      const id = randomUUID();
      [row] = await this.db
        .insert(reestroSubjects)
        .values({ id, kind: subject.kind, employeeId: subject.employeeId, externalId: subjectExternalId(id), data: subject.body, displayName: subject.displayName, inn: subject.inn, reestroOrganizationId: organizationId, createdBy: actor.name })
        .onConflictDoNothing()
        .returning();
      // Another request made the same employee's subject at the same moment: continue with that one.
      row ??= (await this.db.select().from(reestroSubjects).where(and(eq(reestroSubjects.employeeId, subject.employeeId!), eq(reestroSubjects.kind, subject.kind))))[0];
    }
    const request: ReestroSubjectRequest = { [subject.kind]: subject.body };
    let remote: ReestroSubject | undefined;
    // A subject made for another organization (the settings changed) does not exist for this one.
    const known = row.subjectId && row.reestroOrganizationId === organizationId ? row.subjectId : undefined;
    if (known) {
      try {
        remote = await withPatience(() => this.reestro.updateSubject(known, request), this.budgetMs);
      } catch (error) {
        // Gone at Реестро: made again below under a new externalId.
        if (!(error instanceof ReestroNotFoundError)) throw error;
        const id = row.id;
        [row] = await this.db.update(reestroSubjects).set({ subjectId: null, externalId: `${subjectExternalId(id)}_${Date.now().toString(36)}`, updatedAt: new Date() }).where(eq(reestroSubjects.id, id)).returning();
      }
    }
    if (!remote) {
      const externalId = row.externalId;
      const result = await createOnce({
        create: () => this.reestro.createSubject({ externalId, ...request }),
        find: async () => (await this.reestro.findSubjects(externalId)).subjects.find((s) => s.externalId === externalId),
        uncertain: existing !== undefined && !known,
        budgetMs: this.budgetMs,
      });
      remote = result.value;
      // Found rather than made: it holds the data of the earlier try, so send this one's.
      if (result.found) remote = await withPatience(() => this.reestro.updateSubject(result.value.subjectId, request), this.budgetMs);
    }
    const [updated] = await this.db
      .update(reestroSubjects)
      .set({ subjectId: remote.subjectId, reestroOrganizationId: organizationId, data: subject.body, displayName: subject.displayName, inn: subject.inn, updatedAt: new Date() })
      .where(eq(reestroSubjects.id, row.id))
      .returning();
    return updated;
  }

  /** Checks the input and builds Реестро's subject from it (and from the employee card). */
  private async prepare(input: SubjectInput): Promise<{
    kind: ReestroSubjectKind;
    body: Record<string, unknown>;
    displayName: string;
    inn: string | null;
    employeeId: string | null;
    fieldMap: ReestroFieldMap;
  }> {
    const problems: FieldProblem[] = [];
    if (input.kind === 'organization') {
      const name = check(problems, 'name', input.name, text(500));
      const inn = check(problems, 'inn', input.inn, (v) => checkInn(v, 'legal'));
      const kpp = check(problems, 'kpp', input.kpp, checkKpp, false);
      const ogrn = check(problems, 'ogrn', input.ogrn, (v) => (checkOgrn(v).ok && v.trim().length === 13 ? checkOgrn(v) : { ok: false, message: 'ОГРН организации: 13 цифр с верным контрольным числом' }));
      const regDate = check(problems, 'regDate', input.regDate, pastDate, false);
      const address = reestroAddress(problems, input.address);
      if (problems.length) throw new ValidationError(problems);
      const organization: ReestroOrganization = { name: name!, nativeOrgParams: { ogrn: ogrn!, inn: inn! }, address };
      if (kpp) organization.kpp = kpp;
      if (regDate) organization.regDate = regDate;
      return { kind: 'organization', body: organization, displayName: name!, inn: inn!, employeeId: null, fieldMap: organizationFieldMap() };
    }

    let employee: Employee | undefined;
    try {
      employee = await this.employees.get(input.employeeId);
    } catch {
      problems.push({ field: 'employeeId', message: 'Сотрудник не найден' });
    }
    const gender = input.gender in GENDERS ? GENDERS[input.gender] : (problems.push({ field: 'gender', message: 'Пол: male или female' }), undefined);
    const birthPlace = check(problems, 'birthPlace', input.birthPlace, text(500));
    const citizenship = check(problems, 'citizenship', input.citizenship, (v) => (/^\d{12}$/.test(v.trim()) ? { ok: true, value: v.trim() } : { ok: false, message: 'Код гражданства Реестро: 12 цифр (848000000643 — Россия)' }), false);
    const address = reestroAddress(problems, input.address);
    const ogrnip =
      input.kind === 'soleProprietor'
        ? check(problems, 'ogrnip', input.ogrnip, (v) => (v.trim().length === 15 ? checkOgrn(v) : { ok: false, message: 'ОГРНИП: 15 цифр' }))
        : undefined;
    let passport = input.passport;
    if (!passport && employee) {
      const latest = await this.latestIssuePassport(employee.id);
      if (latest) passport = latest as PassportInput;
      else problems.push({ field: 'passport', message: 'Укажите паспорт: в заявках КЦР этого сотрудника паспортных данных нет' });
    }
    const series = passport && check(problems, 'passport.series', passport.series, checkPassportSeries);
    const number = passport && check(problems, 'passport.number', passport.number, checkPassportNumber);
    const issueDate = passport && check(problems, 'passport.issueDate', passport.issueDate, pastDate);
    const issuerCode = passport && check(problems, 'passport.issuerCode', passport.issuerCode, checkIssuerCode);
    const issuerName = passport && check(problems, 'passport.issuerName', passport.issuerName, text(500));
    if (input.kind === 'soleProprietor' && employee && !employee.inn) problems.push({ field: 'employee.inn', message: 'У индивидуального предпринимателя в карточке сотрудника должен быть ИНН' });
    if (problems.length) throw new ValidationError(problems);
    const card = employee!;
    // What the card holds goes as it is; what it lacks (birth date, SNILS) is for Реестро to refuse, naming it.
    const person: ReestroPerson = {
      name: card.firstName,
      surname: card.lastName,
      ...(card.middleName ? { patronymic: card.middleName } : {}),
      ...(card.birthDate ? { dateBirth: card.birthDate } : {}),
      birthPlace: birthPlace!,
      ...(card.snils ? { snils: card.snils } : {}),
      ...(card.inn ? { inn: card.inn } : {}),
      ...(card.email ? { email: card.email } : {}),
      phone: phoneDigits(card.phone),
      gender: gender!,
      identityDocument: { documentType: '008001001000', series: series!, number: number!, issueDate: issueDate!, issuer: { issuerCode: issuerCode!, issuerName: issuerName! } },
      citizenship: citizenship ?? CITIZENSHIP_RUSSIA,
      address,
    };
    const body: Record<string, unknown> = input.kind === 'soleProprietor' ? { ...person, ogrnip: ogrnip! } : person;
    return { kind: input.kind, body, displayName: fullName(card), inn: card.inn, employeeId: card.id, fieldMap: personFieldMap(input.kind) };
  }

  private async latestIssuePassport(employeeId: string): Promise<Partial<PassportInput> | undefined> {
    const rows = await this.db.select({ snapshot: issues.snapshot }).from(issues).where(eq(issues.employeeId, employeeId)).orderBy(desc(issues.updatedAt)).limit(20);
    for (const row of rows) {
      const passport = passportOfIssueSnapshot(row.snapshot);
      if (passport?.series && passport.number) return passport;
    }
    return undefined;
  }
}

/** Реестро's fields of a person subject and the request fields (or card fields) they come from. */
const PERSON_FIELDS: Record<string, string> = {
  name: 'employee.firstName',
  surname: 'employee.lastName',
  patronymic: 'employee.middleName',
  dateBirth: 'employee.birthDate',
  snils: 'employee.snils',
  inn: 'employee.inn',
  email: 'employee.email',
  phone: 'employee.phone',
  birthPlace: 'birthPlace',
  gender: 'gender',
  citizenship: 'citizenship',
  ogrnip: 'ogrnip',
  'identityDocument.series': 'passport.series',
  'identityDocument.number': 'passport.number',
  'identityDocument.issueDate': 'passport.issueDate',
  'identityDocument.issuer.issuerCode': 'passport.issuerCode',
  'identityDocument.issuer.issuerName': 'passport.issuerName',
  identityDocument: 'passport',
};

const ORGANIZATION_FIELDS: Record<string, string> = {
  name: 'name',
  kpp: 'kpp',
  regDate: 'regDate',
  'nativeOrgParams.ogrn': 'ogrn',
  'nativeOrgParams.inn': 'inn',
  nativeOrgParams: 'ogrn',
};

/** `address.structuralAddress.street.name` → `address.street.name`. */
function addressField(path: string): string | undefined {
  const match = /^address(?:\.structuralAddress)?(?:\.(\w+))?(?:\.(\w+))?/.exec(path);
  if (!match) return undefined;
  return ['address', match[1], match[2]].filter(Boolean).join('.');
}

export function personFieldMap(kind: 'person' | 'soleProprietor', prefix = ''): ReestroFieldMap {
  return {
    fallback: `${prefix}employeeId`,
    path: (path) => {
      const local = path.replace(/^(person|soleProprietor)\./, '');
      const field = local.startsWith('address') ? addressField(local) : PERSON_FIELDS[local];
      return field && `${prefix}${field}`;
    },
    address: () => `${prefix}address`,
    identityDocument: () => `${prefix}passport.number`,
    externalId: `${prefix}employeeId`,
  };
}

export function organizationFieldMap(): ReestroFieldMap {
  return {
    fallback: 'name',
    path: (path) => {
      const local = path.replace(/^organization\./, '');
      return local.startsWith('address') ? addressField(local) : ORGANIZATION_FIELDS[local];
    },
    address: () => 'address',
  };
}
