// The Реестро client against a local HTTP server answering in the shapes Kontur documents
// (seed 004): the authorization header, ETags (If-None-Match → 304, If-Match → 412, also after a
// repeat), every error mapped to its type with each errors[] entry and the request id, what is
// repeated and what is not, and the error-to-field mapping of the services.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pino } from 'pino';
import { DEFAULT_RETRY_POLICY, HttpTransport } from '../../src/kontur/http-transport.ts';
import { ReestroClient, reestroAuthorization } from '../../src/kontur/reestro-client.ts';
import {
  ReestroConflictError,
  ReestroNotFoundError,
  ReestroPreconditionFailedError,
  ReestroProtocolError,
  ReestroRateLimitedError,
  ReestroUnauthorizedError,
  ReestroUnavailableError,
  ReestroValidationError,
} from '../../src/kontur/reestro-errors.ts';
import { fieldOfMessage, fieldsOfReestro } from '../../src/services/reestro-failures.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const KEY = '9d0e2a51-1f3c-4c5e-9b7a-2a4b6c8d0e1f';
const ORG = '1269f58a-3d40-42e1-91ad-a4251566419c';

describe('Реестро client', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const client = (timeoutMs = 2000, apiKey = KEY) =>
    new ReestroClient(new HttpTransport(pino({ level: 'silent' }), { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 20 }), async () => ({ address: base, apiKey, organizationId: ORG, timeoutMs }));

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        handler(request, response, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): Handler => (_q, response) => {
    response.writeHead(status, { 'content-type': 'Application/json', ...headers });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const FORM = { formId: 'c8fbe843-3ae2-4266-8fb7-7bf24bfd0704', person: { subjectId: '70f78249-dc69-450f-ab38-19974a310020', person: { name: 'Анастасия' } }, documents: [], state: 'Created', somethingNew: { x: 1 } };

  it('authorizes with ReestroAuth apiKey=…&portal.orgid=…, or with auth.sid for a session id', async () => {
    assert.equal(reestroAuthorization(KEY, ORG), `ReestroAuth apiKey=${KEY}&portal.orgid=${ORG}`);
    const sid = '717726209B543848879C33F2BDDAB9F8561EFAC465A5DC439193062C700FAFDA';
    assert.equal(reestroAuthorization(sid, ORG), `ReestroAuth auth.sid=${sid}&portal.orgid=${ORG}`);
    seen.length = 0;
    handler = reply(201, FORM, { etag: '686897696a7c876b7e' });
    const created = await client().createForm({ externalId: 'kca_1', person: FORM.person.subjectId });
    assert.equal(created.etag, '686897696a7c876b7e');
    assert.equal(created.form.formId, FORM.formId);
    assert.deepEqual(created.form.somethingNew, { x: 1 }, 'unknown fields are kept');
    assert.equal(seen[0].url, '/realty/crypto/v2/certificate-forms');
    assert.equal(seen[0].headers.authorization, `ReestroAuth apiKey=${KEY}&portal.orgid=${ORG}`);
    assert.equal(seen[0].headers['content-type'], 'application/json');
  });

  it('sends If-None-Match and reads 304 as unchanged', async () => {
    seen.length = 0;
    handler = (request, response) => {
      if (request.headers['if-none-match'] === '686897696a7c876b7e') {
        response.writeHead(304, { etag: '686897696a7c876b7e' });
        response.end();
      } else reply(200, FORM, { etag: '686897696a7c876b7e' })(request, response, '');
    };
    assert.deepEqual(await client().getForm(FORM.formId, '686897696a7c876b7e'), { notModified: true });
    const fresh = await client().getForm(FORM.formId);
    assert.ok('form' in fresh && fresh.etag === '686897696a7c876b7e');
    assert.equal(seen[1].headers['if-none-match'], undefined);
  });

  it('sends If-Match on PATCH; a 412 says whether an earlier try may have been applied', async () => {
    seen.length = 0;
    handler = reply(412, { code: 'PreconditionFailed', message: 'stale', target: 'api', errors: [] });
    await assert.rejects(client().patchForm(FORM.formId, [{ op: 'add', path: '/documents', value: {} }], 'old'), (error) => {
      assert.ok(error instanceof ReestroPreconditionFailedError);
      assert.equal(error.afterRepeat, false);
      return true;
    });
    assert.equal(seen[0].headers['if-match'], 'old');
    // The first try's answer is lost (a timeout): the repeat meets the new tag.
    seen.length = 0;
    let calls = 0;
    handler = (request, response) => {
      calls++;
      if (calls === 1) setTimeout(() => reply(200, FORM, { etag: 'new' })(request, response, ''), 400);
      else reply(412, { code: 'PreconditionFailed', message: 'stale', target: 'api', errors: [] })(request, response, '');
    };
    await assert.rejects(client(150).patchForm(FORM.formId, [], 'old'), (error) => error instanceof ReestroPreconditionFailedError && error.afterRepeat);
    assert.equal(seen.length, 2);
  });

  it("maps a 400 with seed 004's errors[] (each entry, the request id)", async () => {
    handler = reply(
      400,
      {
        code: 'validation',
        message: 'Failed to validate request',
        target: 'api',
        errors: [
          { code: 'BigContentSize', message: 'content 978a9fda is bigger than 10 mb', target: 'CryptoApi', context: { contentId: '3a8cf2b8-ee9e-47ca-9ff9-75efced2d52e', contentType: 'pdf', contentName: 'Договор купли-продажи', md5: '7E0D44C48AF788657EA6F5C4C87589E8' } },
          { code: 'WrongFieldValue', message: "field 'person.snils' has a wrong value", target: 'CryptoApi', context: null },
          { message: 'an entry without a code is dropped' },
        ],
      },
      { 'x-kontur-request-id': 'req-42' },
    );
    await assert.rejects(client().createForm({ person: 'p' }), (error) => {
      assert.ok(error instanceof ReestroValidationError);
      assert.equal(error.requestId, 'req-42');
      assert.deepEqual(error.errors.map((e) => e.code), ['BigContentSize', 'WrongFieldValue']);
      assert.equal((error.errors[0].context as { contentId: string }).contentId, '3a8cf2b8-ee9e-47ca-9ff9-75efced2d52e');
      return true;
    });
  });

  it('maps 401, 403, 404, 409, 415, 429 and bodies that are not JSON', async () => {
    const cases: [number, new (...args: never[]) => Error][] = [
      [401, ReestroUnauthorizedError],
      [403, ReestroUnauthorizedError],
      [404, ReestroNotFoundError],
      [409, ReestroConflictError],
      [415, ReestroValidationError],
    ];
    for (const [status, type] of cases) {
      handler = reply(status);
      await assert.rejects(client().getSubject('x'), type, `status ${status}`);
    }
    handler = reply(429, { code: 'tooMany', message: 'slow down', errors: [] }, { 'retry-after': '0' });
    await assert.rejects(client().createForm({ person: 'p' }), ReestroRateLimitedError);
    handler = (_q, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>proxy</html>');
    };
    await assert.rejects(client().getSubject('x'), ReestroProtocolError);
  });

  it('repeats what is safe (GET, uploads) and never a create; 503 means nothing was done, 504 may mean done', async () => {
    seen.length = 0;
    handler = reply(502, { code: 'badGateway', message: 'x', errors: [] });
    await assert.rejects(client().createForm({ person: 'p' }), (error) => error instanceof ReestroUnavailableError && error.outcomeUnknown);
    assert.equal(seen.length, 1, 'a create is sent once');
    seen.length = 0;
    let calls = 0;
    handler = (request, response) => (++calls < 3 ? reply(503)(request, response, '') : reply(200, { subjectId: 's', person: {} })(request, response, ''));
    assert.equal((await client().getSubject('s')).subjectId, 's');
    assert.equal(seen.length, 3);
    handler = reply(503);
    await assert.rejects(client().createForm({ person: 'p' }), (error) => error instanceof ReestroUnavailableError && !error.outcomeUnknown);
    handler = () => undefined; // never answers
    await assert.rejects(client(100).createForm({ person: 'p' }), (error) => error instanceof ReestroUnavailableError && error.status === 504 && error.outcomeUnknown);
  });

  it('finds the field a message names, and maps each context back to the request', () => {
    assert.equal(fieldOfMessage("field 'person.address.structuralAddress.region' has a wrong value"), 'person.address.structuralAddress.region');
    assert.equal(fieldOfMessage('Поле «documents[1].documentInfo.issueDate» field «documents[1].documentInfo.issueDate»'), 'documents[1].documentInfo.issueDate');
    assert.equal(fieldOfMessage('nothing here'), undefined);
    const fields = fieldsOfReestro(
      [
        { code: 'DuplicateDocument', context: [{ documentId: 'a' }, { documentId: 'b' }] },
        { code: 'UnexistentContent', context: { contentId: 'c2' } },
        { code: 'UnexistentSubject', context: 'org-id' },
        { code: 'WrongAddress', context: { structuralAddress: { region: '54' } } },
        { code: 'SomethingNew', message: 'a code Kontur adds later' },
      ],
      {
        fallback: 'form',
        document: (id) => ({ a: 'documents[0]', b: 'documents[2]' })[id],
        content: (id) => (id === 'c2' ? 'documents[1]' : undefined),
        subject: (id) => (id === 'org-id' ? 'organizationSubjectId' : undefined),
        address: () => 'personSubjectId',
      },
    );
    assert.deepEqual(
      fields.map((f) => f.field),
      ['documents[2]', 'documents[1]', 'organizationSubjectId', 'personSubjectId', 'form'],
    );
    assert.equal(fields[4].message, 'a code Kontur adds later');
  });
});
