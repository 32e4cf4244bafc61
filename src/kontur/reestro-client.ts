// The Kontur Реестро client: one typed method per route of docs/kontur-api.md §3 and §7 (subjects and
// representatives of the entity API, contents and certificate forms of the crypto API). Reads
// the address, key, organization and timeout from the settings on every call, repeats only
// calls that are safe to repeat, handles ETags, and turns every failure into a typed error
// carrying each `errors[]` entry and Kontur's request id. Knows Реестро's wire format only.
import type { HttpTransport, OutboundRequest, OutboundResponse } from './http-transport.ts';
import { retryAfterSeconds, TransportError } from './http-transport.ts';
import { noteKonturRequestId } from './kontur-request-ids.ts';
import {
  ReestroApiError,
  ReestroConflictError,
  ReestroNotFoundError,
  ReestroPreconditionFailedError,
  ReestroProtocolError,
  ReestroRateLimitedError,
  ReestroUnauthorizedError,
  ReestroUnavailableError,
  ReestroValidationError,
} from './reestro-errors.ts';
import type {
  ReestroCertificateForm,
  ReestroCertificateInfo,
  ReestroContentInfo,
  ReestroCreateFormRequest,
  ReestroFormError,
  ReestroFormList,
  ReestroPatchOperation,
  ReestroRepresentative,
  ReestroRepresentativeRequest,
  ReestroStatementType,
  ReestroSubject,
  ReestroSubjectList,
  ReestroSubjectRequest,
  TaggedForm,
} from './reestro-types.ts';

export interface ReestroConnection {
  /** Base address ending with `/`, e.g. https://api.kontur.ru/ (the paths start with realty/...). */
  address: string;
  /** An API key (a GUID, sent as `apiKey=`) or a session id (sent as `auth.sid=`). */
  apiKey: string;
  /** The organization (portal.orgid) the calls act for. */
  organizationId: string;
  timeoutMs: number;
}

const ENTITY = 'realty/entity/v1/';
const CRYPTO = 'realty/crypto/v2/';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Call = Omit<OutboundRequest, 'baseUrl' | 'timeoutMs' | 'headers'> & { contentType?: string; headers?: Record<string, string>; accept?: string };

const seg = (value: string) => encodeURIComponent(value);

/** `Authorization: ReestroAuth apiKey=<guid>&portal.orgid=<guid>`, or the seed's `auth.sid=` form for a session id. */
export function reestroAuthorization(apiKey: string, organizationId: string): string {
  const credential = GUID.test(apiKey) ? `apiKey=${apiKey}` : `auth.sid=${apiKey}`;
  return `ReestroAuth ${credential}&portal.orgid=${organizationId}`;
}

/** An entity tag as the server wrote it (quoted or not, weak or not), for If-Match / If-None-Match. */
function headerValue(headers: OutboundResponse['headers'], name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.trim() ? value.trim() : undefined;
}

function requestIdOf(response: OutboundResponse): string | undefined {
  return headerValue(response.headers, 'x-kontur-request-id') ?? headerValue(response.headers, 'x-request-id');
}

export class ReestroClient {
  constructor(
    private readonly transport: HttpTransport,
    private readonly connection: () => Promise<ReestroConnection>,
  ) {}

  // ---- subjects and representatives (entity API) ----------------------------------------

  /** Not repeatable: a second POST makes a second subject (or a DuplicatedExternalId). */
  createSubject(body: ReestroSubjectRequest): Promise<ReestroSubject> {
    return this.json({ method: 'POST', path: `${ENTITY}subjects`, body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'createSubject' });
  }

  findSubjects(externalId: string): Promise<ReestroSubjectList> {
    return this.json({ method: 'GET', path: `${ENTITY}subjects`, query: { externalId }, repeatable: true, operation: 'findSubjects' });
  }

  getSubject(subjectId: string): Promise<ReestroSubject> {
    return this.json({ method: 'GET', path: `${ENTITY}subjects/${seg(subjectId)}`, repeatable: true, operation: 'getSubject' });
  }

  /** PUT replaces the subject's data: the same PUT twice is the same as once. */
  updateSubject(subjectId: string, body: ReestroSubjectRequest): Promise<ReestroSubject> {
    return this.json({ method: 'PUT', path: `${ENTITY}subjects/${seg(subjectId)}`, body: JSON.stringify(body), contentType: 'application/json', repeatable: true, operation: 'updateSubject' });
  }

  /** A fresh ЕГРЮЛ (ЕГРИП for a sole proprietor) extract of the subject, as a content. */
  getEgrul(subjectId: string): Promise<ReestroContentInfo> {
    return this.json({ method: 'GET', path: `${ENTITY}subjects/${seg(subjectId)}/egrul`, repeatable: true, operation: 'getEgrul' });
  }

  /** Not repeatable: a second POST for the same pair is refused as a duplicate. */
  createRepresentative(body: ReestroRepresentativeRequest): Promise<ReestroRepresentative> {
    return this.json({ method: 'POST', path: `${ENTITY}representatives`, body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'createRepresentative' });
  }

  /** GET /representatives/{principalId}{agentId}: the two ids written one after the other. */
  getRepresentative(principalId: string, agentId: string): Promise<ReestroRepresentative> {
    return this.json({ method: 'GET', path: `${ENTITY}representatives/${seg(principalId)}${seg(agentId)}`, repeatable: true, operation: 'getRepresentative' });
  }

  // ---- contents and certificate forms (crypto API) ----------------------------------------

  /** Repeatable: a repeat after a lost answer leaves at most an unused content behind. */
  uploadContent(content: Buffer, contentType: string): Promise<ReestroContentInfo> {
    return this.json({ method: 'POST', path: `${CRYPTO}contents`, body: content, contentType, repeatable: true, operation: 'uploadContent' });
  }

  downloadContent(contentId: string): Promise<Buffer> {
    return this.bytes({ method: 'GET', path: `${CRYPTO}contents/${seg(contentId)}`, repeatable: true, operation: 'downloadContent', accept: '*/*' });
  }

  /** Not repeatable: the unique externalId makes a blind repeat fail with DuplicatedExternalId; the caller looks the form up instead. */
  async createForm(body: ReestroCreateFormRequest): Promise<TaggedForm> {
    const response = await this.send({ method: 'POST', path: `${CRYPTO}certificate-forms`, body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'createForm' });
    return { form: this.parse<ReestroCertificateForm>(response, 'createForm'), etag: headerValue(response.headers, 'etag') };
  }

  findForms(externalId: string): Promise<ReestroFormList> {
    return this.json({ method: 'GET', path: `${CRYPTO}certificate-forms`, query: { externalId }, repeatable: true, operation: 'findForms' });
  }

  /** With `ifNoneMatch`, an unchanged form answers 304 and this returns `notModified`. */
  async getForm(formId: string, ifNoneMatch?: string): Promise<TaggedForm | { notModified: true }> {
    const response = await this.send({
      method: 'GET',
      path: `${CRYPTO}certificate-forms/${seg(formId)}`,
      repeatable: true,
      operation: 'getForm',
      headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : undefined,
    });
    if (response.status === 304) return { notModified: true };
    return { form: this.parse<ReestroCertificateForm>(response, 'getForm'), etag: headerValue(response.headers, 'etag') };
  }

  /**
   * Safe to repeat only because of `If-Match`: a repeat of an applied change meets the new tag
   * and gets 412 (ReestroPreconditionFailedError with `afterRepeat`), never a second change.
   */
  async patchForm(formId: string, operations: ReestroPatchOperation[], ifMatch: string): Promise<TaggedForm> {
    const response = await this.send({
      method: 'PATCH',
      path: `${CRYPTO}certificate-forms/${seg(formId)}`,
      body: JSON.stringify(operations),
      contentType: 'application/json',
      repeatable: true,
      operation: 'patchForm',
      headers: { 'if-match': ifMatch },
    });
    return { form: this.parse<ReestroCertificateForm>(response, 'patchForm'), etag: headerValue(response.headers, 'etag') };
  }

  renderStatement(formId: string, statementType: ReestroStatementType): Promise<Buffer> {
    return this.bytes({ method: 'GET', path: `${CRYPTO}certificate-forms/${seg(formId)}/render`, query: { statementType }, repeatable: true, operation: 'renderStatement', accept: 'application/pdf' });
  }

  /** Not repeatable by the transport: after an unknown outcome the caller reads the form's state. */
  async release(formId: string, statement: ReestroContentInfo): Promise<TaggedForm> {
    const response = await this.send({
      method: 'POST',
      path: `${CRYPTO}certificate-forms/${seg(formId)}/release`,
      body: JSON.stringify(statement),
      contentType: 'application/json',
      repeatable: false,
      operation: 'release',
    });
    return { form: this.parse<ReestroCertificateForm>(response, 'release'), etag: headerValue(response.headers, 'etag') };
  }

  getCertificate(formId: string): Promise<ReestroCertificateInfo> {
    return this.json({ method: 'GET', path: `${CRYPTO}certificate-forms/${seg(formId)}/certificate`, repeatable: true, operation: 'getCertificate' });
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private parse<T>(response: OutboundResponse, operation: string): T {
    try {
      const value = JSON.parse(response.body.toString('utf8')) as unknown;
      if (typeof value !== 'object' || value === null) throw new Error('not an object');
      return value as T;
    } catch {
      throw new ReestroProtocolError(response.status, 'InvalidJson', 'Реестро answered with a body that is not a JSON object', operation, [], requestIdOf(response));
    }
  }

  private async json<T>(call: Call): Promise<T> {
    return this.parse<T>(await this.send(call), call.operation);
  }

  private async bytes(call: Call): Promise<Buffer> {
    return (await this.send(call)).body;
  }

  private async send(call: Call): Promise<OutboundResponse> {
    const connection = await this.connection();
    const headers: Record<string, string> = {
      ...call.headers,
      authorization: reestroAuthorization(connection.apiKey, connection.organizationId),
      accept: call.accept ?? 'application/json',
    };
    if (call.contentType) headers['content-type'] = call.contentType;
    let response: OutboundResponse;
    try {
      response = await this.transport.request({ ...call, baseUrl: connection.address, timeoutMs: connection.timeoutMs, headers });
    } catch (error) {
      if (error instanceof TransportError) {
        throw new ReestroUnavailableError(error.kind === 'timeout' ? 504 : 503, error.kind === 'timeout' ? 'Timeout' : 'NetworkError', error.message, call.operation, error.mayHaveBeenProcessed);
      }
      throw error;
    }
    noteKonturRequestId(response.headers);
    if ((response.status >= 200 && response.status < 300) || (response.status === 304 && call.headers?.['if-none-match'])) return response;
    throw reestroErrorOf(response, call.operation);
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  target?: unknown;
  errors?: unknown;
}

function parseErrorBody(body: Buffer): { code?: string; message?: string; errors: ReestroFormError[] } {
  let parsed: ErrorBody;
  try {
    parsed = JSON.parse(body.toString('utf8')) as ErrorBody;
  } catch {
    return { errors: [] };
  }
  if (typeof parsed !== 'object' || parsed === null) return { errors: [] };
  const errors = Array.isArray(parsed.errors)
    ? parsed.errors
        .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && typeof (entry as { code?: unknown }).code === 'string')
        .map((entry) => ({
          code: entry.code as string,
          message: typeof entry.message === 'string' ? entry.message : undefined,
          target: typeof entry.target === 'string' ? entry.target : undefined,
          context: entry.context,
        }))
    : [];
  return { code: typeof parsed.code === 'string' ? parsed.code : undefined, message: typeof parsed.message === 'string' ? parsed.message : undefined, errors };
}

/** Maps a non-2xx answer to its typed error. */
export function reestroErrorOf(response: OutboundResponse, operation: string): ReestroApiError {
  const { code, message, errors } = parseErrorBody(response.body);
  const status = response.status;
  const requestId = requestIdOf(response);
  const text = message ?? `Реестро answered ${status}`;
  if (status === 400 || status === 415 || status === 413 || status === 422) return new ReestroValidationError(status, code ?? 'validation', text, operation, errors, requestId);
  if (status === 401 || status === 403) return new ReestroUnauthorizedError(status, code ?? (status === 401 ? 'Unauthorized' : 'Forbidden'), text, operation, errors, requestId);
  if (status === 404) return new ReestroNotFoundError(status, code ?? 'NotFound', text, operation, errors, requestId);
  if (status === 409) return new ReestroConflictError(status, code ?? 'Conflict', text, operation, errors, requestId);
  if (status === 412) return new ReestroPreconditionFailedError(text, operation, requestId, response.attempts > 1);
  if (status === 429) return new ReestroRateLimitedError(text, operation, Math.ceil(retryAfterSeconds(response.headers) ?? 1), requestId);
  if (status === 408 || status >= 500) {
    // 503 means "not now" (nothing was done); other 5xx may come after the work was done.
    return new ReestroUnavailableError(status, code ?? 'ServiceUnavailable', text, operation, status !== 503, requestId);
  }
  return new ReestroProtocolError(status, code ?? 'UnexpectedStatus', text, operation, errors, requestId);
}
