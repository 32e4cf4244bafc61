// What happens to sandbox issues by itself, as time passes: the asynchronous re-check after a
// change (actualization, with the SMEV checks), release by the CA once the applicant asked for
// it, and the automatic operator (SANDBOX_AUTO_OPERATOR=1). Runs on a timer and before reads;
// every step is a conditional update, so several processes may run it at once.
import type { Logger } from 'pino';
import { REMARK_TARGET_NAMES } from './kcr-vocabulary.ts';
import type { SandboxIssue, SandboxIssueStore } from './kcr-issue-store.ts';
import { readinessProblems, smevChecks } from './kcr-issue-rules.ts';
import type { SandboxCa } from './ca.ts';

export class SandboxLifecycle {
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: SandboxIssueStore,
    private readonly ca: SandboxCa,
    private readonly options: { actualizationMs: number; autoOperator: boolean },
    private readonly logger: Logger,
  ) {}

  /** Runs one pass; concurrent callers share the pass in progress. */
  catchUp(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const issue of await this.store.dueForActualization()) {
      try {
        await this.actualize(issue);
      } catch (error) {
        this.logger.error({ err: error, issueId: issue.id }, 'sandbox: actualization failed');
      }
    }
    if (this.options.autoOperator) await this.autoOperate();
  }

  private async actualize(issue: SandboxIssue): Promise<void> {
    const smevValidations = smevChecks(issue.subjectInfo, issue.documents);
    if (issue.status === 'releasing') {
      // The CA releases the certificate at the end of the re-check that follows the release request.
      const released = await this.ca.issueFor(issue);
      await this.store.finishActualization(issue, {
        smevValidations,
        status: 'released',
        certificateDer: released.der,
        certificateReleasedInfo: released.info,
        subjectKeySealed: released.subjectKeySealed ?? null,
      });
      return;
    }
    if (issue.status === 'approved' && issue.statementSignedBy === 'esia') {
      // Simplified issuance: the applicant already confirmed in ESIA, so no identification or cabinet
      // step; the release request starts a new re-check, at the end of which the CA releases.
      await this.store.change(issue.id, { statuses: ['approved'], operation: 'release', needsActualized: false, isApplicantChange: false }, () => ({ status: 'releasing', smevValidations }));
      return;
    }
    await this.store.finishActualization(issue, { smevValidations });
  }

  /** The automatic operator waits one actualization period after the last status change, like a person would. */
  private async autoOperate(): Promise<void> {
    const settled = (issue: SandboxIssue) => issue.actualized && Date.now() - issue.statusChangedAt.getTime() >= this.options.actualizationMs;
    // The applicants, too: a pending ESIA confirmation is confirmed in Госуслуги.
    for (const issue of await this.store.inStatus(['preparing', 'correction'])) {
      const confirmation = issue.confirmation;
      if (!issue.actualized || confirmation?.operation !== 'signingReleaseStatementWithEsia' || confirmation.state !== 'pending') continue;
      await this.store
        .change(issue.id, { statuses: ['preparing', 'correction'], operation: 'ESIA answer', needsActualized: false, isApplicantChange: false }, (current) =>
          current.confirmation?.operation === 'signingReleaseStatementWithEsia' && current.confirmation.state === 'pending' ? { confirmation: { ...current.confirmation, state: 'confirmed' } } : {})
        .catch((error) => this.logger.debug({ err: error, issueId: issue.id }, 'sandbox: auto applicant skipped an issue'));
    }
    for (const issue of await this.store.inStatus(['validating', 'approved'])) {
      if (!settled(issue)) continue;
      try {
        if (issue.status === 'validating') {
          const problems = readinessProblems(issue);
          if (problems.length === 0) {
            await this.store.change(issue.id, { statuses: ['validating'], operation: 'approve', needsActualized: false, isApplicantChange: false }, () => ({ status: 'approved', correctionInfo: null }));
          } else {
            await this.store.change(issue.id, { statuses: ['validating'], operation: 'correction', needsActualized: false, isApplicantChange: false }, () => ({
              status: 'correction',
              correctionInfo: {
                comment: 'Заявка не прошла автоматическую проверку',
                remarks: problems.map((problem) => ({ code: problem.code, target: 'common', targetDescription: REMARK_TARGET_NAMES.common, message: problem.message })),
              },
            }));
          }
        } else if (issue.forwardedStatus === 'forwardedToCabinet' && issue.statementSignedBy !== 'esia') {
          await this.store.change(issue.id, { statuses: ['approved'], operation: 'release', needsActualized: false, isApplicantChange: false }, () => ({ status: 'releasing' }));
        }
      } catch (error) {
        this.logger.debug({ err: error, issueId: issue.id }, 'sandbox: auto operator skipped an issue');
      }
    }
  }
}
