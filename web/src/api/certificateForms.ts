// Certificate forms at Kontur Реестро and the subjects and representatives they need.
import { apiRequest } from './client.ts';
import type { CertificateForm, CertificateFormCertificate, Page, ReestroContentInfo, ReestroSubject } from './types.ts';

const formPath = (id: string, rest = '') => `/certificate-forms/${encodeURIComponent(id)}${rest}`;

export interface AddressLevel {
  name: string;
  abbreviation?: string;
}

export interface AddressInput {
  region: string;
  city?: AddressLevel;
  settlement?: AddressLevel;
  street?: AddressLevel;
  house?: AddressLevel;
  flat?: AddressLevel;
}

export interface PassportInput {
  series: string;
  number: string;
  issueDate: string;
  issuerCode: string;
  issuerName: string;
}

export interface PersonSubjectInput {
  kind: 'person' | 'soleProprietor';
  employeeId: string;
  gender: 'male' | 'female';
  birthPlace: string;
  address: AddressInput;
  passport: PassportInput;
  ogrnip?: string;
}

export interface OrganizationSubjectInput {
  kind: 'organization';
  name: string;
  inn: string;
  kpp?: string;
  ogrn: string;
  address: AddressInput;
}

export interface FileInput {
  name: string;
  /** The bytes in base64. */
  data: string;
}

export interface FormDocumentInput {
  type: 'passport' | 'snils' | 'inn' | 'photo' | 'egrul';
  file?: FileInput;
  content?: ReestroContentInfo;
  issueDate?: string;
  replaces?: string;
}

export const searchReestroSubjects = (search: { kind?: ReestroSubject['kind']; employeeId?: string; limit?: number }) =>
  apiRequest<Page<ReestroSubject>>('GET', '/reestro-subjects', { query: { offset: 0, limit: search.limit ?? 100, kind: search.kind, employeeId: search.employeeId } });

export const saveReestroSubject = (input: PersonSubjectInput | OrganizationSubjectInput) => apiRequest<ReestroSubject>('POST', '/reestro-subjects', { json: input });

export const fetchExtract = (subjectId: string) =>
  apiRequest<{ content: ReestroContentInfo; issueDate: string }>('GET', `/reestro-subjects/${encodeURIComponent(subjectId)}/egrul`);

export const registerRepresentative = (input: { organizationSubjectId: string; personSubjectId: string; post: string }) =>
  apiRequest<unknown>('POST', '/reestro-representatives', { json: input });

export const searchCertificateForms = (search: { employeeId?: string; state?: string; offset: number; limit: number }) =>
  apiRequest<Page<CertificateForm>>('GET', '/certificate-forms', { query: { ...search } });

export const fetchCertificateForm = (id: string) => apiRequest<CertificateForm>('GET', formPath(id));

export const createCertificateForm = (input: { personSubjectId: string; organizationSubjectId?: string; documents: FormDocumentInput[] }, idempotencyKey: string) =>
  apiRequest<CertificateForm>('POST', '/certificate-forms', { json: input, headers: { 'idempotency-key': idempotencyKey } });

export const addFormDocuments = (id: string, documents: FormDocumentInput[]) => apiRequest<CertificateForm>('PATCH', formPath(id), { json: { documents } });

export const releaseCertificateForm = (id: string, statement: FileInput) => apiRequest<CertificateForm>('POST', formPath(id, '/release'), { json: { file: statement } });

export const fetchFormCertificate = (id: string) => apiRequest<CertificateFormCertificate>('GET', formPath(id, '/certificate'));

export const formStatementPath = (id: string, statementType: 'releaseStatement' | 'recallStatement' = 'releaseStatement') => formPath(id, `/statement?statementType=${statementType}`);
export const formCertificatePath = (id: string) => formPath(id, '/certificate/content');
