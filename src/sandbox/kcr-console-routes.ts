// The sandbox operator console API (/sandbox/console): the SMS outbox, the CA operator's
// decisions, ESIA answers, the applicant's release request, fault injection, the root certificate.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readMobilePhone } from './russian-identifiers.ts';
import { ISSUE_STATUSES, REMARK_TARGET_NAMES } from './kcr-vocabulary.ts';
import { badRequest, KcrError, type KcrErrorDetail } from './kcr-error.ts';
import { PUBLIC } from './public-route.ts';
import type { SandboxIssueStore } from './kcr-issue-store.ts';
import { issueView } from './kcr-issue-view.ts';
import type { SmsOutbox } from './sms-outbox.ts';
import type { FaultInjector } from './faults.ts';
import type { SandboxCa } from './ca.ts';

export interface ConsoleRoutesDeps {
  store: SandboxIssueStore;
  sms: SmsOutbox;
  faults: FaultInjector;
  ca: SandboxCa;
  catchUp(): Promise<void>;
}

const ESIA_RESULTS = ['confirmed', 'rejected', 'userNotFound', 'expired'] as const;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A console action: public to the bridge's access control (the console guard decides), named by its operationId. */
const action = (operationId: string, summary: string) => ({ ...PUBLIC, schema: { operationId, tags: ['sandbox'], summary: `KCR sandbox console: ${summary}` } });

/** Operator actions move the status only: no 409 while a re-check runs, no 429. */
const OPERATOR = { needsActualized: false, isApplicantChange: false } as const;

/** A query parameter that must be one whole number within bounds (absent: undefined). */
function wholeNumber(raw: string | string[] | undefined, name: string, min: number, max: number, details: KcrErrorDetail[]): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    details.push({ code: 'InvalidValue', target: name, message: `Целое число от ${min} до ${max}` });
    return undefined;
  }
  return Number(raw);
}

export function consoleRoutes(app: FastifyInstance, deps: ConsoleRoutesDeps): void {
  const { store, sms, faults } = deps;
  const issueId = (request: FastifyRequest) => (request.params as { id: string }).id;

  // A phone owner (see console-access.ts) reads only the SMS sent to his own phone.
  app.get('/sms', { config: { ...PUBLIC.config, ownSms: true } }, async (request) => {
    const raw = (request.query as { phone?: string | string[] }).phone;
    if (Array.isArray(raw)) throw badRequest('Телефон указан несколько раз', [{ code: 'InvalidValue', target: 'phone', message: 'Укажите один телефон' }]);
    let phone: string | undefined;
    if (raw) {
      const reading = readMobilePhone(raw);
      if (reading.problem !== undefined) throw badRequest('Неверный телефон', [{ code: 'InvalidValue', target: 'phone', message: reading.problem }]);
      phone = reading.value;
    }
    const access = request.sandboxConsoleAccess;
    if (access?.scope === 'ownSms') {
      if (phone !== undefined && phone !== access.phone) {
        throw Object.assign(new Error('Можно смотреть только СМС, отправленные на ваш телефон'), { statusCode: 403, code: 'forbidden' });
      }
      phone = access.phone;
    }
    const messages = await sms.list(phone);
    return { messages: messages.map((m) => ({ id: m.id, phone: m.phone, text: m.text, code: m.code, issueId: m.issueId, purpose: m.purpose, createdAt: m.createdAt.toISOString() })) };
  });

  app.get('/issues', PUBLIC, async (request) => {
    await deps.catchUp();
    const query = request.query as { status?: string | string[]; offset?: string | string[]; limit?: string | string[] };
    const statuses = [query.status ?? []].flat().filter((s) => (ISSUE_STATUSES as readonly string[]).includes(s));
    const details: KcrErrorDetail[] = [];
    const offset = wholeNumber(query.offset, 'offset', 0, 1_000_000, details) ?? 0;
    const limit = wholeNumber(query.limit, 'limit', 1, 500, details) ?? 50;
    if (details.length) throw badRequest('Неверные параметры запроса', details);
    const { rows, total } = await store.search({ statuses, offset, limit, sortOrder: 'desc' });
    return {
      issues: rows.map((issue) => ({
        ...issueView(issue),
        pendingConfirmation: issue.confirmation ? { operation: issue.confirmation.operation, state: 'state' in issue.confirmation ? issue.confirmation.state : 'codeSent' } : null,
        releaseStatementSignedBy: issue.statementSignedBy,
      })),
      totalCount: total,
    };
  });

  app.get('/issues/:id', PUBLIC, async (request) => {
    await deps.catchUp();
    const issue = await store.get(issueId(request));
    return { ...issueView(issue), releaseStatementSignedBy: issue.statementSignedBy, confirmation: issue.confirmation ? { ...issue.confirmation, code: undefined } : null };
  });

  app.post('/issues/:id/approve', action('sandboxConsoleApproveIssue', 'the CA operator approves a validating issue'), async (request) => {
    const issue = await store.change(issueId(request), { statuses: ['validating'], operation: 'approve', ...OPERATOR }, () => ({ status: 'approved', correctionInfo: null }));
    return issueView(issue);
  });

  app.post('/issues/:id/correction', action('sandboxConsoleRequestCorrection', 'the CA operator returns the issue for correction {comment, remarks: [{target, message}]}'), async (request) => {
    const body = request.body;
    const details: KcrErrorDetail[] = [];
    if (!isObject(body)) throw badRequest('Body must be a JSON object');
    const comment = typeof body.comment === 'string' ? body.comment.trim() : '';
    if (!comment) details.push({ code: 'Required', target: 'comment', message: 'comment is required' });
    const remarks = Array.isArray(body.remarks) ? body.remarks : [];
    if (!Array.isArray(body.remarks) || remarks.length === 0) details.push({ code: 'Required', target: 'remarks', message: 'at least one remark {target, message}' });
    remarks.forEach((remark, i) => {
      if (!isObject(remark) || typeof remark.target !== 'string' || !Object.hasOwn(REMARK_TARGET_NAMES, remark.target)) {
        details.push({ code: 'InvalidValue', target: `remarks[${i}].target`, message: `one of ${Object.keys(REMARK_TARGET_NAMES).join(', ')}` });
      } else if (typeof remark.message !== 'string' || !remark.message.trim()) details.push({ code: 'Required', target: `remarks[${i}].message`, message: 'message is required' });
    });
    if (details.length) throw badRequest('Correction is not valid', details);
    const issue = await store.change(issueId(request), { statuses: ['validating'], operation: 'correction', ...OPERATOR }, () => ({
      status: 'correction',
      correctionInfo: {
        comment,
        remarks: (remarks as { target: string; message: string }[]).map((remark) => ({
          code: 'operatorRemark',
          target: remark.target,
          targetDescription: REMARK_TARGET_NAMES[remark.target],
          message: remark.message.trim(),
        })),
      },
    }));
    return issueView(issue);
  });

  app.post('/issues/:id/esia', action('sandboxConsoleAnswerEsia', 'Госуслуги answer the ESIA confirmation {result}'), async (request) => {
    const result = isObject(request.body) ? request.body.result : undefined;
    if (!(ESIA_RESULTS as readonly unknown[]).includes(result)) throw badRequest('Bad result', [{ code: 'InvalidValue', target: 'result', message: ESIA_RESULTS.join(' | ') }]);
    const issue = await store.change(issueId(request), { statuses: ['preparing', 'correction'], operation: 'ESIA answer', ...OPERATOR }, (current) => {
      const confirmation = current.confirmation;
      if (!confirmation || confirmation.operation !== 'signingReleaseStatementWithEsia') throw new KcrError(409, 'NoEsiaConfirmation', 'The issue has no ESIA confirmation request');
      if (confirmation.state !== 'pending') throw new KcrError(409, 'EsiaAlreadyAnswered', `The ESIA confirmation is already ${confirmation.state}`);
      return { confirmation: { ...confirmation, state: result as (typeof ESIA_RESULTS)[number] } };
    });
    return issueView(issue);
  });

  app.post('/issues/:id/release', action('sandboxConsoleReleaseIssue', 'the applicant releases a forwarded issue in the personal cabinet'), async (request) => {
    const issue = await store.change(issueId(request), { statuses: ['approved'], operation: 'release', ...OPERATOR }, (current) => {
      if (current.forwardedStatus !== 'forwardedToCabinet') throw new KcrError(409, 'NotForwardedToCabinet', 'The issue has not been forwarded to the personal cabinet');
      return { status: 'releasing' };
    });
    return issueView(issue);
  });

  // Moves the sandbox clock of a released certificate: the CA signs it again with its validity
  // `days` earlier (same serial number and key), so its end comes `days` sooner.
  app.post('/issues/:id/certificate/clock', action('sandboxConsoleMoveCertificateClock', 'move the clock of the issue\'s certificate {days}: the same certificate, valid `days` days earlier'), async (request) => {
    const days = isObject(request.body) ? request.body.days : undefined;
    if (typeof days !== 'number' || !Number.isInteger(days) || days === 0 || Math.abs(days) > 3650) {
      throw badRequest('Bad days', [{ code: 'InvalidValue', target: 'days', message: 'a whole number of days from -3650 to 3650, not 0' }]);
    }
    await deps.catchUp();
    const current = await store.get(issueId(request));
    if (current.status !== 'released' || !current.certificateDer) throw new KcrError(409, 'CertificateNotReleased', 'The issue has no released certificate');
    const moved = await deps.ca.moveClock(current.certificateDer, days);
    const issue = await store.change(current.id, { statuses: ['released'], operation: 'move certificate clock', ...OPERATOR }, () => ({ certificateDer: moved.der, certificateReleasedInfo: moved.info }));
    return issueView(issue);
  });

  app.get('/faults', PUBLIC, async () => faults.current);

  app.put('/faults', action('sandboxConsolePutFaults', 'fault injection of the KCR API {latencyMs, errorRate, timeoutRate}'), async (request) => {
    const body = request.body;
    const details: KcrErrorDetail[] = [];
    if (!isObject(body)) throw badRequest('Body must be a JSON object');
    const number = (name: string, max: number) => {
      const value = body[name] ?? 0;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) details.push({ code: 'InvalidValue', target: name, message: `a number from 0 to ${max}` });
      return Number(value);
    };
    const settings = { latencyMs: number('latencyMs', 60_000), errorRate: number('errorRate', 1), timeoutRate: number('timeoutRate', 1) };
    if (settings.errorRate + settings.timeoutRate > 1) details.push({ code: 'InvalidValue', target: 'timeoutRate', message: 'errorRate + timeoutRate must not exceed 1' });
    if (details.length) throw badRequest('Fault settings are not valid', details);
    faults.set(settings);
    return faults.current;
  });

  app.get('/ca/root.cer', PUBLIC, async (_request, reply) => {
    const root = await deps.ca.root();
    return reply.type('application/pkix-cert').header('content-disposition', 'attachment; filename="sandbox-root.cer"').send(Buffer.from(root));
  });
}
