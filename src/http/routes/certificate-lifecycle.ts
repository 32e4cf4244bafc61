// Certificates in employee cards after their release: the inventory, their revocation status,
// recall, renewal, and the dismissal of an owner.
import { Type } from 'typebox';
import type { App } from '../app.ts';
import { actor, ADMIN, ANY_USER, STAFF } from '../access.ts';
import { DateTimeValue, IdParams, Nullable, StringEnum, problems } from '../schemas.ts';
import { CERTIFICATE_SOURCES, CERTIFICATE_STATES } from '../../services/certificate-inventory.ts';
import { ForbiddenError } from '../../services/errors.ts';

export const RevocationAnswerSchema = Type.Object({
  status: StringEnum(['good', 'revoked', 'unknown'] as const),
  source: Nullable(StringEnum(['ocsp', 'crl'] as const)),
  checkedAt: Type.String(),
  ageSeconds: Type.Integer({ description: 'how old the answer is (cached answers are reused for 5 minutes)' }),
  cached: Type.Boolean(),
  revokedAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  message: Type.String(),
});

const InventoryItem = Type.Object({
  id: Type.String({ format: 'uuid' }),
  employeeId: Type.String({ format: 'uuid' }),
  ownerName: Type.String(),
  ownerState: Type.String(),
  subject: Type.String(),
  issuer: Type.String(),
  serialNumber: Type.String(),
  thumbprint: Type.String(),
  validFrom: DateTimeValue,
  validTo: DateTimeValue,
  state: StringEnum(CERTIFICATE_STATES),
  source: Type.String(),
  cspType: Nullable(Type.String()),
  issueId: Nullable(Type.String()),
  revokedAt: Nullable(DateTimeValue),
  replacedById: Nullable(Type.String()),
  renewal: Nullable(Type.Object({ state: Type.String(), issueId: Nullable(Type.String()), reason: Nullable(Type.String()) })),
});

const Summary = Type.Object({
  total: Type.Integer(),
  byState: Type.Object({ valid: Type.Integer(), expiring: Type.Integer(), expired: Type.Integer(), revoked: Type.Integer() }),
  daysToNearestExpiry: Nullable(Type.Number()),
  expiriesByMonth: Type.Array(Type.Object({ month: Type.String(), count: Type.Integer() })),
});

export function certificateLifecycleRoutes(app: App): void {
  const { certificateInventory, certificateLifecycle, certificateRenewals, certificateNotices, revocation } = app.ctx.services;
  const Condition = Type.Object({
    type: StringEnum(['Ready', 'RenewalDue', 'Renewing', 'RenewalFailed', 'Replaced'] as const),
    reason: Type.String(),
    renewalIssueId: Nullable(Type.String()),
  });
  /** An employee sees only the certificates of her own card. */
  const ownOrStaff = async (request: Parameters<typeof actor>[0], certificateId: string) => {
    const who = actor(request);
    const row = await certificateLifecycle.certificate(certificateId);
    if (who.role === 'employee' && who.employeeId !== row.employeeId) throw new ForbiddenError('Можно смотреть только свои сертификаты');
    return row;
  };

  app.get(
    '/certificates/:id/condition',
    {
      config: { access: ANY_USER },
      schema: { operationId: 'certificateCondition', tags: ['certificates'], summary: 'The renewal condition: Ready, RenewalDue, Renewing (step), RenewalFailed (reason), Replaced', params: IdParams, response: { 200: Condition, ...problems(401, 403, 404) } },
    },
    async (request) => {
      await ownOrStaff(request, request.params.id);
      return certificateRenewals.condition(request.params.id);
    },
  );

  app.post(
    '/certificates/:id/renewal',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'renewCertificate',
        tags: ['certificates'],
        summary: 'Renew: a KCR issue with baseIssueId (POST /v1/issues/{id}/renew), carried forward automatically as far as the data allows',
        params: IdParams,
        response: { 200: Condition, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => certificateRenewals.renewCertificate(actor(request), request.params.id),
  );

  app.get(
    '/renewal-policies',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'listRenewalPolicies',
        tags: ['certificates'],
        summary: 'Days before expiry when certificates of a KCR template are renewed (others: 30)',
        response: { 200: Type.Array(Type.Object({ certificateTemplate: Type.String(), daysBeforeExpiry: Type.Integer() })), ...problems(401, 403) },
      },
    },
    async () => certificateRenewals.policies(),
  );

  app.put(
    '/renewal-policies/:certificateTemplate',
    {
      config: { access: ADMIN },
      schema: {
        operationId: 'setRenewalPolicy',
        tags: ['certificates'],
        summary: 'Set the days before expiry for a KCR certificate template (notQualified, qualified, ...)',
        params: Type.Object({ certificateTemplate: Type.String({ maxLength: 50 }) }),
        body: Type.Object({ daysBeforeExpiry: Type.Integer() }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await certificateRenewals.setPolicy(actor(request), request.params.certificateTemplate, request.body.daysBeforeExpiry);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/employees/:id/certificate-notices',
    {
      config: { access: ANY_USER },
      schema: {
        operationId: 'listCertificateNotices',
        tags: ['employees'],
        summary: 'Expiry notices (30, 14, 7, 1 days) sent about the certificates of a card, newest first',
        params: IdParams,
        response: { 200: Type.Array(Type.Object({ certificateId: Type.String(), thumbprint: Type.String(), daysBefore: Type.Integer(), validTo: DateTimeValue, createdAt: DateTimeValue })), ...problems(401, 403) },
      },
    },
    async (request) => {
      const who = actor(request);
      if (who.role === 'employee' && who.employeeId !== request.params.id) throw new ForbiddenError('Можно смотреть только свою карточку');
      return certificateNotices.ofEmployee(request.params.id);
    },
  );

  app.get(
    '/certificates',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'listCertificates',
        tags: ['certificates'],
        summary: 'Every certificate in employee cards (KCR, Реестро, uploaded), by end of validity; pages cut by `after`',
        querystring: Type.Object({
          state: Type.Optional(StringEnum(CERTIFICATE_STATES)),
          source: Type.Optional(StringEnum(CERTIFICATE_SOURCES)),
          employeeId: Type.Optional(Type.String({ format: 'uuid' })),
          query: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          after: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'nextCursor of the previous page' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(InventoryItem), nextCursor: Nullable(Type.String()) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => certificateInventory.list(request.query),
  );

  app.get(
    '/certificates/summary',
    {
      config: { access: STAFF },
      schema: { operationId: 'certificateSummary', tags: ['certificates'], summary: 'Certificates by state, days to the nearest expiry, expiries per month (next 12)', response: { 200: Summary, ...problems(401, 403) } },
    },
    async () => certificateInventory.summary(),
  );

  app.get(
    '/certificates/:id/revocation',
    {
      config: { access: ANY_USER },
      schema: {
        operationId: 'checkCertificateRevocation',
        tags: ['certificates'],
        summary: 'Whether the CA revoked the certificate (OCSP, else CRL); cached unless `fresh`',
        params: IdParams,
        querystring: Type.Object({ fresh: Type.Boolean({ default: false }) }),
        response: { 200: RevocationAnswerSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const row = await ownOrStaff(request, request.params.id);
      return revocation.check(row.id, { fresh: request.query.fresh });
    },
  );

  app.post(
    '/certificates/:id/recall-requests',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'requestCertificateRecall',
        tags: ['certificates'],
        summary: 'Recall, step 1: Kontur sends the owner the SMS code for the recall statement (recallStatement)',
        params: IdParams,
        response: { 200: Type.Object({ phone: Type.String({ description: 'masked' }) }), ...problems(401, 403, 404, 409, 429, 502, 504) },
      },
    },
    async (request) => certificateLifecycle.requestRecall(actor(request), request.params.id),
  );

  app.post(
    '/certificates/:id/recall',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'recallCertificate',
        tags: ['certificates'],
        summary: 'Recall, step 2: sign the recall statement with the SMS code; the CA revokes the certificate (answer: its OCSP status)',
        params: IdParams,
        body: Type.Object({ smsCode: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ certificateId: Type.String(), revocation: RevocationAnswerSchema }), ...problems(400, 401, 403, 404, 409, 422, 429, 502, 504) },
      },
    },
    async (request) => certificateLifecycle.recallCertificate(actor(request), request.params.id, request.body.smsCode),
  );

  app.post(
    '/certificates/:id/refresh',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'refreshCertificate',
        tags: ['certificates'],
        summary: 'Take the certificate from its KCR issue again: the same certificate signed anew (the sandbox\'s moved clock) replaces the card\'s copy',
        params: IdParams,
        response: { 200: Type.Object({ id: Type.String(), thumbprint: Type.String(), validFrom: DateTimeValue, validTo: DateTimeValue }), ...problems(401, 403, 404, 409, 502, 504) },
      },
    },
    async (request) => {
      const { id, thumbprint, validFrom, validTo } = await certificateLifecycle.refreshCertificate(actor(request), request.params.id);
      return { id, thumbprint, validFrom, validTo };
    },
  );

  app.post(
    '/employees/:id/dismissal',
    {
      config: { access: STAFF },
      schema: {
        operationId: 'dismissEmployee',
        tags: ['employees'],
        summary: 'Mark the employee dismissed; answers the certificates that can still sign, to be recalled',
        params: IdParams,
        response: {
          200: Type.Object({
            employeeId: Type.String(),
            state: Type.Literal('dismissed'),
            dismissedAt: DateTimeValue,
            recallable: Type.Array(Type.Object({ id: Type.String(), thumbprint: Type.String(), validTo: DateTimeValue, recallable: Type.Boolean() })),
          }),
          ...problems(401, 403, 404),
        },
      },
    },
    async (request) => certificateLifecycle.dismissEmployee(actor(request), request.params.id),
  );

  app.delete(
    '/employees/:id/dismissal',
    {
      config: { access: STAFF },
      schema: { operationId: 'reinstateEmployee', tags: ['employees'], summary: 'Take a dismissal back', params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } },
    },
    async (request, reply) => {
      await certificateLifecycle.reinstateEmployee(actor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
