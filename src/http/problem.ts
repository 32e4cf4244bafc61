// Errors as problem+json (RFC 9457). Validation problems name each bad field. Fastify's own
// refusals — a malformed URL (400), a path parameter too long (414), a request the HTTP parser
// cannot read (400, 408, 431) — answer problem+json too.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ServiceError, TooManyRequestsError, ValidationError, ConflictError, type FieldProblem } from '../services/errors.ts';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String(), in: Type.Optional(Type.String()) })),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const TITLES: Record<number, string> = {
  400: 'Неверный запрос',
  401: 'Требуется вход',
  403: 'Доступ запрещён',
  404: 'Не найдено',
  405: 'Метод не поддерживается',
  406: 'Неприемлемый формат ответа',
  409: 'Конфликт',
  408: 'Время ожидания запроса истекло',
  413: 'Слишком большой запрос',
  414: 'Слишком длинный адрес',
  415: 'Неподдерживаемый тип содержимого',
  422: 'Запрос не может быть выполнен',
  429: 'Слишком много запросов',
  431: 'Слишком большие заголовки запроса',
  500: 'Внутренняя ошибка сервера',
  502: 'Ошибка внешнего сервиса',
  503: 'Сервис недоступен',
  504: 'Внешний сервис не ответил вовремя',
};

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: (FieldProblem & { in?: string })[];
}

export function problem(status: number, code: string, detail?: string, errors?: Problem['errors']): Problem {
  return { type: `urn:kca:problem:${code}`, title: TITLES[status] ?? 'Ошибка', status, detail, errors };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, body: Problem): FastifyReply {
  return reply
    .code(body.status)
    .type('application/problem+json; charset=utf-8')
    .send({ ...body, instance: request.url.split('?')[0], requestId: request.id });
}

const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Ajv's errors, one per field, as `field` paths the caller wrote (`subjectInfo.inn`, `rows.3.snils`). */
function fieldsOfValidation(error: FastifyError): FieldProblem[] {
  const where = LOCATION[error.validationContext ?? 'body'] ?? 'body';
  const seen = new Set<string>();
  const fields: (FieldProblem & { in: string })[] = [];
  for (const item of error.validation ?? []) {
    const path = item.instancePath.split('/').filter(Boolean);
    const params = item.params as Record<string, unknown>;
    if (typeof params.missingProperty === 'string') path.push(params.missingProperty);
    if (typeof params.additionalProperty === 'string') path.push(params.additionalProperty);
    const field = path.join('.') || where;
    if (seen.has(field)) continue;
    seen.add(field);
    let message: string;
    switch (item.keyword) {
      case 'required': message = 'Обязательное поле'; break;
      case 'additionalProperties': message = 'Неизвестное поле'; break;
      case 'type': message = `Ожидается ${String(params.type)}`; break;
      case 'format': message = `Неверный формат (${String(params.format)})`; break;
      case 'minLength': message = `Не короче ${String(params.limit)} символов`; break;
      case 'maxLength': message = `Не длиннее ${String(params.limit)} символов`; break;
      case 'minimum': message = `Не меньше ${String(params.limit)}`; break;
      case 'maximum': message = `Не больше ${String(params.limit)}`; break;
      case 'enum': message = `Допустимые значения: ${(params.allowedValues as unknown[]).join(', ')}`; break;
      case 'pattern': message = 'Неверный формат'; break;
      default: message = item.message ?? 'Неверное значение';
    }
    fields.push({ field, message, in: where });
  }
  return fields;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ServiceError) {
    if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
    const errors = error instanceof ValidationError || error instanceof ConflictError ? error.errors : undefined;
    return sendProblem(request, reply, problem(error.status, error.code, error.message, errors?.length ? errors : undefined));
  }
  if (error.validation) {
    return sendProblem(request, reply, problem(400, 'validation', 'Проверьте заполнение полей', fieldsOfValidation(error)));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const detail =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Тело запроса больше допустимого размера'
      : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? `Тип содержимого ${request.headers['content-type'] ?? '(не указан)'} не поддерживается`
      : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'Тело запроса не является корректным JSON'
      : status === 429 ? 'Слишком много запросов, повторите позже'
      : error.message;
    return sendProblem(request, reply, problem(status, error.code?.toLowerCase() ?? 'client-error', detail));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(request, reply, problem(500, 'internal', 'Внутренняя ошибка сервера. Сообщите администратору номер запроса'));
}

/** Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, a path parameter longer than allowed. */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(request, reply, problem(414, 'uri-too-long', 'Параметр в адресе длиннее допустимого'));
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendProblem(request, reply, problem(400, 'bad-url', 'Адрес запроса содержит неверную последовательность %-кодирования'));
  }
  return errorHandler(error, request, reply);
}

/**
 * Node's `clientError`: the request could not be read as HTTP at all (no route, no request id).
 * Answers problem+json, then closes the connection, as Node's own handler does.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Запрос не был получен полностью за отведённое время']
    : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Заголовки запроса больше допустимого размера']
    : [400, 'Запрос не является корректным HTTP-запросом'];
  if (socket.writable) {
    const body = JSON.stringify(problem(status, 'client-error', detail));
    socket.write(`HTTP/1.1 ${status} ${STATUS_LINE[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

const STATUS_LINE: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };
