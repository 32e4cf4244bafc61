// The Реестро sandbox's API: the entity API (/realty/entity/v1, also /entity/v1 as newer pages
// write it) with subjects and representatives, and the crypto API (/realty/crypto/v2) with
// contents and certificate forms. Bodies are read by hand so that every refusal has seed 004's
// shape, and a JSON body is accepted under any spelling of application/json.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReestroError, ReestroProblems, conflict, notFound } from './reestro-error.ts';
import { contentInfo, subjectView, type ReestroStore } from './reestro-store.ts';
import { bytesMatchType, checkSubjectBody, isExternalId, isGuid, isJsonMediaType, MAX_UPLOAD_BYTES, shortContentType } from './reestro-rules.ts';
import { formEtag, tagMatches, type ReestroForms, type SandboxReestroForm } from './reestro-forms.ts';
import { renderExtract } from './reestro-papers.ts';

export interface ReestroRoutesDeps {
  store: ReestroStore;
  forms: ReestroForms;
  /** The organization (portal.orgid) the request acts for, set by the authorization hook. */
  orgOf(request: FastifyRequest): string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The Реестро operation a sandbox route plays (for fault injection and its counts). */
    reestroOperation?: string;
  }
}

const OBJECT = { type: 'object', additionalProperties: true } as const;
const BYTES = { description: 'bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } as const;

/** Route options: public to the bridge's access control (Реестро's own authorization applies), documented under `sandbox`. */
function route(operation: string, operationId: string, summary: string, options: { status?: number; binary?: boolean; body?: string } = {}) {
  return {
    config: { access: 'public' as const, reestroOperation: operation },
    schema: {
      operationId,
      tags: ['sandbox'],
      summary: `Kontur Реестро sandbox: ${summary}`,
      ...(options.body ? { body: { description: options.body } } : {}),
      response: { [options.status ?? 200]: options.binary ? BYTES : OBJECT },
    },
  };
}

/** A JSON body: 415 for another content type (compared case-insensitively), 400 for broken JSON. */
export function jsonBody(request: FastifyRequest, target: 'CryptoApi' | 'EntityApi'): unknown {
  if (!isJsonMediaType(request.headers['content-type'])) {
    throw new ReestroError(415, 'unsupportedMediaType', `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported: use application/json`);
  }
  const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    const problems = new ReestroProblems(target);
    problems.wrongField('body', 'not valid JSON');
    problems.throwIfAny();
  }
}

function sendForm(reply: FastifyReply, forms: ReestroForms, form: SandboxReestroForm, status = 200) {
  return forms.view(form).then((view) => reply.code(status).header('etag', formEtag(form)).type('application/json; charset=utf-8').send(view));
}

const params = (request: FastifyRequest) => request.params as Record<string, string>;
const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

function singleQuery(request: FastifyRequest, name: string): string | undefined {
  const value = query(request)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    const problems = new ReestroProblems('CryptoApi');
    problems.wrongField(name, 'given once');
    problems.throwIfAny();
  }
  return value as string;
}

/** Subjects and representatives, under one prefix (registered for both spellings of the entity API). */
export function reestroEntityRoutes(app: FastifyInstance, deps: ReestroRoutesDeps, idPrefix: string): void {
  const { store, orgOf } = deps;
  const id = (name: string) => `sandboxReestro${idPrefix}${name}`;

  app.post('/subjects', route('createSubject', id('CreateSubject'), 'POST /subjects (exactly one of person, soleProprietor, organization)', { status: 201, body: 'SubjectRequest' }), async (request, reply) => {
    const body = jsonBody(request, 'EntityApi');
    const problems = new ReestroProblems('EntityApi');
    const checked = checkSubjectBody(problems, body);
    const externalId = (body as Record<string, unknown> | undefined)?.externalId;
    if (externalId !== undefined && externalId !== null && !isExternalId(externalId)) problems.wrongField('externalId', 'must match ^\\w{1,256}$');
    else if (isExternalId(externalId) && (await store.subjectsByExternalId(orgOf(request), externalId)).length) problems.add('DuplicatedExternalId', `externalId '${externalId}' has already been used`);
    problems.throwIfAny();
    const created = await store.createSubject(orgOf(request), { externalId: isExternalId(externalId) ? externalId : undefined, kind: checked!.kind, data: checked!.data });
    if (!created) {
      problems.add('DuplicatedExternalId', `externalId '${String(externalId)}' has already been used`);
      problems.throwIfAny();
    }
    return reply.code(201).send(subjectView(created!));
  });

  app.get('/subjects', route('findSubjects', id('FindSubjects'), 'GET /subjects?externalId= (the sandbox lets a client find what it made)'), async (request) => {
    const externalId = singleQuery(request, 'externalId');
    if (!externalId) {
      const problems = new ReestroProblems('EntityApi');
      problems.required('externalId');
      problems.throwIfAny();
    }
    return { subjects: (await store.subjectsByExternalId(orgOf(request), externalId!)).map(subjectView) };
  });

  app.get('/subjects/:subjectId', route('getSubject', id('GetSubject'), 'GET /subjects/{id}'), async (request) => {
    const subject = isGuid(params(request).subjectId) ? await store.subject(orgOf(request), params(request).subjectId) : undefined;
    if (!subject) throw notFound('Subject');
    return subjectView(subject);
  });

  app.put('/subjects/:subjectId', route('updateSubject', id('UpdateSubject'), 'PUT /subjects/{id} (replaces the data; the type cannot change)', { body: 'SubjectRequest' }), async (request) => {
    const body = jsonBody(request, 'EntityApi');
    const subject = isGuid(params(request).subjectId) ? await store.subject(orgOf(request), params(request).subjectId) : undefined;
    if (!subject) throw notFound('Subject');
    const problems = new ReestroProblems('EntityApi');
    const checked = checkSubjectBody(problems, body, subject.kind);
    const externalId = (body as Record<string, unknown> | undefined)?.externalId;
    if (externalId !== undefined && externalId !== subject.externalId) problems.wrongField('externalId', 'the externalId of a subject cannot change');
    problems.throwIfAny();
    return subjectView(await store.updateSubject(subject.id, checked!.data));
  });

  app.get('/subjects/:subjectId/egrul', route('getEgrul', id('GetEgrul'), 'GET /subjects/{id}/egrul (an extract dated today, as a content)'), async (request) => {
    const orgId = orgOf(request);
    const subject = isGuid(params(request).subjectId) ? await store.subject(orgId, params(request).subjectId) : undefined;
    if (!subject) throw notFound('Subject');
    if (subject.kind === 'person') {
      const problems = new ReestroProblems('EntityApi');
      problems.wrongField('subjectId', 'an ЕГРЮЛ (ЕГРИП) extract exists for a legal entity or a sole proprietor only');
      problems.throwIfAny();
    }
    const today = new Date().toISOString().slice(0, 10);
    const existing = await store.extractOfToday(orgId, subject.id, today);
    if (existing) return contentInfo(existing);
    const pdf = await renderExtract(subject.kind as 'organization' | 'soleProprietor', subject.data, new Date());
    return contentInfo(await store.addContent(orgId, Buffer.from(pdf), 'application/pdf', 'egrul', { subjectId: subject.id, date: today }));
  });

  app.post('/representatives', route('createRepresentative', id('CreateRepresentative'), 'POST /representatives (one per principal and agent)', { status: 201, body: 'Representative' }), async (request, reply) => {
    const orgId = orgOf(request);
    const body = jsonBody(request, 'EntityApi') as Record<string, unknown> | undefined;
    const problems = new ReestroProblems('EntityApi');
    const idOf = (side: 'principal' | 'agent') => {
      const value = body?.[side];
      const subjectId = value && typeof value === 'object' ? (value as Record<string, unknown>).subjectId : undefined;
      if (subjectId === undefined) problems.required(`${side}.subjectId`);
      else if (!isGuid(subjectId)) problems.wrongField(`${side}.subjectId`, 'a GUID');
      return isGuid(subjectId) ? subjectId : undefined;
    };
    const principalId = idOf('principal');
    const agentId = idOf('agent');
    const principal = principalId ? await store.subject(orgId, principalId) : undefined;
    const agent = agentId ? await store.subject(orgId, agentId) : undefined;
    if (principalId && !principal) problems.add('UnexistentSubject', `subject ${principalId} was not found`, principalId);
    if (agentId && !agent) problems.add('UnexistentSubject', `subject ${agentId} was not found`, agentId);
    if (agent && agent.kind !== 'person') problems.wrongField('agent.subjectId', 'the agent must be a natural person');
    const post = body?.post;
    if (principal?.kind === 'organization' && (typeof post !== 'string' || !post.trim())) problems.required('post');
    else if (post !== undefined && (typeof post !== 'string' || post.length > 200)) problems.wrongField('post', 'at most 200 characters');
    for (const name of ['representativeType', 'authority'] as const) {
      if (body?.[name] !== undefined && typeof body[name] !== 'string') problems.wrongField(name, 'a string');
    }
    problems.throwIfAny();
    const created = await store.createRepresentative(orgId, {
      principalId: principalId!,
      agentId: agentId!,
      representativeType: body?.representativeType as string | undefined,
      post: post as string | undefined,
      authority: body?.authority as string | undefined,
    });
    if (!created) throw conflict('DuplicateRepresentative', `a representative for principal ${principalId} and agent ${agentId} already exists`);
    return reply.code(201).send(representativeView(created));
  });

  app.get('/representatives/:pair', route('getRepresentative', id('GetRepresentative'), 'GET /representatives/{principalId}{agentId} (the two ids written one after the other)'), async (request) => {
    const pair = params(request).pair;
    const principalId = pair.slice(0, 36);
    const agentId = pair.slice(36);
    const found = isGuid(principalId) && isGuid(agentId) ? await store.representative(orgOf(request), principalId, agentId) : undefined;
    if (!found) throw notFound('Representative');
    return representativeView(found);
  });
}

function representativeView(row: { principalId: string; agentId: string; representativeType: string | null; post: string | null; authority: string | null }) {
  return {
    principal: { subjectId: row.principalId },
    agent: { subjectId: row.agentId },
    ...(row.representativeType ? { representativeType: row.representativeType } : {}),
    ...(row.post ? { post: row.post } : {}),
    ...(row.authority ? { authority: row.authority } : {}),
  };
}

/** Contents and certificate forms. */
export function reestroCryptoRoutes(app: FastifyInstance, deps: ReestroRoutesDeps): void {
  const { store, forms, orgOf } = deps;

  app.post('/contents', route('uploadContent', 'sandboxReestroUploadContent', 'POST /contents (raw bytes with their Content-Type; the sandbox\'s design)', { status: 201, body: 'raw bytes' }), async (request, reply) => {
    const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const mediaType = request.headers['content-type'] ?? 'application/octet-stream';
    const problems = new ReestroProblems('CryptoApi');
    if (bytes.length === 0) problems.wrongField('body', 'the content is empty');
    else if (!bytesMatchType(bytes, shortContentType(mediaType))) problems.wrongField('Content-Type', `the bytes are not ${shortContentType(mediaType)}`);
    problems.throwIfAny();
    return reply.code(201).send(contentInfo(await store.addContent(orgOf(request), bytes, mediaType, 'upload')));
  });

  app.get('/contents/:contentId', route('downloadContent', 'sandboxReestroDownloadContent', 'GET /contents/{id} (the bytes)', { binary: true }), async (request, reply) => {
    const found = isGuid(params(request).contentId) ? await store.contentBytes(orgOf(request), params(request).contentId) : undefined;
    if (!found) throw notFound('Content');
    return reply.type(found.mediaType).send(found.bytes);
  });

  app.post('/certificate-forms', route('createForm', 'sandboxReestroCreateForm', 'POST /certificate-forms (seed 004)', { status: 201, body: 'CertificateFormRequest' }), async (request, reply) => {
    const form = await forms.create(orgOf(request), jsonBody(request, 'CryptoApi'));
    return sendForm(reply, forms, form, 201);
  });

  app.get('/certificate-forms', route('findForms', 'sandboxReestroFindForms', 'GET /certificate-forms?externalId= (the sandbox lets a client find what it made)'), async (request) => {
    const externalId = singleQuery(request, 'externalId');
    if (!externalId) {
      const problems = new ReestroProblems('CryptoApi');
      problems.required('externalId');
      problems.throwIfAny();
    }
    await forms.catchUp();
    const form = await forms.byExternalId(orgOf(request), externalId!);
    return { forms: form ? [await forms.view(form)] : [] };
  });

  app.get('/certificate-forms/:formId', route('getForm', 'sandboxReestroGetForm', 'GET /certificate-forms/{id} (ETag; If-None-Match → 304)'), async (request, reply) => {
    const form = await forms.get(orgOf(request), params(request).formId);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && tagMatches(ifNoneMatch, formEtag(form))) return reply.code(304).header('etag', formEtag(form)).send();
    return sendForm(reply, forms, form);
  });

  app.patch('/certificate-forms/:formId', route('patchForm', 'sandboxReestroPatchForm', 'PATCH /certificate-forms/{id} ([{op, path, value}], If-Match → 412 when stale)', { body: 'PatchOperation[]' }), async (request, reply) => {
    const body = jsonBody(request, 'CryptoApi');
    if (!isGuid(params(request).formId)) throw notFound('Certificate form');
    const form = await forms.patch(orgOf(request), params(request).formId, body, request.headers['if-match']);
    return sendForm(reply, forms, form);
  });

  app.get('/certificate-forms/:formId/render', route('renderStatement', 'sandboxReestroRenderStatement', 'GET .../render?statementType=releaseStatement|recallStatement (PDF)', { binary: true }), async (request, reply) => {
    const form = await forms.get(orgOf(request), params(request).formId);
    const pdf = await forms.renderStatement(orgOf(request), form, singleQuery(request, 'statementType'));
    return reply.type('application/pdf').send(Buffer.from(pdf));
  });

  app.post('/certificate-forms/:formId/release', route('release', 'sandboxReestroRelease', 'POST .../release (ContentInfo of the signed statement)', { body: 'ContentInfo' }), async (request, reply) => {
    const body = jsonBody(request, 'CryptoApi');
    const form = await forms.release(orgOf(request), params(request).formId, body);
    return sendForm(reply, forms, form);
  });

  app.get('/certificate-forms/:formId/certificate', route('getCertificate', 'sandboxReestroGetCertificate', 'GET .../certificate (CertificateInfo)'), async (request) => {
    const form = await forms.get(orgOf(request), params(request).formId);
    return forms.certificateInfo(orgOf(request), form);
  });
}

/** The largest body the Реестро sandbox reads (a content upload, plus room to tell BigContentSize). */
export const REESTRO_BODY_LIMIT = MAX_UPLOAD_BYTES;
