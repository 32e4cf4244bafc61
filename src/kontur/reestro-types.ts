// Kontur Реестро's wire format (seed 004 and docs/kontur-api.md §3, §7): subjects and
// representatives of the entity API (/realty/entity/v1), contents and certificate forms of the
// crypto API (/realty/crypto/v2). camelCase JSON. Fields Kontur may add later are kept: every
// object type is open.

/** One level of a structured address: `{name: "Челюскинцев", abbreviation: "ул"}`. */
export interface ReestroAddressLevel {
  name: string;
  abbreviation?: string;
}

export interface ReestroStructuralAddress {
  /** Two-digit code of the region (субъект РФ), e.g. "54". */
  region: string;
  postalCode?: string;
  district?: ReestroAddressLevel;
  city?: ReestroAddressLevel;
  settlement?: ReestroAddressLevel;
  street?: ReestroAddressLevel;
  house?: ReestroAddressLevel;
  building?: ReestroAddressLevel;
  flat?: ReestroAddressLevel;
  [field: string]: unknown;
}

export interface ReestroAddress {
  structuralAddress: ReestroStructuralAddress;
  [field: string]: unknown;
}

export interface ReestroIssuer {
  issuerCode?: string;
  issuerName?: string;
}

/** A document's requisites (`documentInfo`) and a subject's `identityDocument`. */
export interface ReestroDocumentInfo {
  /** A code of Реестро's document lists: "008001001000" passport of the RF, "008002008000" ЕГРЮЛ extract, "100" SNILS, "200" INN, "5300" photo. */
  documentType: string;
  number?: string;
  series?: string;
  /** YYYY-MM-DD. */
  issueDate?: string;
  issuer?: ReestroIssuer;
  /** Seed 004's second example nests the content here; Kontur accepts both places. */
  content?: { contentInfo: ReestroContentInfo };
  [field: string]: unknown;
}

export type ReestroGender = 'Male' | 'Female';

export interface ReestroPerson {
  name: string;
  surname: string;
  patronymic?: string;
  /** YYYY-MM-DD. */
  dateBirth?: string;
  birthPlace?: string;
  /** "000-000-000 55" or 11 digits. */
  snils?: string;
  inn?: string;
  email?: string;
  /** Digits only, e.g. "79699999999". */
  phone?: string;
  gender?: ReestroGender;
  identityDocument?: ReestroDocumentInfo;
  /** OKSM-based code, "848000000643" for Russia in the seed. */
  citizenship?: string;
  address?: ReestroAddress;
  [field: string]: unknown;
}

export interface ReestroSoleProprietor extends ReestroPerson {
  ogrnip: string;
}

export interface ReestroOrganization {
  name: string;
  kpp?: string;
  /** YYYY-MM-DD. */
  regDate?: string;
  address?: ReestroAddress;
  nativeOrgParams: { ogrn: string; inn: string };
  [field: string]: unknown;
}

/** POST /subjects and PUT /subjects/{id}: exactly one of person, soleProprietor, organization. */
export interface ReestroSubjectRequest {
  externalId?: string;
  person?: ReestroPerson;
  soleProprietor?: ReestroSoleProprietor;
  organization?: ReestroOrganization;
}

export interface ReestroSubject extends ReestroSubjectRequest {
  subjectId: string;
  [field: string]: unknown;
}

export interface ReestroRepresentativeRequest {
  principal: { subjectId: string };
  agent: { subjectId: string };
  representativeType?: string;
  /** Required when the principal is a legal entity. */
  post?: string;
  authority?: string;
}

export interface ReestroRepresentative extends ReestroRepresentativeRequest {
  [field: string]: unknown;
}

/** What Kontur keeps of an uploaded content, and how a form refers to it. */
export interface ReestroContentInfo {
  contentId: string;
  /** pdf, png, jpg, jpeg or tiff for certificate forms. */
  contentType: string;
  /** MD5 of the bytes, hex (the seed writes it in upper case). */
  md5: string;
  size?: number;
  contentName?: string;
  [field: string]: unknown;
}

export interface ReestroDocument {
  documentId: string;
  documentInfo: ReestroDocumentInfo;
  content?: { contentInfo: ReestroContentInfo };
  [field: string]: unknown;
}

export interface ReestroCreateFormRequest {
  externalId?: string;
  /** Subject id of the natural person (the owner, or the organization's representative). */
  person: string;
  /** Subject id of the legal entity, for a certificate of an organization. */
  organization?: string;
  documents?: ReestroDocument[];
}

/**
 * States of a form. Kontur publishes `Created` (seed 004) and `validationError` (PATCH is allowed
 * in created and validationError); the rest of the list is the sandbox's design (docs/sandbox.md).
 * Compared case-insensitively: Kontur's pages spell them both ways.
 */
export type ReestroFormState = 'Created' | 'Releasing' | 'ValidationError' | 'Issued' | 'Revoked' | (string & {});

export interface ReestroFormError {
  code: string;
  message?: string;
  target?: string;
  context?: unknown;
}

export interface ReestroCertificateForm {
  formId: string;
  externalId?: string;
  person: ReestroSubject;
  organization?: ReestroSubject;
  documents: ReestroDocument[];
  state: ReestroFormState;
  /** Why the form is in validationError (the CA's or the registries' findings). */
  validationErrors?: ReestroFormError[];
  /** The signed release statement sent with POST /release. */
  releaseStatement?: ReestroContentInfo;
  createdAt?: string;
  updatedAt?: string;
  [field: string]: unknown;
}

export interface ReestroFormList {
  forms: ReestroCertificateForm[];
  [field: string]: unknown;
}

export interface ReestroSubjectList {
  subjects: ReestroSubject[];
  [field: string]: unknown;
}

/** One operation of PATCH /certificate-forms/{formId}. */
export interface ReestroPatchOperation {
  op: 'add' | 'update';
  /** `/documents` (add a document), `/documents/{documentId}` (replace it), `/person`, `/organization`. */
  path: string;
  value: unknown;
}

export type ReestroStatementType = 'releaseStatement' | 'recallStatement';

export type ReestroCertificateState = 'Valid' | 'Revoke' | 'Expired' | (string & {});

export interface ReestroCertificateInfo {
  formId: string;
  certificateState: ReestroCertificateState;
  /** The certificate (DER) as a content. */
  data: ReestroContentInfo;
  /** The receipt of the certificate (PDF) as a content. */
  receipt?: ReestroContentInfo;
  validFrom: string;
  validTo: string;
  name?: string;
  inn?: string;
  ogrn?: string;
  kpp?: string;
  [field: string]: unknown;
}

/** A form with the ETag Kontur sent with it. */
export interface TaggedForm {
  form: ReestroCertificateForm;
  etag: string | undefined;
}
