// KCR API v1 of the sandbox: the paths, methods, shapes and status codes of KONTUR_API.md §1.
// Bodies are checked by hand so that every error has Kontur's shape with details[].target.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxKcrPages } from './store/schema.ts';
import {
  DELETABLE_STATUSES,
  EDITABLE_STATUSES,
  IDENTITY_DOCUMENT_TYPES,
  MAX_PAGE_BYTES,
  PAGE_CONTENT_TYPES,
  TEMPLATE_TYPES,
  type DocumentType,
  type IssueStatus,
  type TemplateType,
} from '../domain/issue.ts';
import { checkDate, checkMobilePhone, checkSnils } from '../domain/identifiers.ts';
import type { SandboxDocument } from './store/kcr-schema.ts';
import { badRequest, KcrError, type KcrErrorDetail } from './kcr-error.ts';
import { PUBLIC } from './public-route.ts';
import type { SandboxIssueStore, SandboxIssue } from './kcr-issue-store.ts';
import { applyRequisites, checkCspInfo, checkSubjectInfo, checkTemplateInfo, isDocumentType, readinessProblems } from './kcr-issue-rules.ts';
import { issueView } from './kcr-issue-view.ts';
import { renderTemplate } from './kcr-templates.ts';
import { newSmsCode, type SmsOutbox } from './sms-outbox.ts';

export interface KcrRoutesDeps {
  db: SandboxDb;
  store: SandboxIssueStore;
  sms: SmsOutbox;
  /** Runs due re-checks first, so a read never shows a stale `actualized: false`. */
  catchUp(): Promise<void>;
}

/** How long an SMS code stays valid, and how many wrong tries it survives. */
const SMS_CODE_TTL_MS = 10 * 60_000;
const SMS_CODE_TRIES = 5;

type Body = Record<string, unknown> | undefined;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function documentTypeOf(raw: string): DocumentType {
  if (!isDocumentType(raw)) throw badRequest(`Unknown document type ${raw}`, [{ code: 'InvalidValue', target: 'documentType', message: `Unknown document type ${raw}` }]);
  return raw;
}

function intParam(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw badRequest(`${name} must be an integer from 0 to ${max}`, [{ code: 'InvalidValue', target: name, message: `must be an integer from 0 to ${max}` }]);
  return value;
}

/** Statuses in which a document may change: identity documents also in `approved`. */
function documentStatuses(type: DocumentType): readonly IssueStatus[] {
  return IDENTITY_DOCUMENT_TYPES.includes(type) ? [...EDITABLE_STATUSES, 'approved'] : EDITABLE_STATUSES;
}

function withDocument(issue: SandboxIssue, type: DocumentType, update: (document: SandboxDocument) => SandboxDocument | undefined) {
  const documents = { ...issue.documents };
  const next = update(documents[type] ?? { requisites: {}, pages: [] });
  if (next) documents[type] = next;
  else delete documents[type];
  return documents;
}

export function kcrRoutes(app: FastifyInstance, deps: KcrRoutesDeps): void {
  const { store, sms, db } = deps;
  const issueId = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.addContentTypeParser([...PAGE_CONTENT_TYPES, 'application/octet-stream', 'application/pkcs10'], { parseAs: 'buffer', bodyLimit: MAX_PAGE_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.get('/v1/issues', PUBLIC, async (request) => {
    await deps.catchUp();
    const query = request.query as Record<string, string | string[] | undefined>;
    const statuses = [query.status ?? []].flat().filter(Boolean) as string[];
    const sortOrder = query.sortOrder === 'asc' ? 'asc' : 'desc';
    const subjectPhone = typeof query.subjectPhone === 'string' && query.subjectPhone ? checkMobilePhone(query.subjectPhone) : undefined;
    if (subjectPhone && !subjectPhone.ok) throw badRequest('Bad subjectPhone', [{ code: 'InvalidValue', target: 'subjectPhone', message: subjectPhone.message }]);
    const { rows, total } = await store.search({
      statuses,
      inn: typeof query.inn === 'string' ? query.inn : undefined,
      subjectPhone: subjectPhone?.ok ? subjectPhone.value : undefined,
      offset: intParam(query.offset, 'offset', 0, 1_000_000),
      limit: intParam(query.limit, 'limit', 100, 1000) || 100,
      sortOrder,
    });
    return { issues: rows.map(issueView), totalCount: total };
  });

  app.post('/v1/issues', PUBLIC, async (request) => {
    const body = request.body as Body;
    if (!isObject(body)) throw badRequest('Body must be a JSON object');
    const details: KcrErrorDetail[] = [];
    const certificateTemplateInfo = checkTemplateInfo(body.certificateTemplateInfo, details);
    const subjectInfo = checkSubjectInfo(body.subjectInfo, details);
    const cspInfo = checkCspInfo(body.cspInfo, details);
    if (!subjectInfo.phone && !details.some((d) => d.target === 'subjectInfo.phone')) {
      details.push({ code: 'Required', target: 'subjectInfo.phone', message: 'subjectInfo.phone is required' });
    }
    if (details.length) throw badRequest('Issue data is not valid', details);
    return issueView(await store.create({ certificateTemplateInfo, subjectInfo, cspInfo }));
  });

  app.get('/v1/issues/:id', PUBLIC, async (request) => {
    await deps.catchUp();
    return issueView(await store.get(issueId(request)));
  });

  app.patch('/v1/issues/:id', PUBLIC, async (request, reply) => {
    const body = request.body as Body;
    if (!isObject(body)) throw badRequest('Body must be a JSON object');
    await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'patch' }, (issue) => {
      const details: KcrErrorDetail[] = [];
      const change: Partial<SandboxIssue> = {};
      for (const key of Object.keys(body)) {
        if (!['subjectInfo', 'certificateTemplateInfo', 'cspInfo'].includes(key)) details.push({ code: 'UnknownField', target: key, message: `Unknown field ${key}` });
      }
      if (body.subjectInfo !== undefined) change.subjectInfo = checkSubjectInfo(body.subjectInfo, details, issue.subjectInfo);
      if (body.certificateTemplateInfo !== undefined) change.certificateTemplateInfo = checkTemplateInfo(body.certificateTemplateInfo, details);
      if (body.cspInfo !== undefined) change.cspInfo = checkCspInfo(body.cspInfo, details);
      if (details.length) throw badRequest('Issue data is not valid', details);
      return change;
    });
    return reply.code(204).send();
  });

  app.delete('/v1/issues/:id', PUBLIC, async (request, reply) => {
    await store.delete(issueId(request), DELETABLE_STATUSES);
    return reply.code(204).send();
  });

  app.put('/v1/issues/:id/documents/:documentType', PUBLIC, async (request, reply) => {
    const type = documentTypeOf((request.params as { documentType: string }).documentType);
    await store.change(issueId(request), { statuses: documentStatuses(type), operation: `put ${type}` }, (issue) => {
      const details: KcrErrorDetail[] = [];
      const documents = withDocument(issue, type, (document) => ({ ...document, requisites: applyRequisites(type, request.body, document.requisites, details) }));
      if (details.length) throw badRequest('Document requisites are not valid', details);
      return { documents };
    });
    return reply.code(204).send();
  });

  app.delete('/v1/issues/:id/documents/:documentType', PUBLIC, async (request, reply) => {
    const type = documentTypeOf((request.params as { documentType: string }).documentType);
    const id = issueId(request);
    await store.change(id, { statuses: documentStatuses(type), operation: `delete ${type}` }, (issue) => {
      if (!issue.documents[type]) throw new KcrError(404, 'DocumentNotFound', `Issue has no document ${type}`);
      return { documents: withDocument(issue, type, () => undefined) };
    });
    await db.delete(sandboxKcrPages).where(and(eq(sandboxKcrPages.issueId, id), eq(sandboxKcrPages.documentType, type)));
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/documents/:documentType/pages', PUBLIC, async (request, reply) => {
    const type = documentTypeOf((request.params as { documentType: string }).documentType);
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!(PAGE_CONTENT_TYPES as readonly string[]).includes(contentType)) {
      throw new KcrError(415, 'UnsupportedContentType', `Content-Type must be one of ${PAGE_CONTENT_TYPES.join(', ')}`);
    }
    const content = request.body;
    if (!Buffer.isBuffer(content) || content.length === 0) throw badRequest('Page content is empty', [{ code: 'Required', target: 'body', message: 'Page content is empty' }]);
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
    return reply.code(204).header('location', `${request.url}/${pageId}`).send();
  });

  app.get('/v1/issues/:id/documents/:documentType/pages/:pageId', PUBLIC, async (request, reply) => {
    const { documentType, pageId } = request.params as { documentType: string; pageId: string };
    const issue = await store.get(issueId(request));
    const page = issue.documents[documentTypeOf(documentType)]?.pages.find((p) => p.id === pageId);
    if (!page) throw new KcrError(404, 'PageNotFound', 'Page not found');
    const [row] = await db.select().from(sandboxKcrPages).where(eq(sandboxKcrPages.id, pageId));
    if (!row) throw new KcrError(404, 'PageNotFound', 'Page not found');
    return reply.type(row.contentType).send(row.content);
  });

  app.delete('/v1/issues/:id/documents/:documentType/pages/:pageId', PUBLIC, async (request, reply) => {
    const { documentType, pageId } = request.params as { documentType: string; pageId: string };
    const type = documentTypeOf(documentType);
    await store.change(issueId(request), { statuses: documentStatuses(type), operation: 'delete page' }, (issue) => {
      if (!issue.documents[type]?.pages.some((p) => p.id === pageId)) throw new KcrError(404, 'PageNotFound', 'Page not found');
      return { documents: withDocument(issue, type, (document) => ({ ...document, pages: document.pages.filter((p) => p.id !== pageId) })) };
    });
    await db.delete(sandboxKcrPages).where(eq(sandboxKcrPages.id, pageId));
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/templates/:templateType', PUBLIC, async (request, reply) => {
    const { templateType } = request.params as { templateType: string };
    if (!(TEMPLATE_TYPES as readonly string[]).includes(templateType)) {
      throw badRequest(`Unknown template type ${templateType}`, [{ code: 'InvalidValue', target: 'templateType', message: `one of ${TEMPLATE_TYPES.join(', ')}` }]);
    }
    await deps.catchUp();
    const issue = await store.get(issueId(request));
    if (!issue.actualized) throw new KcrError(409, 'IssueIsBeingActualized', 'Issue is being actualized, retry later');
    if ((templateType === 'certificateCopy' || templateType === 'recallStatement') && issue.status !== 'released') {
      throw new KcrError(400, 'InvalidIssueStatus', `Template ${templateType} needs a released certificate`);
    }
    const pdf = await renderTemplate(templateType as TemplateType, issue);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${templateType}.pdf"`).send(Buffer.from(pdf));
  });

  app.post('/v1/issues/:id/confirmation-requests', PUBLIC, async (request, reply) => {
    const body = request.body as Body;
    if (!isObject(body)) throw badRequest('Body must be a JSON object');
    const operation = body.operationToConfirm;
    if (operation === 'signingReleaseStatement') {
      const code = newSmsCode();
      const issue = await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'confirmation request' }, (current) => {
        if (current.statementSignedBy) throw new KcrError(400, 'ReleaseStatementAlreadySigned', 'The release statement is already signed');
        const phone = current.subjectInfo.phone as string | undefined;
        if (!phone) throw badRequest('Subject phone is not set', [{ code: 'Required', target: 'subjectInfo.phone', message: 'subjectInfo.phone is required' }]);
        return { confirmation: { operation, code, phone, expiresAt: new Date(Date.now() + SMS_CODE_TTL_MS).toISOString(), attempts: 0 } };
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
    if (operation === 'signingReleaseStatementWithEsia') {
      const parameters = isObject(body.parameters) ? body.parameters : {};
      const details: KcrErrorDetail[] = [];
      const snils = typeof parameters.snilsNumber === 'string' ? checkSnils(parameters.snilsNumber) : undefined;
      if (!snils || !snils.ok) details.push({ code: 'InvalidValue', target: 'parameters.snilsNumber', message: snils && !snils.ok ? snils.message : 'snilsNumber is required' });
      const birth = typeof parameters.birthDate === 'string' && /^\d{2}\.\d{2}\.\d{4}$/.test(parameters.birthDate) ? checkDate(parameters.birthDate) : undefined;
      if (!birth || !birth.ok) details.push({ code: 'InvalidValue', target: 'parameters.birthDate', message: 'birthDate is required as DD.MM.YYYY' });
      if (details.length) throw badRequest('Confirmation parameters are not valid', details);
      await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'ESIA confirmation request' }, (current) => {
        if (current.statementSignedBy) throw new KcrError(400, 'ReleaseStatementAlreadySigned', 'The release statement is already signed');
        return {
          confirmation: {
            operation,
            snilsNumber: (parameters.snilsNumber as string).replace(/\D/g, ''),
            birthDate: parameters.birthDate as string,
            state: 'pending',
            requestedAt: new Date().toISOString(),
          },
        };
      });
      return reply.code(204).send();
    }
    throw badRequest('Unknown operationToConfirm', [{ code: 'InvalidValue', target: 'operationToConfirm', message: 'signingReleaseStatement or signingReleaseStatementWithEsia' }]);
  });

  app.post('/v1/issues/:id/documents/releaseStatement/sign', PUBLIC, async (request, reply) => {
    const body = (isObject(request.body) ? request.body : {}) as Record<string, unknown>;
    const smsCode = isObject(body.confirmationInfo) ? body.confirmationInfo.smsCode : undefined;
    let wrongCode: KcrError | undefined;
    await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'sign release statement' }, (issue) => {
      const confirmation = issue.confirmation;
      if (issue.statementSignedBy) throw new KcrError(400, 'ReleaseStatementAlreadySigned', 'The release statement is already signed');
      if (!confirmation) throw new KcrError(400, 'ConfirmationNotRequested', 'Request a confirmation first (confirmation-requests)');
      if (confirmation.operation === 'signingReleaseStatement') {
        if (typeof smsCode !== 'string' || !/^\d{4,8}$/.test(smsCode)) {
          throw badRequest('SMS code is required', [{ code: 'Required', target: 'confirmationInfo.smsCode', message: 'confirmationInfo.smsCode is required' }]);
        }
        if (Date.parse(confirmation.expiresAt) < Date.now() || confirmation.attempts >= SMS_CODE_TRIES) {
          throw new KcrError(400, 'ConfirmationFailed', 'Confirmation failed', [{ code: 'ConfirmationExpired', message: 'The SMS code has expired, request a new one' }]);
        }
        if (smsCode !== confirmation.code) {
          // The failed try still counts; the error is thrown after the update is stored.
          wrongCode = badRequest('Wrong SMS code', [{ code: 'InvalidConfirmationCode', target: 'confirmationInfo.smsCode', message: 'Wrong SMS code' }], 'InvalidConfirmationCode');
          return { confirmation: { ...confirmation, attempts: confirmation.attempts + 1 } };
        }
        return { statementSignedBy: 'sms', confirmation: null };
      }
      switch (confirmation.state) {
        case 'pending':
          throw new KcrError(400, 'ConfirmationInProgress', 'The applicant has not answered in ESIA yet');
        case 'confirmed':
          // The confirmation stays: its SNILS goes into the certificate.
          return { statementSignedBy: 'esia' };
        case 'rejected':
          throw new KcrError(400, 'ConfirmationFailed', 'Confirmation failed', [{ code: 'ConfirmationRejected', message: 'The applicant rejected the release in ESIA' }]);
        case 'userNotFound':
          throw new KcrError(400, 'ConfirmationFailed', 'Confirmation failed', [{ code: 'UserNotFoundInEsia', message: 'No confirmed ESIA account for this SNILS' }]);
        default:
          throw new KcrError(400, 'ConfirmationFailed', 'Confirmation failed', [{ code: 'ConfirmationExpired', message: 'The ESIA confirmation expired' }]);
      }
    });
    if (wrongCode) throw wrongCode;
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/validate', PUBLIC, async (request, reply) => {
    await store.change(issueId(request), { statuses: EDITABLE_STATUSES, operation: 'validate' }, (issue) => {
      const problems = readinessProblems(issue);
      if (problems.length) throw badRequest('Issue is not ready for validation', problems, 'IssueNotReadyForValidation');
      return { status: 'validating', correctionInfo: null };
    });
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/decline', PUBLIC, async (request, reply) => {
    await store.change(issueId(request), { statuses: ['approved'], operation: 'decline' }, () => ({ status: 'preparing', forwardedStatus: 'none', statementSignedBy: null }));
    return reply.code(204).send();
  });

  app.put('/v1/issues/:id/subject-identification', PUBLIC, async (request, reply) => {
    const body = request.body as Body;
    const details: KcrErrorDetail[] = [];
    if (!isObject(body)) throw badRequest('Body must be a JSON object');
    if (body.identificationSubjectType !== 'headOfOrganization' && body.identificationSubjectType !== 'employee') {
      details.push({ code: 'InvalidValue', target: 'identificationSubjectType', message: 'headOfOrganization or employee' });
    }
    if (typeof body.identifiedBy !== 'string' || !body.identifiedBy.trim()) details.push({ code: 'Required', target: 'identifiedBy', message: 'identifiedBy is required' });
    if (details.length) throw badRequest('Identification is not valid', details);
    await store.change(issueId(request), { statuses: [...EDITABLE_STATUSES, 'approved'], operation: 'subject identification' }, () => ({
      subjectIdentification: { identificationSubjectType: body.identificationSubjectType as string, identifiedBy: (body.identifiedBy as string).trim() },
    }));
    return reply.code(204).send();
  });

  app.delete('/v1/issues/:id/subject-identification', PUBLIC, async (request, reply) => {
    await store.change(issueId(request), { statuses: [...EDITABLE_STATUSES, 'approved'], operation: 'remove identification' }, () => ({ subjectIdentification: null }));
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/forward-to-cabinet', PUBLIC, async (request, reply) => {
    await store.change(issueId(request), { statuses: ['approved'], operation: 'forward to cabinet' }, (issue) => {
      if (!issue.subjectIdentification && issue.statementSignedBy !== 'esia') {
        throw badRequest('Identify the subject first', [{ code: 'SubjectNotIdentified', target: 'subjectIdentification', message: 'Subject identification is required' }]);
      }
      return { forwardedStatus: 'forwardedToCabinet' };
    });
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/retrieve-from-cabinet', PUBLIC, async (request, reply) => {
    await store.change(issueId(request), { statuses: ['approved'], operation: 'retrieve from cabinet' }, () => ({ forwardedStatus: 'none' }));
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/renew', PUBLIC, async (request) => {
    const base = await store.get(issueId(request));
    if (base.status !== 'released') throw new KcrError(400, 'InvalidIssueStatus', 'Only a released issue can be renewed');
    const forNaturalPerson = (request.query as { forNaturalPerson?: string }).forNaturalPerson === 'true';
    const subjectInfo = forNaturalPerson ? { ...base.subjectInfo, type: 'naturalPerson', organizationInfo: undefined } : base.subjectInfo;
    const documents = Object.fromEntries(Object.entries(base.documents).map(([type, d]) => [type, { requisites: d.requisites, pages: [] }]));
    return issueView(await store.create({ baseIssueId: base.id, certificateTemplateInfo: base.certificateTemplateInfo, subjectInfo, cspInfo: base.cspInfo, documents }));
  });

  app.post('/v1/issues/:id/upload-certificate-request', PUBLIC, async (request, reply) => {
    const type = (request.query as { certificateRequestType?: string }).certificateRequestType ?? 'pkcs10';
    if (type !== 'dss' && type !== 'pkcs10') throw badRequest('Bad certificateRequestType', [{ code: 'InvalidValue', target: 'certificateRequestType', message: 'dss or pkcs10' }]);
    const content = Buffer.isBuffer(request.body) ? request.body : typeof request.body === 'string' ? Buffer.from(request.body) : undefined;
    if (!content?.length) throw badRequest('Certificate request is empty', [{ code: 'Required', target: 'body', message: 'Certificate request is empty' }]);
    await store.change(issueId(request), { statuses: ['approved'], operation: 'upload certificate request' }, () => ({ certificateRequest: content, certificateRequestType: type }));
    return reply.code(204).send();
  });

  app.post('/v1/issues/:id/download-certificate', PUBLIC, async (request, reply) => {
    await deps.catchUp();
    const issue = await store.get(issueId(request));
    if (issue.status !== 'released' || !issue.certificateDer) throw new KcrError(400, 'CertificateNotReleased', 'The certificate is not released yet');
    return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${issue.id}.cer"`).send(issue.certificateDer);
  });

  app.post('/v1/issues/:id/note', PUBLIC, async (request) => {
    const body = request.body as Body;
    if (!isObject(body) || typeof body.content !== 'string' || body.content.length > 4000) {
      throw badRequest('Note content is required', [{ code: 'InvalidValue', target: 'content', message: 'a string up to 4000 characters' }]);
    }
    const all = ['preparing', 'validating', 'correction', 'approved', 'releasing', 'released'] as const;
    const issue = await store.change(issueId(request), { statuses: all, operation: 'note', needsActualized: false, isApplicantChange: false }, () => ({ note: body.content as string }));
    return issueView(issue);
  });

  app.delete('/v1/issues/:id/note', PUBLIC, async (request, reply) => {
    const all = ['preparing', 'validating', 'correction', 'approved', 'releasing', 'released'] as const;
    await store.change(issueId(request), { statuses: all, operation: 'note', needsActualized: false, isApplicantChange: false }, () => ({ note: null }));
    return reply.code(204).send();
  });

  app.get('/v1/issue-events', PUBLIC, async (request) => {
    await deps.catchUp();
    const query = request.query as { prevId?: string; limit?: string };
    if (query.prevId !== undefined && query.prevId !== '' && !/^\d{1,15}$/.test(query.prevId)) {
      throw badRequest('prevId must be an event id', [{ code: 'InvalidValue', target: 'prevId', message: 'an event id from this feed' }]);
    }
    const prevId = query.prevId ? Number(query.prevId) : 0;
    const limit = intParam(query.limit, 'limit', 100, 1000) || 100;
    const events = await store.events(prevId, limit);
    return {
      events: events.map((event) => ({ id: String(event.id), issueId: event.issueId, type: event.type, status: event.status, createdAt: event.createdAt.toISOString() })),
      lastId: String(events.at(-1)?.id ?? prevId),
    };
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: { code: 'NotFound', message: 'No such KCR method' } }));
}
