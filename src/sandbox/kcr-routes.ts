// KCR API v1 of the sandbox: the paths, methods, shapes and status codes of docs/kontur-api.md §1, and
// what public clients of the real service send and get (§6). Bodies are checked by hand so that
// every error has Kontur's shape with details[].target.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxKcrPages } from './store/schema.ts';
import type { SandboxDocument } from './store/kcr-schema.ts';
import {
  DELETABLE_STATUSES,
  EDITABLE_STATUSES,
  IDENTITY_DOCUMENTS,
  ISSUE_STATUSES,
  MAX_PAGE_BYTES,
  PAGE_CONTENT_TYPES,
  TEMPLATE_NAMES,
  isDocumentType,
  isTemplateType,
  type DocumentType,
  type IssueStatus,
} from './kcr-vocabulary.ts';
import { readInn, readLooseDate, readMobilePhone, readSnils } from './russian-identifiers.ts';
import { badRequest, KcrError, type KcrErrorDetail } from './kcr-error.ts';
import { PUBLIC } from './public-route.ts';
import type { SandboxIssueStore, SandboxIssue } from './kcr-issue-store.ts';
import { applyRequisites, checkCspInfo, checkSubjectInfo, checkTemplateInfo, readinessProblems } from './kcr-issue-rules.ts';
import { issueListItem, issueView } from './kcr-issue-view.ts';
import { renderTemplate } from './kcr-templates.ts';
import { newSmsCode, type SmsOutbox } from './sms-outbox.ts';
import { pageFormatOf } from './page-content.ts';
import { CertificationRequestError, readCertificationRequest } from './certificate-request.ts';
import type { SandboxCa } from './ca.ts';

export interface KcrRoutesDeps {
  db: SandboxDb;
  store: SandboxIssueStore;
  sms: SmsOutbox;
  /** Runs due re-checks first, so a read never shows a stale `actualized: false`. */
  catchUp(): Promise<void>;
  /** How long an SMS code stays valid. */
  smsCodeTtlMs: number;
  /** Revokes the certificate of a signed recall statement. */
  ca: Pick<SandboxCa, 'revoke'>;
}

/**
 * Checks an SMS code against an open SMS confirmation: a KcrError for a missing, expired or
 * exhausted code; `wrong` (with the error to throw once the failed try is counted) for a wrong one.
 */
function checkSmsCode(confirmation: { code: string; expiresAt: string; attempts: number }, smsCode: unknown): { wrong?: KcrError } {
  const code = typeof smsCode === 'number' ? String(smsCode).padStart(6, '0') : smsCode;
  if (typeof code !== 'string' || !/^\d{4,8}$/.test(code.trim())) {
    throw badRequest('Нужен код из СМС', [{ code: 'Required', target: 'confirmationInfo.smsCode', message: 'Нужен код из СМС: confirmationInfo.smsCode' }]);
  }
  if (Date.parse(confirmation.expiresAt) < Date.now()) {
    throw new KcrError(400, 'ConfirmationCodeExpired', 'Срок действия кода из СМС истёк: запросите новый', [
      { code: 'ConfirmationCodeExpired', target: 'confirmationInfo.smsCode', message: 'Код больше не действует' },
    ]);
  }
  if (confirmation.attempts >= SMS_CODE_TRIES) {
    throw new KcrError(400, 'ConfirmationCodeExpired', `Код из СМС введён неверно ${SMS_CODE_TRIES} раз и больше не действует: запросите новый`, [
      { code: 'ConfirmationCodeExpired', target: 'confirmationInfo.smsCode', message: 'Код больше не действует' },
    ]);
  }
  if (code.trim() !== confirmation.code) {
    const left = SMS_CODE_TRIES - confirmation.attempts - 1;
    return {
      wrong: new KcrError(400, 'WrongConfirmationCode', `Неверный код из СМС, осталось попыток: ${left}`, [
        { code: 'WrongConfirmationCode', target: 'confirmationInfo.smsCode', message: `Неверный код из СМС, осталось попыток: ${left}` },
      ]),
    };
  }
  return {};
}

/** How many wrong tries an SMS code survives. */
const SMS_CODE_TRIES = 5;

/** Filters the search takes (§6); any other query parameter is refused, never ignored. */
const SEARCH_PARAMETERS = new Set(['status', 'inn', 'subjectPhone', 'subjectEmail', 'offset', 'limit', 'sortOrder']);

/** Content types public clients send a certification request with (§6): PKCS#10 in DER, or PEM text. */
const CERTIFICATE_REQUEST_TYPES = ['application/pkcs10', 'application/x-pkcs10', 'application/x.req', 'application/octet-stream', 'text/plain', 'application/x-pem-file'];

type Body = Record<string, unknown> | undefined;
type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const mediaTypeOf = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

function documentTypeOf(raw: string): DocumentType {
  if (!isDocumentType(raw)) throw badRequest(`Нет такого типа документа: ${raw}`, [{ code: 'InvalidValue', target: 'documentType', message: `Нет такого типа документа: ${raw}` }]);
  return raw;
}

function intParam(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value > max) throw badRequest(`${name}: целое число от 0 до ${max}`, [{ code: 'InvalidValue', target: name, message: `Целое число от 0 до ${max}` }]);
  return value;
}

/** One value of a query parameter that must not repeat. */
function single(query: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw badRequest(`${name} указан несколько раз`, [{ code: 'InvalidValue', target: name, message: 'Параметр указывается один раз' }]);
  return value === '' ? undefined : value;
}

/** Statuses in which a document may change: identity documents also in `approved`. */
function documentStatuses(type: DocumentType): readonly IssueStatus[] {
  return IDENTITY_DOCUMENTS.includes(type) ? [...EDITABLE_STATUSES, 'approved'] : EDITABLE_STATUSES;
}

function withDocument(issue: SandboxIssue, type: DocumentType, update: (document: SandboxDocument) => SandboxDocument | undefined) {
  const documents = { ...issue.documents };
  const next = update(documents[type] ?? { requisites: {}, pages: [] });
  if (next) documents[type] = next;
  else delete documents[type];
  return documents;
}

/**
 * Registers each route at its path and with a trailing slash: the real service answers both
 * (a public client searches `GET /v1/issues/?status=...`). The twin is left out of the OpenAPI document.
 */
function router(app: FastifyInstance) {
  const add = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE') => (url: string, handler: Handler) => {
    app.route({ method, url, handler, ...PUBLIC });
    app.route({ method, url: `${url}/`, handler, ...PUBLIC, exposeHeadRoute: false, schema: { hide: true } });
  };
  return { get: add('GET'), post: add('POST'), put: add('PUT'), patch: add('PATCH'), delete: add('DELETE') };
}

export function kcrRoutes(app: FastifyInstance, deps: KcrRoutesDeps): void {
  const { store, sms, db } = deps;
  const issueId = (request: FastifyRequest) => (request.params as { id: string }).id;
  const kcr = router(app);

  // JSON with an empty body is an empty body: clients send `Content-Type: application/json` on
  // DELETE, validate, templates and download-certificate with nothing after it (§6).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(badRequest('Тело запроса — не JSON', [{ code: 'InvalidJson', target: 'body', message: 'Тело запроса — не JSON' }]), undefined);
    }
  });
  // Everything else (pages, certification requests) arrives as bytes; each route decides what it takes.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_PAGE_BYTES }, (_request, body, done) => done(null, body));

  kcr.get('/v1/issues', async (request) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    const unknown = Object.keys(query).filter((name) => !SEARCH_PARAMETERS.has(name));
    if (unknown.length) {
      throw badRequest(
        `Неизвестные параметры поиска: ${unknown.join(', ')}`,
        unknown.map((name) => ({ code: 'UnknownParameter', target: name, message: `Поиск не знает параметра ${name}; есть: ${[...SEARCH_PARAMETERS].join(', ')}` })),
      );
    }
    const statuses = [query.status ?? []].flat().filter((status) => status !== '');
    const details: KcrErrorDetail[] = statuses
      .filter((status) => !(ISSUE_STATUSES as readonly string[]).includes(status))
      .map((status) => ({ code: 'InvalidValue', target: 'status', message: `Нет статуса ${status}; есть: ${ISSUE_STATUSES.join(', ')}` }));
    const sortOrder = (single(query, 'sortOrder') ?? 'desc').toLowerCase() as 'asc' | 'desc';
    if (sortOrder !== 'asc' && sortOrder !== 'desc') details.push({ code: 'InvalidValue', target: 'sortOrder', message: 'asc или desc' });
    const phone = single(query, 'subjectPhone');
    const phoneReading = phone === undefined ? undefined : readMobilePhone(phone);
    if (phoneReading?.problem) details.push({ code: 'InvalidValue', target: 'subjectPhone', message: phoneReading.problem });
    const inn = single(query, 'inn');
    const innReading = inn === undefined ? undefined : readInn(inn, 'either');
    if (innReading?.problem) details.push({ code: 'InvalidValue', target: 'inn', message: innReading.problem });
    const email = single(query, 'subjectEmail')?.trim();
    if (details.length) throw badRequest('Параметры поиска заданы неверно', details);
    await deps.catchUp();
    const { rows, total } = await store.search({
      statuses,
      inn: innReading?.value,
      subjectPhone: phoneReading?.value,
      subjectEmail: email,
      offset: intParam(single(query, 'offset'), 'offset', 0, 1_000_000),
      limit: intParam(single(query, 'limit'), 'limit', 100, 1000) || 100,
      sortOrder,
    });
    return { issues: rows.map((row) => issueListItem(row)), totalCount: total };
  });

  kcr.post('/v1/issues', async (request) => {
    const body = request.body as Body;
    if (!isObject(body)) throw badRequest('Тело запроса — объект заявки', [{ code: 'Required', target: 'body', message: 'Нужен объект {certificateTemplateInfo, subjectInfo, cspInfo}' }]);
    const details: KcrErrorDetail[] = [];
    const certificateTemplateInfo = checkTemplateInfo(body.certificateTemplateInfo, details);
    const subjectInfo = checkSubjectInfo(body.subjectInfo, details);
    const cspInfo = checkCspInfo(body.cspInfo, details);
    if (!subjectInfo.phone && !details.some((d) => d.target === 'subjectInfo.phone')) {
      details.push({ code: 'Required', target: 'subjectInfo.phone', message: 'Нужен телефон владельца сертификата' });
    }
    if (details.length) throw badRequest('Данные заявки неверны', details);
    return issueView(await store.create({ certificateTemplateInfo, subjectInfo, cspInfo }));
  });

  kcr.get('/v1/issues/:id', async (request) => {
    await deps.catchUp();
    return issueView(await store.get(issueId(request)));
  });

  kcr.patch('/v1/issues/:id', async (request, reply) => {
    const body = request.body as Body;
    if (!isObject(body)) throw badRequest('Тело запроса — объект с изменениями', [{ code: 'Required', target: 'body', message: 'Нужен объект {subjectInfo?, certificateTemplateInfo?, cspInfo?}' }]);
    await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'patch' }, (issue) => {
      const details: KcrErrorDetail[] = [];
      const change: Partial<SandboxIssue> = {};
      for (const key of Object.keys(body)) {
        if (!['subjectInfo', 'certificateTemplateInfo', 'cspInfo'].includes(key)) details.push({ code: 'UnknownField', target: key, message: `Нет такого поля: ${key}` });
      }
      if (body.subjectInfo !== undefined) change.subjectInfo = checkSubjectInfo(body.subjectInfo, details, issue.subjectInfo);
      if (body.certificateTemplateInfo !== undefined) change.certificateTemplateInfo = checkTemplateInfo(body.certificateTemplateInfo, details);
      if (body.cspInfo !== undefined) change.cspInfo = checkCspInfo(body.cspInfo, details);
      if (details.length) throw badRequest('Данные заявки неверны', details);
      return change;
    });
    return reply.code(204).send();
  });

  kcr.delete('/v1/issues/:id', async (request, reply) => {
    await store.delete(issueId(request), DELETABLE_STATUSES);
    return reply.code(204).send();
  });

  kcr.put('/v1/issues/:id/documents/:documentType', async (request, reply) => {
    const type = documentTypeOf((request.params as { documentType: string }).documentType);
    await store.change(issueId(request), { statuses: documentStatuses(type), operation: `put ${type}` }, (issue) => {
      const details: KcrErrorDetail[] = [];
      const documents = withDocument(issue, type, (document) => ({ ...document, requisites: applyRequisites(type, request.body, document.requisites, details) }));
      if (details.length) throw badRequest('Реквизиты документа неверны', details);
      return { documents };
    });
    return reply.code(204).send();
  });

  kcr.delete('/v1/issues/:id/documents/:documentType', async (request, reply) => {
    const type = documentTypeOf((request.params as { documentType: string }).documentType);
    const id = issueId(request);
    await store.change(id, { statuses: documentStatuses(type), operation: `delete ${type}` }, (issue) => {
      if (!issue.documents[type]) throw new KcrError(404, 'DocumentNotFound', `В заявке нет документа ${type}`);
      return { documents: withDocument(issue, type, () => undefined) };
    });
    await db.delete(sandboxKcrPages).where(and(eq(sandboxKcrPages.issueId, id), eq(sandboxKcrPages.documentType, type)));
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/documents/:documentType/pages', async (request, reply) => {
    const type = documentTypeOf((request.params as { documentType: string }).documentType);
    const declared = mediaTypeOf(request);
    if (!(PAGE_CONTENT_TYPES as readonly string[]).includes(declared)) {
      throw new KcrError(415, 'UnsupportedContentType', `Content-Type страницы — одно из: ${PAGE_CONTENT_TYPES.join(', ')}`, [
        { code: 'UnsupportedContentType', target: 'Content-Type', message: `Получено: ${declared || 'ничего'}` },
      ]);
    }
    const content = request.body;
    if (!Buffer.isBuffer(content) || content.length === 0) throw badRequest('Страница пуста', [{ code: 'Required', target: 'body', message: 'Страница пуста' }]);
    // The bytes decide, not the header: a page that is no image or PDF at all is refused; one in
    // another of the four formats than declared is taken as what it is (a public client sends its
    // 1x1 PNG placeholder as image/jpeg).
    const contentType = pageFormatOf(content);
    if (!contentType) {
      throw badRequest('Содержимое страницы — не изображение и не PDF', [
        { code: 'InvalidPageContent', target: 'body', message: `Заявлено ${declared}, но байты не JPEG, PNG, GIF или PDF` },
      ]);
    }
    const id = issueId(request);
    const pageId = randomUUID();
    await store.change(id, { statuses: documentStatuses(type), operation: `add page to ${type}` }, async (issue) => {
      await db.insert(sandboxKcrPages).values({ id: pageId, issueId: id, documentType: type, contentType, content }).onConflictDoNothing();
      return {
        documents: withDocument(issue, type, (document) => ({
          ...document,
          pages: [...document.pages, { id: pageId, contentType, size: content.length, createdAt: new Date().toISOString() }],
        })),
      };
    });
    return reply.code(204).header('location', `${request.url.split('?')[0].replace(/\/$/, '')}/${pageId}`).send();
  });

  kcr.get('/v1/issues/:id/documents/:documentType/pages/:pageId', async (request, reply) => {
    const { documentType, pageId } = request.params as { documentType: string; pageId: string };
    const issue = await store.get(issueId(request));
    const page = issue.documents[documentTypeOf(documentType)]?.pages.find((p) => p.id === pageId);
    if (!page) throw new KcrError(404, 'PageNotFound', 'Страница не найдена');
    const [row] = await db.select().from(sandboxKcrPages).where(eq(sandboxKcrPages.id, pageId));
    if (!row) throw new KcrError(404, 'PageNotFound', 'Страница не найдена');
    return reply.type(row.contentType).send(row.content);
  });

  kcr.delete('/v1/issues/:id/documents/:documentType/pages/:pageId', async (request, reply) => {
    const { documentType, pageId } = request.params as { documentType: string; pageId: string };
    const type = documentTypeOf(documentType);
    await store.change(issueId(request), { statuses: documentStatuses(type), operation: 'delete page' }, (issue) => {
      if (!issue.documents[type]?.pages.some((p) => p.id === pageId)) throw new KcrError(404, 'PageNotFound', 'Страница не найдена');
      return { documents: withDocument(issue, type, (document) => ({ ...document, pages: document.pages.filter((p) => p.id !== pageId) })) };
    });
    await db.delete(sandboxKcrPages).where(eq(sandboxKcrPages.id, pageId));
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/templates/:templateType', async (request, reply) => {
    const { templateType } = request.params as { templateType: string };
    if (!isTemplateType(templateType)) {
      throw badRequest(`Нет такого шаблона: ${templateType}`, [{ code: 'InvalidValue', target: 'templateType', message: `Одно из: ${Object.keys(TEMPLATE_NAMES).join(', ')}` }]);
    }
    await deps.catchUp();
    const issue = await store.get(issueId(request));
    if (!issue.actualized) throw new KcrError(409, 'IssueIsBeingActualized', 'Заявка актуализируется после изменения, повторите позже');
    if ((templateType === 'certificateCopy' || templateType === 'recallStatement') && issue.status !== 'released') {
      throw new KcrError(400, 'InvalidIssueStatus', `Шаблон ${templateType} есть только у выпущенного сертификата`);
    }
    const pdf = await renderTemplate(templateType, issue);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${templateType}.pdf"`).send(Buffer.from(pdf));
  });

  kcr.post('/v1/issues/:id/confirmation-requests', async (request, reply) => {
    const body = request.body as Body;
    if (!isObject(body)) throw badRequest('Тело запроса — {operationToConfirm}', [{ code: 'Required', target: 'operationToConfirm', message: 'signingReleaseStatement или signingReleaseStatementWithEsia' }]);
    const operation = body.operationToConfirm;
    if (operation === 'signingReleaseStatement') {
      const code = newSmsCode();
      const issue = await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'confirmation request' }, (current) => {
        if (current.statementSignedBy) throw new KcrError(400, 'ReleaseStatementAlreadySigned', 'Заявление на выпуск уже подписано');
        const phone = current.subjectInfo.phone as string | undefined;
        if (!phone) throw badRequest('У владельца сертификата нет телефона', [{ code: 'Required', target: 'subjectInfo.phone', message: 'Нужен телефон владельца сертификата' }]);
        return { confirmation: { operation, code, phone, expiresAt: new Date(Date.now() + deps.smsCodeTtlMs).toISOString(), attempts: 0 } };
      });
      await sms.send({
        phone: issue.subjectInfo.phone as string,
        code,
        issueId: issue.id,
        purpose: 'signingReleaseStatement',
        text: `Код ${code} для подписания заявления на выпуск сертификата УЦ Контур. Никому не сообщайте код.`,
      });
      return reply.code(204).send();
    }
    if (operation === 'signingRecallStatement') {
      // The owner of a released certificate asks for it to be revoked: the recall statement is
      // signed with an SMS code, as the release statement is (docs/sandbox.md, "Recall").
      const code = newSmsCode();
      const issue = await store.change(issueId(request), { statuses: ['released'], operation: 'recall confirmation request', needsActualized: false, isApplicantChange: false }, (current) => {
        if (current.recalledAt) throw new KcrError(400, 'CertificateAlreadyRecalled', 'Сертификат уже отозван по заявлению');
        const phone = current.subjectInfo.phone as string | undefined;
        if (!phone) throw badRequest('У владельца сертификата нет телефона', [{ code: 'Required', target: 'subjectInfo.phone', message: 'Нужен телефон владельца сертификата' }]);
        return { confirmation: { operation, code, phone, expiresAt: new Date(Date.now() + deps.smsCodeTtlMs).toISOString(), attempts: 0 } };
      });
      await sms.send({
        phone: issue.subjectInfo.phone as string,
        code,
        issueId: issue.id,
        purpose: 'signingRecallStatement',
        text: `Код ${code} для подписания заявления на отзыв сертификата УЦ Контур. Никому не сообщайте код.`,
      });
      return reply.code(204).send();
    }
    if (operation === 'signingReleaseStatementWithEsia') {
      const parameters = isObject(body.parameters) ? body.parameters : {};
      const details: KcrErrorDetail[] = [];
      const snils = typeof parameters.snilsNumber === 'string' ? readSnils(parameters.snilsNumber) : { problem: 'Нужен СНИЛС заявителя' };
      if (snils.problem !== undefined) details.push({ code: 'InvalidValue', target: 'parameters.snilsNumber', message: snils.problem });
      const birth = typeof parameters.birthDate === 'string' ? readLooseDate(parameters.birthDate) : { problem: 'Нужна дата рождения заявителя' };
      if (birth.problem !== undefined) details.push({ code: 'InvalidValue', target: 'parameters.birthDate', message: birth.problem });
      if (details.length) throw badRequest('Параметры подтверждения через Госуслуги неверны', details);
      await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'ESIA confirmation request' }, (current) => {
        if (current.statementSignedBy) throw new KcrError(400, 'ReleaseStatementAlreadySigned', 'Заявление на выпуск уже подписано');
        return {
          confirmation: { operation, snilsNumber: snils.value!, birthDate: birth.value!, state: 'pending', requestedAt: new Date().toISOString() },
        };
      });
      return reply.code(204).send();
    }
    throw badRequest('Неизвестная операция подтверждения', [{ code: 'InvalidValue', target: 'operationToConfirm', message: 'signingReleaseStatement, signingReleaseStatementWithEsia или signingRecallStatement' }]);
  });

  kcr.post('/v1/issues/:id/documents/releaseStatement/sign', async (request, reply) => {
    const body = (isObject(request.body) ? request.body : {}) as Record<string, unknown>;
    const smsCode = isObject(body.confirmationInfo) ? body.confirmationInfo.smsCode : undefined;
    let wrongCode: KcrError | undefined;
    await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'sign release statement' }, (issue) => {
      const confirmation = issue.confirmation;
      if (issue.statementSignedBy) throw new KcrError(400, 'ReleaseStatementAlreadySigned', 'Заявление на выпуск уже подписано');
      if (!confirmation) throw new KcrError(400, 'ConfirmationNotRequested', 'Сначала запросите подтверждение (confirmation-requests)');
      if (confirmation.operation !== 'signingReleaseStatementWithEsia') {
        if (confirmation.operation === 'signingRecallStatement') throw new KcrError(400, 'ConfirmationNotRequested', 'Сначала запросите подтверждение (confirmation-requests)');
        const { wrong } = checkSmsCode(confirmation, smsCode);
        if (wrong) {
          // The failed try counts; the error is thrown once the count is stored.
          wrongCode = wrong;
          return { confirmation: { ...confirmation, attempts: confirmation.attempts + 1 } };
        }
        return { statementSignedBy: 'sms', confirmation: null };
      }
      switch (confirmation.state) {
        case 'pending':
          throw new KcrError(400, 'ConfirmationInProgress', 'Заявитель ещё не ответил в Госуслугах');
        case 'confirmed':
          // The confirmation stays: its SNILS goes into the certificate.
          return { statementSignedBy: 'esia' };
        case 'rejected':
          throw new KcrError(400, 'ConfirmationFailed', 'Подтверждение не получено', [{ code: 'ConfirmationRejected', message: 'Заявитель отказался от выпуска в Госуслугах' }]);
        case 'userNotFound':
          throw new KcrError(400, 'ConfirmationFailed', 'Подтверждение не получено', [{ code: 'UserNotFoundInEsia', message: 'Нет подтверждённой учётной записи ЕСИА с этим СНИЛС' }]);
        default:
          throw new KcrError(400, 'ConfirmationFailed', 'Подтверждение не получено', [{ code: 'ConfirmationExpired', message: 'Время на подтверждение в Госуслугах истекло' }]);
      }
    });
    if (wrongCode) throw wrongCode;
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/validate', async (request, reply) => {
    await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'validate' }, (issue) => {
      const problems = readinessProblems(issue);
      if (problems.length) throw badRequest('Заявку пока нельзя отправить на проверку', problems, 'IssueNotReadyForValidation');
      return { status: 'validating', correctionInfo: null };
    });
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/decline', async (request, reply) => {
    await store.change(issueId(request), { statuses: ['approved'], operation: 'decline' }, () => ({ status: 'preparing', forwardedStatus: 'none', statementSignedBy: null }));
    return reply.code(204).send();
  });

  kcr.put('/v1/issues/:id/subject-identification', async (request, reply) => {
    const body = request.body as Body;
    const details: KcrErrorDetail[] = [];
    if (!isObject(body)) throw badRequest('Тело запроса — {identificationSubjectType, identifiedBy}', [{ code: 'Required', target: 'body', message: 'Нужен объект' }]);
    if (body.identificationSubjectType !== 'headOfOrganization' && body.identificationSubjectType !== 'employee') {
      details.push({ code: 'InvalidValue', target: 'identificationSubjectType', message: 'headOfOrganization или employee' });
    }
    if (typeof body.identifiedBy !== 'string' || !body.identifiedBy.trim()) details.push({ code: 'Required', target: 'identifiedBy', message: 'Кто удостоверил личность' });
    if (details.length) throw badRequest('Отметка об удостоверении личности неверна', details);
    await store.change(issueId(request), { statuses: [...EDITABLE_STATUSES, 'approved'], operation: 'subject identification' }, () => ({
      subjectIdentification: { identificationSubjectType: body.identificationSubjectType as string, identifiedBy: (body.identifiedBy as string).trim() },
    }));
    return reply.code(204).send();
  });

  kcr.delete('/v1/issues/:id/subject-identification', async (request, reply) => {
    await store.change(issueId(request), { statuses: [...EDITABLE_STATUSES, 'approved'], operation: 'remove identification' }, () => ({ subjectIdentification: null }));
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/forward-to-cabinet', async (request, reply) => {
    await store.change(issueId(request), { statuses: ['approved'], operation: 'forward to cabinet' }, (issue) => {
      if (!issue.subjectIdentification && issue.statementSignedBy !== 'esia') {
        throw badRequest('Сначала удостоверьте личность владельца', [{ code: 'SubjectNotIdentified', target: 'subjectIdentification', message: 'Нужна отметка об удостоверении личности' }]);
      }
      return { forwardedStatus: 'forwardedToCabinet' };
    });
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/retrieve-from-cabinet', async (request, reply) => {
    await store.change(issueId(request), { statuses: ['approved'], operation: 'retrieve from cabinet' }, () => ({ forwardedStatus: 'none' }));
    return reply.code(204).send();
  });

  // The recall statement signed with the SMS code: the CA revokes the certificate at once (its
  // CRL and OCSP answers say so from then on) and the issue records when.
  kcr.post('/v1/issues/:id/documents/recallStatement/sign', async (request, reply) => {
    const body = (isObject(request.body) ? request.body : {}) as Record<string, unknown>;
    const smsCode = isObject(body.confirmationInfo) ? body.confirmationInfo.smsCode : undefined;
    let wrongCode: KcrError | undefined;
    const issue = await store.change(issueId(request), { statuses: ['released'], operation: 'sign recall statement', needsActualized: false, isApplicantChange: false }, (current) => {
      if (current.recalledAt) throw new KcrError(400, 'CertificateAlreadyRecalled', 'Сертификат уже отозван по заявлению');
      const confirmation = current.confirmation;
      if (!confirmation || confirmation.operation !== 'signingRecallStatement') throw new KcrError(400, 'ConfirmationNotRequested', 'Сначала запросите подтверждение (confirmation-requests, signingRecallStatement)');
      const { wrong } = checkSmsCode(confirmation, smsCode);
      if (wrong) {
        wrongCode = wrong;
        return { confirmation: { ...confirmation, attempts: confirmation.attempts + 1 } };
      }
      return { confirmation: null, recalledAt: new Date() };
    });
    if (wrongCode) throw wrongCode;
    const serialNumber = issue.certificateReleasedInfo?.serialNumber;
    if (serialNumber) await deps.ca.revoke({ serialNumber, reason: 'cessationOfOperation', revokedAt: issue.recalledAt ?? undefined });
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/renew', async (request) => {
    // `true`/`false` as written by hand, `True`/`False` as Python's requests writes a bool (§6).
    const raw = (request.query as { forNaturalPerson?: string | string[] }).forNaturalPerson;
    if (Array.isArray(raw) || (raw !== undefined && raw !== '' && !/^(true|false)$/i.test(raw))) {
      throw badRequest('forNaturalPerson: true или false', [{ code: 'InvalidValue', target: 'forNaturalPerson', message: 'true или false' }]);
    }
    const forNaturalPerson = raw?.toLowerCase() === 'true';
    const base = await store.get(issueId(request));
    if (base.status !== 'released') throw new KcrError(400, 'InvalidIssueStatus', 'Перевыпустить можно только выпущенный сертификат');
    const subjectInfo = forNaturalPerson ? { ...base.subjectInfo, type: 'naturalPerson', organizationInfo: null } : base.subjectInfo;
    const documents = Object.fromEntries(Object.entries(base.documents).map(([type, d]) => [type, { requisites: d.requisites, pages: [] }]));
    return issueView(await store.create({ baseIssueId: base.id, certificateTemplateInfo: base.certificateTemplateInfo, subjectInfo, cspInfo: base.cspInfo, documents }));
  });

  kcr.post('/v1/issues/:id/upload-certificate-request', async (request, reply) => {
    const rawType = (request.query as { certificateRequestType?: string }).certificateRequestType;
    const type = rawType === undefined || rawType === '' ? 'pkcs10' : rawType;
    if (type !== 'dss' && type !== 'pkcs10') throw badRequest('certificateRequestType: dss или pkcs10', [{ code: 'InvalidValue', target: 'certificateRequestType', message: 'dss или pkcs10' }]);
    const declared = mediaTypeOf(request);
    if (!CERTIFICATE_REQUEST_TYPES.includes(declared)) {
      throw new KcrError(415, 'UnsupportedContentType', `Запрос на сертификат принимается как ${CERTIFICATE_REQUEST_TYPES.join(', ')}`, [
        { code: 'UnsupportedContentType', target: 'Content-Type', message: `Получено: ${declared || 'ничего'}` },
      ]);
    }
    const content = Buffer.isBuffer(request.body) ? request.body : undefined;
    if (!content?.length) throw badRequest('Запрос на сертификат пуст', [{ code: 'Required', target: 'body', message: 'Запрос на сертификат пуст' }]);
    let certificateRequest;
    try {
      certificateRequest = readCertificationRequest(content);
    } catch (error) {
      if (!(error instanceof CertificationRequestError)) throw error;
      throw badRequest(error.message, [{ code: 'InvalidCertificateRequest', target: 'body', message: error.message }], 'InvalidCertificateRequest');
    }
    await store.change(issueId(request), { statuses: ['approved'], operation: 'upload certificate request' }, () => ({ certificateRequest: certificateRequest.der, certificateRequestType: type }));
    return reply.code(204).send();
  });

  kcr.post('/v1/issues/:id/download-certificate', async (request, reply) => {
    await deps.catchUp();
    const issue = await store.get(issueId(request));
    if (issue.status !== 'released' || !issue.certificateDer) throw new KcrError(400, 'CertificateNotReleased', 'Сертификат ещё не выпущен');
    return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${issue.id}.cer"`).send(issue.certificateDer);
  });

  const ALL_STATUSES = ISSUE_STATUSES;
  kcr.post('/v1/issues/:id/note', async (request) => {
    const body = request.body as Body;
    if (!isObject(body) || typeof body.content !== 'string' || body.content.length > 4000) {
      throw badRequest('Нужен текст заметки', [{ code: 'InvalidValue', target: 'content', message: 'Строка до 4000 символов' }]);
    }
    const issue = await store.change(issueId(request), { statuses: ALL_STATUSES, operation: 'note', needsActualized: false, isApplicantChange: false }, () => ({ note: body.content as string }));
    return issueView(issue);
  });

  kcr.delete('/v1/issues/:id/note', async (request, reply) => {
    await store.change(issueId(request), { statuses: ALL_STATUSES, operation: 'note', needsActualized: false, isApplicantChange: false }, () => ({ note: null }));
    return reply.code(204).send();
  });

  kcr.get('/v1/issue-events', async (request) => {
    const query = request.query as { prevId?: string; limit?: string };
    if (query.prevId !== undefined && query.prevId !== '' && !/^\d{1,15}$/.test(query.prevId)) {
      throw badRequest('prevId — id события из этой ленты', [{ code: 'InvalidValue', target: 'prevId', message: 'id события из этой ленты' }]);
    }
    await deps.catchUp();
    const prevId = query.prevId ? Number(query.prevId) : 0;
    const limit = intParam(query.limit, 'limit', 100, 1000) || 100;
    const events = await store.events(prevId, limit);
    return {
      events: events.map((event) => ({ id: String(event.id), issueId: event.issueId, type: event.type, status: event.status, createdAt: event.createdAt.toISOString() })),
      lastId: String(events.at(-1)?.id ?? prevId),
    };
  });

  // Unknown paths and methods answer in Kontur's shape too, never the host's problem+json. A
  // catch-all route (more specific than a host's own `/*`, such as the web client's fallback)
  // and the scope's not-found handler (for methods the catch-all does not list).
  const unknownMethod = (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).type('application/json; charset=utf-8').send({
      error: { code: 'NotFound', message: `Нет такого метода KCR API: ${request.method} ${request.url.split('?')[0]}`, details: [] },
    });
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler: unknownMethod, ...PUBLIC, schema: { hide: true } });
  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/', handler: unknownMethod, ...PUBLIC, schema: { hide: true } });
  app.setNotFoundHandler(unknownMethod);
}
