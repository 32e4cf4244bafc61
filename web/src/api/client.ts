// The one way the client talks to the server: JSON over fetch with the session cookie.
// Failures arrive as ApiError, built from the server's problem+json.

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly fieldProblems: FieldProblem[];
  /** Seconds from the Retry-After header (429, 503). */
  readonly retryAfterSeconds: number | undefined;
  /** The problem's `type` URI (urn:kca:problem:…), naming what went wrong for code to decide on. */
  readonly type: string;

  constructor(status: number, title: string, detail: string, fieldProblems: FieldProblem[] = [], retryAfterSeconds?: number, type = '') {
    super(detail || title);
    this.type = type;
    this.status = status;
    this.title = title;
    this.fieldProblems = fieldProblems;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The message for one field, if the server named it. */
  forField(field: string): string | undefined {
    return this.fieldProblems.find((problem) => problem.field === field)?.message;
  }
}

/** Raised by every request that comes back 401, so that the session can end. */
export const sessionExpiredEvent = new EventTarget();
export const SESSION_EXPIRED = 'session-expired';

export type QueryValue = string | number | undefined | null;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is with its content type (file uploads). */
  body?: { content: BodyInit; contentType: string };
  /** Do not announce a 401 as an expired session (the login form handles its own). */
  quietUnauthorized?: boolean;
  /** Extra request headers (Idempotency-Key). */
  headers?: Record<string, string>;
  /** Where the path starts: the API (default) or the sandbox console. */
  base?: typeof API_BASE | typeof SANDBOX_CONSOLE_BASE;
}

export const API_BASE = '/api/v1';
export const SANDBOX_CONSOLE_BASE = '/sandbox/console';

/** A same-origin address of an API resource, for links and downloads (the session cookie goes with them). */
export function apiUrl(path: string): string {
  return API_BASE + path;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The ApiError for a failed answer, from its status, Retry-After header and problem+json text. */
export function problemFromText(status: number, text: string, retryAfterHeader: string | null): ApiError {
  const retryAfter = Number(retryAfterHeader);
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  let body: { type?: string; title?: string; detail?: string; message?: string; errors?: FieldProblem[] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not problem+json (a proxy's page, say): the status says enough.
  }
  const title = body.title ?? `Ошибка ${status}`;
  return new ApiError(status, title, body.detail ?? body.message ?? title, Array.isArray(body.errors) ? body.errors : [], retryAfterSeconds, body.type ?? '');
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  return problemFromText(response.status, text, response.headers.get('retry-after'));
}

/** Tells the session that the server no longer knows the user. */
export function announceUnauthorized(): void {
  sessionExpiredEvent.dispatchEvent(new Event(SESSION_EXPIRED));
}

export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body) {
    headers['content-type'] = options.body.contentType;
    body = options.body.content;
  }
  let response: Response;
  try {
    response = await fetch((options.base ?? API_BASE) + withQuery(path, options.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'Нет связи с сервером', 'Сервер не отвечает. Проверьте подключение к сети и повторите.');
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && !options.quietUnauthorized) announceUnauthorized();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
