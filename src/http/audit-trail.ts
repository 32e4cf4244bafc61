// The audit log's net under the HTTP layer: every state-changing request of a signed-in user
// (and every sandbox console action, signed in or not) ends up in the audit log under its
// route's operationId. Services record their own operations with more details; an operation
// whose request a service already recorded is not recorded again.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../services/auth.ts';
import { ANONYMOUS_ACTOR, type Actor } from '../services/actor.ts';
import { failureDetails, type AuditService } from '../services/audit.ts';
import type { AuditOutcome } from '../domain/audit-actions.ts';

/** The kind of object a route is about, by the first segment of its path under /api/v1. */
const TARGET_TYPES: Record<string, string> = {
  employees: 'employee',
  users: 'user',
  'api-keys': 'apiKey',
  auth: 'token',
  settings: 'settings',
  issues: 'issue',
  documents: 'document',
  'sign-operations': 'signOperation',
  webhooks: 'webhook',
  'certificate-forms': 'certificateForm',
  'reestro-subjects': 'reestroSubject',
  'reestro-representatives': 'reestroSubject',
  mail: 'settings',
};

const CONSOLE_PREFIX = '/sandbox/console';

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  return status === 401 || status === 403 ? 'denied' : 'failure';
}

function targetOf(request: FastifyRequest, url: string): { targetType: string | null; targetId: string | null } {
  const id = (request.params as { id?: unknown } | undefined)?.id;
  const targetId = typeof id === 'string' ? id.slice(0, 200) : null;
  if (url.startsWith(CONSOLE_PREFIX)) return { targetType: url.startsWith(`${CONSOLE_PREFIX}/issues/`) ? 'issue' : 'sandbox', targetId };
  const segment = url.slice('/api/v1/'.length).split('/')[0];
  return { targetType: TARGET_TYPES[segment] ?? null, targetId };
}

export function registerAuditTrail(app: FastifyInstance, audit: AuditService): void {
  const errors = new WeakMap<FastifyRequest, FastifyError>();
  app.addHook('onError', async (request, _reply, error) => {
    errors.set(request, error);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const url = request.routeOptions.url ?? '';
    const action = request.routeOptions.schema?.operationId;
    const console = url.startsWith(`${CONSOLE_PREFIX}/`);
    if (!action || !(console || url.startsWith('/api/v1/'))) return;
    // Strangers' failed requests are not operations of anyone (sign-ins record their own).
    if (!request.principal && !console) return;
    const actor: Actor = request.principal ? actorOf(request.principal, request.id) : { ...ANONYMOUS_ACTOR, requestId: request.id };
    const outcome = outcomeOf(reply.statusCode);
    const error = errors.get(request);
    const details = outcome === 'success' ? { status: reply.statusCode } : error ? { ...failureDetails(error), status: reply.statusCode } : { status: reply.statusCode };
    await audit.recordUnlessRecorded(actor, { action, ...targetOf(request, url), outcome, details }).catch((failure) => request.log.error({ err: failure, action }, 'could not write the audit log'));
  });
}
