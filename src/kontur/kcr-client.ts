// The Kontur KCR API v1 client: one typed method per route of docs/kontur-api.md §1. Reads the
// address, API key and timeout from the settings on every call (a settings change applies at
// once), marks the calls that are safe to repeat (the transport repeats the others only when the
// answer proves nothing was done), and turns every failure into a typed error. Answers are read tolerantly (kcr-answers.ts): values it does not know are logged, never
// a crash. It knows Kontur's wire format and nothing about the bridge's own tables.
import type { Logger } from 'pino';
import type { HttpTransport, OutboundRequest, OutboundResponse } from './http-transport.ts';
import { retryAfterSeconds, TransportError } from './http-transport.ts';
import { noteKonturRequestId } from './kontur-request-ids.ts';
import {
  KcrActualizingError,
  KcrApiError,
  KcrNotFoundError,
  KcrProtocolError,
  KcrRateLimitedError,
  KcrUnauthorizedError,
  KcrUnavailableError,
  KcrValidationError,
  type KcrErrorDetail,
} from './kcr-errors.ts';
import { KcrAnswerError, readIssue, readIssueEvents, readIssueList } from './kcr-answers.ts';
import type {
  DocumentType,
  KcrConfirmationRequest,
  KcrCreateIssueRequest,
  KcrDocumentRequest,
  KcrIssue,
  KcrIssueEvents,
  KcrIssueList,
  KcrIssueSearch,
  KcrPatchIssueRequest,
  KcrSignRequest,
  KcrSubjectIdentificationRequest,
  TemplateType,
} from './kcr-types.ts';

export interface KcrConnection {
  /** Base address ending with `/`, e.g. https://api.kontur.ru/kcr/ */
  address: string;
  apiKey: string;
  timeoutMs: number;
}

type Call = Omit<OutboundRequest, 'baseUrl' | 'timeoutMs' | 'headers'> & { contentType?: string };

const seg = (value: string) => encodeURIComponent(value);

export class KcrClient {
  /** Unknown values already logged (field and value), so a poller does not repeat the line every second. */
  private readonly noticed = new Set<string>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly connection: () => Promise<KcrConnection>,
    private readonly logger?: Logger,
  ) {}

  private readonly notice = (field: string, value: unknown) => {
    const key = `${field}=${JSON.stringify(value)}`;
    if (this.noticed.has(key) || this.noticed.size > 1000) return;
    this.noticed.add(key);
    this.logger?.warn({ field, value }, 'KCR answered a value this client does not know; read as unknown');
  };

  async searchIssues(search: KcrIssueSearch): Promise<KcrIssueList> {
    return this.read(await this.json({ method: 'GET', path: 'v1/issues', query: { ...search, status: search.status }, repeatable: true, operation: 'searchIssues' }), 'searchIssues', readIssueList);
  }

  /** Not repeatable: a second POST makes a second issue. */
  async createIssue(body: KcrCreateIssueRequest): Promise<KcrIssue> {
    return this.read(await this.json({ method: 'POST', path: 'v1/issues', body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'createIssue' }), 'createIssue', readIssue);
  }

  async getIssue(id: string): Promise<KcrIssue> {
    return this.read(await this.json({ method: 'GET', path: `v1/issues/${seg(id)}`, repeatable: true, operation: 'getIssue' }), 'getIssue', readIssue);
  }

  patchIssue(id: string, body: KcrPatchIssueRequest): Promise<void> {
    return this.none({ method: 'PATCH', path: `v1/issues/${seg(id)}`, body: JSON.stringify(body), contentType: 'application/json', repeatable: true, operation: 'patchIssue' });
  }

  deleteIssue(id: string): Promise<void> {
    return this.none({ method: 'DELETE', path: `v1/issues/${seg(id)}`, repeatable: true, operation: 'deleteIssue' });
  }

  putDocument(id: string, type: DocumentType, body: KcrDocumentRequest): Promise<void> {
    return this.none({ method: 'PUT', path: `v1/issues/${seg(id)}/documents/${type}`, body: JSON.stringify(body), contentType: 'application/json', repeatable: true, operation: 'putDocument' });
  }

  deleteDocument(id: string, type: DocumentType): Promise<void> {
    return this.none({ method: 'DELETE', path: `v1/issues/${seg(id)}/documents/${type}`, repeatable: true, operation: 'deleteDocument' });
  }

  /** Not repeatable: each POST adds a page. */
  addPage(id: string, type: DocumentType, content: Buffer, contentType: string): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/documents/${type}/pages`, body: content, contentType, repeatable: false, operation: 'addPage' });
  }

  getPage(id: string, type: DocumentType, pageId: string): Promise<Buffer> {
    return this.bytes({ method: 'GET', path: `v1/issues/${seg(id)}/documents/${type}/pages/${seg(pageId)}`, repeatable: true, operation: 'getPage' });
  }

  deletePage(id: string, type: DocumentType, pageId: string): Promise<void> {
    return this.none({ method: 'DELETE', path: `v1/issues/${seg(id)}/documents/${type}/pages/${seg(pageId)}`, repeatable: true, operation: 'deletePage' });
  }

  /** A POST that only renders: safe to repeat. */
  generateTemplate(id: string, type: TemplateType): Promise<Buffer> {
    return this.bytes({ method: 'POST', path: `v1/issues/${seg(id)}/templates/${type}`, repeatable: true, operation: 'generateTemplate' });
  }

  /**
   * Repeatable: each request sends a new SMS code (or a new ESIA request) that replaces the
   * previous one, so a repeat after a lost answer leaves one valid code.
   */
  requestConfirmation(id: string, body: KcrConfirmationRequest): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/confirmation-requests`, body: JSON.stringify(body), contentType: 'application/json', repeatable: true, operation: 'requestConfirmation' });
  }

  signReleaseStatement(id: string, body: KcrSignRequest): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/documents/releaseStatement/sign`, body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'signReleaseStatement' });
  }

  /** The recall statement of a released certificate, signed with the SMS code (then the CA revokes the certificate). */
  signRecallStatement(id: string, body: KcrSignRequest): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/documents/recallStatement/sign`, body: JSON.stringify(body), contentType: 'application/json', repeatable: false, operation: 'signRecallStatement' });
  }

  validate(id: string): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/validate`, repeatable: false, operation: 'validate' });
  }

  decline(id: string): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/decline`, repeatable: false, operation: 'decline' });
  }

  putSubjectIdentification(id: string, body: KcrSubjectIdentificationRequest): Promise<void> {
    return this.none({ method: 'PUT', path: `v1/issues/${seg(id)}/subject-identification`, body: JSON.stringify(body), contentType: 'application/json', repeatable: true, operation: 'putSubjectIdentification' });
  }

  deleteSubjectIdentification(id: string): Promise<void> {
    return this.none({ method: 'DELETE', path: `v1/issues/${seg(id)}/subject-identification`, repeatable: true, operation: 'deleteSubjectIdentification' });
  }

  forwardToCabinet(id: string): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/forward-to-cabinet`, repeatable: false, operation: 'forwardToCabinet' });
  }

  retrieveFromCabinet(id: string): Promise<void> {
    return this.none({ method: 'POST', path: `v1/issues/${seg(id)}/retrieve-from-cabinet`, repeatable: false, operation: 'retrieveFromCabinet' });
  }

  async renew(id: string, forNaturalPerson: boolean): Promise<KcrIssue> {
    return this.read(await this.json({ method: 'POST', path: `v1/issues/${seg(id)}/renew`, query: { forNaturalPerson }, repeatable: false, operation: 'renew' }), 'renew', readIssue);
  }

  uploadCertificateRequest(id: string, type: 'dss' | 'pkcs10', content: Buffer): Promise<void> {
    return this.none({
      method: 'POST',
      path: `v1/issues/${seg(id)}/upload-certificate-request`,
      query: { certificateRequestType: type },
      body: content,
      contentType: 'application/pkcs10',
      repeatable: true,
      operation: 'uploadCertificateRequest',
    });
  }

  /** A POST that only reads: safe to repeat. */
  downloadCertificate(id: string): Promise<Buffer> {
    return this.bytes({ method: 'POST', path: `v1/issues/${seg(id)}/download-certificate`, repeatable: true, operation: 'downloadCertificate' });
  }

  async setNote(id: string, content: string): Promise<KcrIssue> {
    return this.read(await this.json({ method: 'POST', path: `v1/issues/${seg(id)}/note`, body: JSON.stringify({ content }), contentType: 'application/json', repeatable: true, operation: 'setNote' }), 'setNote', readIssue);
  }

  deleteNote(id: string): Promise<void> {
    return this.none({ method: 'DELETE', path: `v1/issues/${seg(id)}/note`, repeatable: true, operation: 'deleteNote' });
  }

  async issueEvents(prevId: string | undefined, limit: number): Promise<KcrIssueEvents> {
    return this.read(await this.json({ method: 'GET', path: 'v1/issue-events', query: { prevId, limit }, repeatable: true, operation: 'issueEvents' }), 'issueEvents', (raw) => readIssueEvents(raw, prevId));
  }

  private async json(call: Call): Promise<unknown> {
    const response = await this.send(call);
    try {
      return JSON.parse(response.body.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      throw new KcrProtocolError(response.status, 'InvalidJson', 'KCR answered with a body that is not JSON', [], call.operation);
    }
  }

  /** Applies a reader to a parsed answer; a shape it cannot read at all is a protocol error. */
  private read<T>(raw: unknown, operation: string, reader: (raw: unknown, notice: (field: string, value: unknown) => void) => T): T {
    try {
      return reader(raw, this.notice);
    } catch (error) {
      if (error instanceof KcrAnswerError) throw new KcrProtocolError(200, 'InvalidAnswer', error.message, [], operation);
      throw error;
    }
  }

  private async bytes(call: Call): Promise<Buffer> {
    return (await this.send(call)).body;
  }

  private async none(call: Call): Promise<void> {
    await this.send(call);
  }

  /** A harmless call for the connection check (one issue of the search): any HTTP answer is returned, not thrown. */
  async probe(): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    const response = await this.exchange({ method: 'GET', path: 'v1/issues', query: { limit: 1 }, repeatable: false, once: true, operation: 'probe' });
    return { status: response.status, ms: Math.round(performance.now() - started) };
  }

  private async send(call: Call): Promise<OutboundResponse> {
    const response = await this.exchange(call);
    if (response.status >= 200 && response.status < 300) return response;
    throw errorOf(response, call.operation);
  }

  private async exchange(call: Call): Promise<OutboundResponse> {
    const connection = await this.connection();
    const headers: Record<string, string> = { 'x-kontur-apikey': connection.apiKey, accept: 'application/json, application/pdf, application/octet-stream' };
    if (call.contentType) headers['content-type'] = call.contentType;
    try {
      const response = await this.transport.request({ ...call, baseUrl: connection.address, timeoutMs: connection.timeoutMs, headers });
      noteKonturRequestId(response.headers);
      return response;
    } catch (error) {
      if (error instanceof TransportError) {
        throw new KcrUnavailableError(error.kind === 'timeout' ? 504 : 503, error.kind === 'timeout' ? 'Timeout' : 'NetworkError', error.message, error.mayHaveBeenProcessed, call.operation);
      }
      throw error;
    }
  }
}

/** Kontur's error body {"error": {code, message, details}}, read tolerantly: details may be missing, null or hold odd items. */
function parseError(body: Buffer): { code?: string; message?: string; details: KcrErrorDetail[] } {
  let error: unknown;
  try {
    error = (JSON.parse(body.toString('utf8').replace(/^\uFEFF/, '')) as { error?: unknown })?.error;
  } catch {
    return { details: [] };
  }
  if (typeof error !== 'object' || error === null) return { details: [] };
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
    details: (Array.isArray(details) ? details : [])
      .filter((detail): detail is Record<string, unknown> => typeof detail === 'object' && detail !== null)
      .map((detail) => ({
        code: typeof detail.code === 'string' ? detail.code : 'Unknown',
        ...(typeof detail.target === 'string' ? { target: detail.target } : {}),
        ...(typeof detail.message === 'string' ? { message: detail.message } : {}),
      })),
  };
}

/** Maps a non-2xx answer to its typed error. */
export function errorOf(response: OutboundResponse, operation: string): KcrApiError {
  const { code, message, details } = parseError(response.body);
  const status = response.status;
  const text = message ?? `KCR answered ${status}`;
  if (status === 400 || status === 415 || status === 422) return new KcrValidationError(status, code ?? 'BadRequest', text, details, operation);
  if (status === 401 || status === 403) return new KcrUnauthorizedError(status, code ?? 'Unauthorized', text, [], operation);
  if (status === 404) return new KcrNotFoundError(status, code ?? 'NotFound', text, [], operation);
  if (status === 409) return new KcrActualizingError(status, code ?? 'Conflict', text, [], operation);
  if (status === 429) return new KcrRateLimitedError(code ?? 'TooManyRequests', text, Math.ceil(retryAfterSeconds(response.headers) ?? 1), operation);
  if (status === 408 || status >= 500) {
    // 503 means "not now" (nothing was done); other 5xx may come after the work was done.
    return new KcrUnavailableError(status, code ?? 'ServiceUnavailable', text, status !== 503, operation);
  }
  return new KcrProtocolError(status, code ?? 'UnexpectedStatus', text, [], operation);
}
