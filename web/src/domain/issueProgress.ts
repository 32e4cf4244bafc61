// Where an issue stands in the manual's flow, from what Kontur and the bridge know about it.
import type { EmployeeCertificate, IssueHistoryEntry, KonturIssue } from '../api/types.ts';

export type IssueStep = 'applicant' | 'identity' | 'statement' | 'validation' | 'identification' | 'cabinet' | 'certificate';

export interface IssueProgress {
  done: IssueStep[];
  current: IssueStep | undefined;
  /** The applicant confirmed through Госуслуги: identification and the cabinet are not needed. */
  confirmedThroughEsia: boolean;
  /** A Госуслуги confirmation was asked for and the statement is not signed yet. */
  waitingForEsia: boolean;
  certificateInCard: boolean;
}

const ORDER: IssueStep[] = ['applicant', 'identity', 'statement', 'validation', 'identification', 'cabinet', 'certificate'];

export function documentOf(issue: KonturIssue, type: string) {
  return issue.documents.find((document) => document.type === type);
}

export function requisite(issue: KonturIssue, documentType: string, name: string): string | undefined {
  return documentOf(issue, documentType)?.requisites.find((item) => item.type === name)?.value;
}

export function issueProgress(issue: KonturIssue, history: IssueHistoryEntry[], certificates: EmployeeCertificate[]): IssueProgress {
  const passport = documentOf(issue, 'passport');
  const statementScanned = (documentOf(issue, 'releaseStatement')?.pages.length ?? 0) > 0;
  const lastEsia = history.findLastIndex((entry) => entry.action === 'sendReleaseStatementWithEsia');
  const lastSms = history.findLastIndex((entry) => entry.action === 'sendReleaseStatement');
  const confirmedThroughEsia = issue.releaseStatementSigned && lastEsia > lastSms;
  // Validation is done when the CA operator approved; while they check, it is the current step.
  const approved = ['approved', 'releasing', 'released'].includes(issue.status);
  const releasing = issue.status === 'releasing' || issue.status === 'released';
  const certificateInCard = certificates.some((certificate) => certificate.issueId === issue.id);

  const done = new Set<IssueStep>(['applicant']);
  if (passport && passport.requisites.length > 0 && passport.pages.length > 0) done.add('identity');
  if (issue.releaseStatementSigned || statementScanned) done.add('statement');
  if (approved) done.add('validation');
  if (approved && (releasing || confirmedThroughEsia || issue.subjectIdentification)) done.add('identification');
  if (approved && (releasing || confirmedThroughEsia || issue.forwardedStatus === 'forwardedToCabinet')) done.add('cabinet');
  if (issue.status === 'released' && certificateInCard) done.add('certificate');
  return {
    done: ORDER.filter((step) => done.has(step)),
    current: ORDER.find((step) => !done.has(step)),
    confirmedThroughEsia,
    waitingForEsia: lastEsia > lastSms && lastEsia >= 0 && !issue.releaseStatementSigned,
    certificateInCard,
  };
}
