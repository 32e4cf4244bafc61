import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Gapped, Input, Radio, RadioGroup, Select } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import {
  createCertificateForm,
  fetchExtract,
  registerRepresentative,
  saveReestroSubject,
  searchReestroSubjects,
  type AddressInput,
  type FormDocumentInput,
} from '../../api/certificateForms.ts';
import type { ReestroSubject } from '../../api/types.ts';
import { EmployeePicker } from '../../components/EmployeePicker.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ATTACHABLE_DOCUMENTS, fieldLabel, newIdempotencyKey, OWNER_TYPE_NAMES, SCAN_MAX_BYTES, SCAN_TYPES, type AttachableDocument, type OwnerType } from '../../domain/certificateForms.ts';
import { readAsBase64 } from '../../files/readFile.ts';
import { formatFileSize } from '../../format/fileSize.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';

const PERSON_FIELDS = ['birthPlace', 'region', 'city', 'street', 'house', 'flat', 'series', 'number', 'issueDate', 'issuerCode', 'issuerName', 'ogrnip'] as const;
type PersonField = (typeof PERSON_FIELDS)[number];
const ORGANIZATION_FIELDS = ['name', 'inn', 'kpp', 'ogrn', 'region', 'city', 'street', 'house', 'post'] as const;
type OrganizationField = (typeof ORGANIZATION_FIELDS)[number];

const emptyPerson = (): Record<PersonField, string> => Object.fromEntries(PERSON_FIELDS.map((f) => [f, ''])) as Record<PersonField, string>;
const emptyOrganization = (): Record<OrganizationField, string> => Object.fromEntries(ORGANIZATION_FIELDS.map((f) => [f, ''])) as Record<OrganizationField, string>;

/** The server's field names (address.street.name, passport.series) → this page's field ids. */
const SERVER_FIELDS: Record<string, string> = {
  'address.region': 'region',
  'address.city': 'city',
  'address.city.name': 'city',
  'address.street': 'street',
  'address.street.name': 'street',
  'address.house': 'house',
  'address.house.name': 'house',
  'address.flat': 'flat',
  'address.flat.name': 'flat',
  address: 'street',
  'passport.series': 'series',
  'passport.number': 'number',
  'passport.issueDate': 'issueDate',
  'passport.issuerCode': 'issuerCode',
  'passport.issuerName': 'issuerName',
  passport: 'series',
};

function level(name: string): { name: string } | undefined {
  return name.trim() ? { name: name.trim() } : undefined;
}

function address(values: { region: string; city: string; street: string; house: string; flat?: string }): AddressInput {
  return { region: values.region.trim(), city: level(values.city), street: level(values.street), house: level(values.house), flat: level(values.flat ?? '') };
}

/** A person subject's data back into the form's fields (to edit what was sent before). */
function personValues(subject: ReestroSubject): Record<PersonField, string> {
  const data = subject.data as Record<string, any>;
  const structural = data.address?.structuralAddress ?? {};
  const identity = data.identityDocument ?? {};
  const russianDate = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('.') : (iso ?? ''));
  return {
    birthPlace: data.birthPlace ?? '',
    region: structural.region ?? '',
    city: structural.city?.name ?? '',
    street: structural.street?.name ?? '',
    house: structural.house?.name ?? '',
    flat: structural.flat?.name ?? '',
    series: identity.series ?? '',
    number: identity.number ?? '',
    issueDate: russianDate(identity.issueDate),
    issuerCode: identity.issuer?.issuerCode ?? '',
    issuerName: identity.issuer?.issuerName ?? '',
    ogrnip: data.ogrnip ?? '',
  };
}

/** A failed step of the submission, with the prefix its field names get on this page. */
class StepFailure extends Error {
  constructor(
    readonly prefix: 'person' | 'organization' | 'form',
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}

async function step<T>(prefix: StepFailure['prefix'], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StepFailure(prefix, error instanceof ApiError ? error : new ApiError(0, 'Ошибка', String(error)));
  }
}

/**
 * A new certificate form: who the certificate is for (an employee as a person, a sole proprietor,
 * or an organization's representative), what the card does not hold (passport, address), the
 * scans, and for an organization or a sole proprietor the ЕГРЮЛ extract, fetched from Реестро.
 */
export function CertificateFormCreatePage() {
  usePageTitle('Новая анкета Реестро');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [ownerType, setOwnerType] = useState<OwnerType>('person');
  const [employeeId, setEmployeeId] = useState<string | null>(params.get('employee'));
  const [gender, setGender] = useState<'male' | 'female' | ''>('');
  const [person, setPerson] = useState(emptyPerson);
  const [organizationId, setOrganizationId] = useState<string>('new');
  const [organization, setOrganization] = useState(emptyOrganization);
  const [files, setFiles] = useState<Partial<Record<AttachableDocument, File>>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  // Kept while the outcome of a try is unknown (a retry then finds the same form); new after a refusal.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const organizations = useApiData(() => searchReestroSubjects({ kind: 'organization' }), []);
  const subjectKind = ownerType === 'soleProprietor' ? 'soleProprietor' : 'person';

  // What was sent for this employee before fills the fields the user has not touched.
  useEffect(() => {
    if (!employeeId) return;
    let cancelled = false;
    searchReestroSubjects({ kind: subjectKind, employeeId, limit: 1 })
      .then((page) => {
        const subject = page.items[0];
        if (cancelled || !subject) return;
        const known = personValues(subject);
        setPerson((current) => Object.fromEntries(PERSON_FIELDS.map((f) => [f, current[f] || known[f]])) as Record<PersonField, string>);
        const data = subject.data as { gender?: string };
        setGender((current) => current || (data.gender === 'Male' ? 'male' : data.gender === 'Female' ? 'female' : ''));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [employeeId, subjectKind]);

  const organizationItems = useMemo<[string, string][]>(
    () => [['new', 'Новая организация'], ...(organizations.data?.items ?? []).map((o): [string, string] => [o.id, `${o.displayName}${o.inn ? `, ИНН ${o.inn}` : ''}`])],
    [organizations.data],
  );
  const documentsSent: AttachableDocument[] = ATTACHABLE_DOCUMENTS.map((d) => d.type).filter((type) => files[type]);

  const problem = (field: string) => problems[field];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!employeeId) missing.employee = 'Выберите сотрудника';
    if (!gender) missing.gender = 'Укажите пол';
    if (!files.passport) missing['document-passport'] = 'Приложите скан паспорта';
    for (const field of ['birthPlace', 'region', 'series', 'number', 'issueDate', 'issuerCode', 'issuerName'] as const) if (!person[field].trim()) missing[`person.${field}`] = 'Заполните поле';
    if (ownerType === 'soleProprietor' && !person.ogrnip.trim()) missing['person.ogrnip'] = 'Заполните поле';
    if (ownerType === 'legalEntity') {
      if (!organization.post.trim()) missing['organization.post'] = 'Укажите должность представителя';
      if (organizationId === 'new') for (const field of ['name', 'inn', 'ogrn', 'region'] as const) if (!organization[field].trim()) missing[`organization.${field}`] = 'Заполните поле';
    }
    setProblems(missing);
    setFailure(undefined);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    try {
      const personSubject = await step('person', () =>
        saveReestroSubject({
          kind: subjectKind,
          employeeId: employeeId!,
          gender: gender as 'male' | 'female',
          birthPlace: person.birthPlace.trim(),
          address: address(person),
          passport: { series: person.series.trim(), number: person.number.trim(), issueDate: person.issueDate.trim(), issuerCode: person.issuerCode.trim(), issuerName: person.issuerName.trim() },
          ...(ownerType === 'soleProprietor' ? { ogrnip: person.ogrnip.trim() } : {}),
        }),
      );
      let organizationSubjectId: string | undefined;
      if (ownerType === 'legalEntity') {
        organizationSubjectId =
          organizationId !== 'new'
            ? organizationId
            : (
                await step('organization', () =>
                  saveReestroSubject({ kind: 'organization', name: organization.name.trim(), inn: organization.inn.trim(), kpp: organization.kpp.trim() || undefined, ogrn: organization.ogrn.trim(), address: address(organization) }),
                )
              ).id;
        await step('organization', () => registerRepresentative({ organizationSubjectId: organizationSubjectId!, personSubjectId: personSubject.id, post: organization.post.trim() }));
      }
      const documents: FormDocumentInput[] = [];
      for (const type of documentsSent) documents.push({ type, file: { name: files[type]!.name, data: await readAsBase64(files[type]!) } });
      if (ownerType !== 'person') {
        const extract = await step('form', () => fetchExtract(organizationSubjectId ?? personSubject.id));
        documents.push({ type: 'egrul', content: extract.content, issueDate: extract.issueDate });
      }
      const form = await step('form', () => createCertificateForm({ personSubjectId: personSubject.id, organizationSubjectId, documents }, idempotencyKey));
      navigate(`/certificate-forms/${form.id}`);
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      if (error.error.status >= 400 && error.error.status < 500) setIdempotencyKey(newIdempotencyKey());
      const found: Record<string, string> = {};
      const unplaced = [];
      for (const { field, message } of error.error.fieldProblems) {
        const document = /^documents\[(\d+)\]/.exec(field);
        if (error.prefix === 'form' && document) {
          const type = documentsSent[Number(document[1])];
          if (type) found[`document-${type}`] = message;
          else unplaced.push({ field, message: `Выписка из ЕГРЮЛ: ${message}` });
        } else if (error.prefix === 'person' && (SERVER_FIELDS[field] || (PERSON_FIELDS as readonly string[]).includes(field))) {
          found[`person.${SERVER_FIELDS[field] ?? field}`] = message;
        } else if (error.prefix === 'organization' && (SERVER_FIELDS[field] || (ORGANIZATION_FIELDS as readonly string[]).includes(field))) {
          found[`organization.${SERVER_FIELDS[field] ?? field}`] = message;
        } else if (field === 'gender') found.gender = message;
        else unplaced.push({ field, message: `${fieldLabel(field)}: ${message}` });
      }
      setProblems(found);
      setFailure(new ApiError(error.error.status, error.error.title, error.error.message, unplaced));
    } finally {
      setBusy(false);
    }
  };

  const text = (scope: 'person' | 'organization', field: string, label: string, options: { required?: boolean; hint?: string; placeholder?: string } = {}) => {
    const id = `${scope}-${field}`;
    const message = problem(`${scope}.${field}`);
    const values = scope === 'person' ? (person as Record<string, string>) : (organization as Record<string, string>);
    const set = scope === 'person' ? setPerson : setOrganization;
    return (
      <FormField id={id} label={label} required={options.required} hint={options.hint} error={message}>
        <Input
          id={id}
          width="100%"
          value={values[field]}
          placeholder={options.placeholder}
          error={Boolean(message)}
          aria-invalid={Boolean(message)}
          aria-describedby={describedBy(id, message, options.hint)}
          onValueChange={(value) => (set as (update: (current: Record<string, string>) => Record<string, string>) => void)((current) => ({ ...current, [field]: value }))}
        />
      </FormField>
    );
  };

  return (
    <>
      <PageHeader title="Новая анкета Реестро">
        <p className="page-header__subtitle">
          Данные владельца берутся из карточки сотрудника; здесь — то, чего в карточке нет. <Link to="/certificate-forms">Все анкеты</Link>
        </p>
      </PageHeader>
      <form onSubmit={submit} noValidate aria-label="Новая анкета">
        <section className="section" aria-labelledby="owner-title">
          <h2 id="owner-title" className="section__title">
            Владелец сертификата
          </h2>
          <RadioGroup<OwnerType> name="owner-type" value={ownerType} onValueChange={setOwnerType} aria-label="На кого выпускается сертификат">
            <Gapped vertical gap={8}>
              {(Object.keys(OWNER_TYPE_NAMES) as OwnerType[]).map((type) => (
                <Radio key={type} value={type}>
                  {OWNER_TYPE_NAMES[type]}
                </Radio>
              ))}
            </Gapped>
          </RadioGroup>
          <div className="form__grid">
            <FormField id="form-employee" label="Сотрудник" required error={problem('employee')}>
              <EmployeePicker id="form-employee" value={employeeId} onChange={setEmployeeId} error={Boolean(problem('employee'))} describedBy={describedBy('form-employee', problem('employee'), undefined)} />
            </FormField>
            <FormField id="person-gender" label="Пол" required error={problem('gender')}>
              <RadioGroup<'male' | 'female'> name="gender" value={gender || undefined} onValueChange={setGender} aria-label="Пол">
                <Gapped gap={16}>
                  <Radio value="female">Женский</Radio>
                  <Radio value="male">Мужской</Radio>
                </Gapped>
              </RadioGroup>
            </FormField>
            {text('person', 'birthPlace', 'Место рождения', { required: true, placeholder: 'г. Новосибирск' })}
            {ownerType === 'soleProprietor' && text('person', 'ogrnip', 'ОГРНИП', { required: true, hint: '15 цифр' })}
          </div>
        </section>

        <section className="section" aria-labelledby="passport-title">
          <h2 id="passport-title" className="section__title">
            Паспорт гражданина РФ
          </h2>
          <div className="form__grid form__grid_narrow">
            {text('person', 'series', 'Серия', { required: true, placeholder: '4510', hint: '4 цифры' })}
            {text('person', 'number', 'Номер', { required: true, placeholder: '123456', hint: '6 цифр' })}
            {text('person', 'issueDate', 'Дата выдачи', { required: true, placeholder: 'ДД.ММ.ГГГГ' })}
            {text('person', 'issuerCode', 'Код подразделения', { required: true, placeholder: '540-001' })}
          </div>
          {text('person', 'issuerName', 'Кем выдан', { required: true })}
        </section>

        <section className="section" aria-labelledby="address-title">
          <h2 id="address-title" className="section__title">
            Адрес регистрации
          </h2>
          <p className="muted">Реестро требует адрес с точностью до улицы (или дома).</p>
          <div className="form__grid form__grid_narrow">
            {text('person', 'region', 'Код региона', { required: true, placeholder: '54', hint: 'Две цифры' })}
            {text('person', 'city', 'Населённый пункт')}
            {text('person', 'street', 'Улица')}
            {text('person', 'house', 'Дом')}
            {text('person', 'flat', 'Квартира')}
          </div>
        </section>

        {ownerType === 'legalEntity' && (
          <section className="section" aria-labelledby="organization-title">
            <h2 id="organization-title" className="section__title">
              Организация
            </h2>
            <FormField id="organization-choice" label="Организация">
              <Select<string, string> id="organization-choice" width="100%" items={organizationItems} value={organizationId} onValueChange={setOrganizationId} />
            </FormField>
            {organizationId === 'new' && (
              <div className="form__grid form__grid_narrow">
                {text('organization', 'name', 'Наименование', { required: true, placeholder: 'ООО «Ромашка»' })}
                {text('organization', 'inn', 'ИНН', { required: true, hint: '10 цифр' })}
                {text('organization', 'kpp', 'КПП', { hint: '9 символов' })}
                {text('organization', 'ogrn', 'ОГРН', { required: true, hint: '13 цифр' })}
                {text('organization', 'region', 'Код региона', { required: true, placeholder: '54' })}
                {text('organization', 'city', 'Город')}
                {text('organization', 'street', 'Улица')}
                {text('organization', 'house', 'Дом')}
              </div>
            )}
            {text('organization', 'post', 'Должность представителя', { required: true, placeholder: 'Генеральный директор' })}
          </section>
        )}

        <section className="section" aria-labelledby="documents-title">
          <h2 id="documents-title" className="section__title">
            Документы
          </h2>
          {ownerType !== 'person' && <p className="muted">Выписку из {ownerType === 'legalEntity' ? 'ЕГРЮЛ' : 'ЕГРИП'} модуль получит из Реестро сам.</p>}
          <div className="form-documents">
            {ATTACHABLE_DOCUMENTS.map((document) => {
              const message = problem(`document-${document.type}`);
              const file = files[document.type];
              return (
                <div key={document.type} className={message ? 'form-field form-field_invalid' : 'form-field'}>
                  <FileDropZone
                    id={`document-${document.type}`}
                    label={`${document.label}${document.required ? ' *' : ''}`}
                    accept={SCAN_TYPES}
                    acceptName="PDF, PNG, JPEG или TIFF"
                    maxBytes={SCAN_MAX_BYTES}
                    onFiles={([picked]) => setFiles((current) => ({ ...current, [document.type]: picked }))}
                  />
                  {file && (
                    <p className="small" data-testid={`document-${document.type}-file`}>
                      {file.name}, {formatFileSize(file.size)}{' '}
                      <Button use="link" onClick={() => setFiles((current) => ({ ...current, [document.type]: undefined }))}>
                        убрать
                      </Button>
                    </p>
                  )}
                  {message && (
                    <div className="form-field__error" role="alert">
                      {message}
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </section>

        <ErrorBanner error={failure} />
        <div className="form__actions">
          <Gapped gap={8} wrap>
            <Button type="submit" use="primary" size="medium" loading={busy}>
              Создать анкету
            </Button>
            <Button size="medium" onClick={() => navigate('/certificate-forms')} disabled={busy}>
              Отмена
            </Button>
          </Gapped>
        </div>
      </form>
    </>
  );
}
