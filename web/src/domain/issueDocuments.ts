// Names of the documents, requisites, remarks and SMEV findings of an issue.
import {
  DOCUMENT_TYPE_NAMES as SHARED_DOCUMENT_TYPE_NAMES,
  MAX_PAGE_BYTES,
  PAGE_CONTENT_TYPES,
  REMARK_TARGET_NAMES as SHARED_REMARK_TARGET_NAMES,
  SMEV_ERROR_NAMES as SHARED_SMEV_ERROR_NAMES,
} from '../../../src/domain/issue.ts';

// The names come from the server's domain module, so that server and client never disagree.
export const DOCUMENT_TYPE_NAMES: Record<string, string> = SHARED_DOCUMENT_TYPE_NAMES;
export const REMARK_TARGET_NAMES: Record<string, string> = SHARED_REMARK_TARGET_NAMES;
export const SMEV_ERROR_NAMES: Record<string, string> = SHARED_SMEV_ERROR_NAMES;

export const REQUISITE_NAMES: Record<string, string> = {
  series: 'Серия',
  number: 'Номер',
  issueDate: 'Дата выдачи',
  birthDate: 'Дата рождения',
  birthPlace: 'Место рождения',
  issueOrganizationId: 'Код подразделения',
  issuerCode: 'Код подразделения',
  issuerName: 'Кем выдан',
  issueOrganizationName: 'Кем выдан',
};

export const SMEV_STATE_NAMES: Record<string, string> = {
  inProgress: 'Идёт проверка в СМЭВ',
  valid: 'Проверен в СМЭВ, ошибок нет',
  invalid: 'Проверен в СМЭВ, выявлены ошибки',
};

export const documentTypeName = (type: string) => DOCUMENT_TYPE_NAMES[type] ?? type;

/** Scans Kontur accepts, and the largest page. */
export const SCAN_CONTENT_TYPES = PAGE_CONTENT_TYPES;
export const MAX_SCAN_BYTES = MAX_PAGE_BYTES;
