// The Реестро sandbox's console (/sandbox/console/reestro): the CA's work on forms (approve →
// a certificate from the sandbox CA, reject with reasons, revoke), session ids (auth.sid) for any
// organization, deleting a subject (Kontur lost it), and fault injection for the Реестро API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FaultInjector } from './faults.ts';
import type { ReestroStore } from './reestro-store.ts';
import type { ReestroForms } from './reestro-forms.ts';
import { isGuid } from './reestro-rules.ts';

export interface ReestroConsoleDeps {
  store: ReestroStore;
  forms: ReestroForms;
  faults: FaultInjector;
  /** Which operations the faults apply to (empty: all). */
  faultOperations: { current: string[] };
  defaultOrgId: string;
}

/** A console refusal: problem+json with the field at fault (the console's own shape). */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const OBJECT = { type: 'object', additionalProperties: true } as const;
const doc = (operationId: string, summary: string, body = false) => ({
  config: { access: 'public' as const },
  schema: { operationId, tags: ['sandbox'], summary: `Реестро sandbox console: ${summary}`, ...(body ? { body: OBJECT } : {}), response: { 200: OBJECT } },
});

export function reestroConsoleRoutes(app: FastifyInstance, deps: ReestroConsoleDeps): void {
  const { store, forms, faults } = deps;
  const formId = (request: FastifyRequest) => (request.params as { id: string }).id;
  const consoleView = async (form: Awaited<ReturnType<ReestroForms['byId']>>) => ({
    ...(await forms.view(form)),
    organizationId: form.orgId,
    certificate: form.certificateInfo,
    releasedAt: form.releasedAt?.toISOString() ?? null,
  });

  app.post('/sessions', doc('sandboxReestroConsoleCreateSession', 'a session id (auth.sid) for an organization', true), async (request) => {
    const body = isObject(request.body) ? request.body : {};
    const organizationId = body.organizationId ?? deps.defaultOrgId;
    if (!isGuid(organizationId)) throw new ConsoleError(400, 'invalid-organization', 'organizationId: GUID', [{ field: 'organizationId', message: 'GUID' }]);
    const session = await store.createSession(organizationId.toLowerCase());
    return { sid: session.sid, organizationId: organizationId.toLowerCase(), expiresAt: session.expiresAt.toISOString(), authorization: `ReestroAuth auth.sid=${session.sid}&portal.orgid=${organizationId.toLowerCase()}` };
  });

  app.get('/forms', doc('sandboxReestroConsoleListForms', 'forms as the CA sees them'), async (request) => {
    const state = (request.query as { state?: unknown }).state;
    const rows = await forms.list({ state: typeof state === 'string' ? state : undefined, limit: 200 });
    return { forms: await Promise.all(rows.map(consoleView)) };
  });

  app.get('/forms/:id', doc('sandboxReestroConsoleGetForm', 'one form'), async (request) => consoleView(await forms.byId(formId(request))));

  app.post('/forms/:id/approve', doc('sandboxReestroConsoleApprove', 'approve: registry checks, then a certificate (or ValidationError)'), async (request) => consoleView(await forms.approve(formId(request))));

  app.post('/forms/:id/reject', doc('sandboxReestroConsoleReject', 'reject with reasons [{field?, message}]', true), async (request) => {
    const body = isObject(request.body) ? request.body : {};
    const reasons = Array.isArray(body.reasons) ? body.reasons : [];
    const problems: { field: string; message: string }[] = [];
    if (reasons.length === 0) problems.push({ field: 'reasons', message: 'at least one reason {field?, message}' });
    reasons.forEach((reason, i) => {
      if (!isObject(reason) || typeof reason.message !== 'string' || !reason.message.trim()) problems.push({ field: `reasons[${i}].message`, message: 'required' });
      else if (reason.field !== undefined && (typeof reason.field !== 'string' || !/^[\w.[\]]{1,200}$/.test(reason.field))) problems.push({ field: `reasons[${i}].field`, message: "a field path such as person.snils or documents[0]" });
    });
    if (problems.length) throw new ConsoleError(400, 'invalid-reasons', 'The reasons are not valid', problems);
    const entries = (reasons as { field?: string; message: string }[]).map((reason) =>
      reason.field
        ? { code: 'WrongFieldValue', message: `field '${reason.field}' has a wrong value: ${reason.message.trim()}`, target: 'CryptoApi', context: null }
        : { code: 'OperatorRemark', message: reason.message.trim(), target: 'CryptoApi', context: null },
    );
    return consoleView(await forms.reject(formId(request), entries));
  });

  app.post('/forms/:id/revoke', doc('sandboxReestroConsoleRevoke', 'revoke the issued certificate'), async (request) => consoleView(await forms.revoke(formId(request))));

  app.delete('/subjects/:id', doc('sandboxReestroConsoleDeleteSubject', 'delete a subject (Реестро no longer knows it)'), async (request) => {
    const id = (request.params as { id: string }).id;
    if (!isGuid(id) || !(await store.deleteSubject(id))) throw new ConsoleError(404, 'not-found', 'Subject not found');
    return { deleted: id };
  });

  app.get('/faults', doc('sandboxReestroConsoleGetFaults', 'fault injection of the Реестро API'), async () => ({ ...faults.current, operations: deps.faultOperations.current }));

  app.put('/faults', doc('sandboxReestroConsolePutFaults', 'set fault injection (latencyMs, errorRate, timeoutRate, operations)', true), async (request) => {
    const body = isObject(request.body) ? request.body : undefined;
    const problems: { field: string; message: string }[] = [];
    if (!body) throw new ConsoleError(400, 'invalid-faults', 'Body must be a JSON object');
    const number = (name: string, max: number) => {
      const value = body[name] ?? 0;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) problems.push({ field: name, message: `a number from 0 to ${max}` });
      return Number(value);
    };
    const settings = { latencyMs: number('latencyMs', 60_000), errorRate: number('errorRate', 1), timeoutRate: number('timeoutRate', 1) };
    if (settings.errorRate + settings.timeoutRate > 1) problems.push({ field: 'timeoutRate', message: 'errorRate + timeoutRate must not exceed 1' });
    const operations = body.operations ?? [];
    if (!Array.isArray(operations) || operations.some((o) => typeof o !== 'string' || !/^\w{1,50}$/.test(o))) problems.push({ field: 'operations', message: 'a list of operation names such as createForm' });
    if (problems.length) throw new ConsoleError(400, 'invalid-faults', 'Fault settings are not valid', problems);
    faults.set(settings);
    deps.faultOperations.current = operations as string[];
    return { ...faults.current, operations: deps.faultOperations.current };
  });
}
