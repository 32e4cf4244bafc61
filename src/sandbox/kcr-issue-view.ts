// The issue as the KCR API returns it (camelCase JSON, the seed's KonturIssuesResponse).
import type { SandboxIssue } from './kcr-issue-store.ts';
import type { CertificateState } from './kcr-vocabulary.ts';

export function issueView(issue: SandboxIssue) {
  return {
    id: issue.id,
    baseIssueId: issue.baseIssueId,
    version: issue.version,
    actualized: issue.actualized,
    status: issue.status,
    forwardedStatus: issue.forwardedStatus,
    certificateTemplateInfo: issue.certificateTemplateInfo,
    subjectInfo: issue.subjectInfo,
    cspInfo: issue.cspInfo,
    certificateReleasedInfo: issue.certificateReleasedInfo ?? null,
    documents: Object.entries(issue.documents).map(([type, document]) => ({
      type,
      requisites: Object.entries(document.requisites).map(([requisite, value]) => ({ type: requisite, value })),
      pages: document.pages.map((page) => ({ id: page.id, contentType: page.contentType, size: page.size, createdAt: page.createdAt })),
    })),
    releaseStatementSigned: issue.statementSignedBy !== null,
    correctionInfo: issue.correctionInfo ?? null,
    subjectIdentification: issue.subjectIdentification ?? null,
    innerErrors: [] as unknown[],
    // While the re-check runs, the registries have not answered yet.
    smevValidations: issue.actualized ? issue.smevValidations : issue.smevValidations.map((v) => ({ ...v, state: 'inProgress', errors: [] })),
    note: issue.note ?? null,
    createdAt: issue.createdAt.toISOString(),
    updatedAt: issue.updatedAt.toISOString(),
  };
}

/** Whether the issue's certificate is there and in force now. */
export function certificateStateOf(issue: SandboxIssue, now = Date.now()): CertificateState {
  const validTo = issue.certificateReleasedInfo?.validTo;
  if (issue.status !== 'released' || !validTo) return 'notReleased';
  return Date.parse(validTo) > now ? 'valid' : 'expired';
}

/**
 * A search result: the whole issue plus the two summary fields public clients filter the list by
 * (§6: `cspType`, `certificateState`).
 */
export function issueListItem(issue: SandboxIssue) {
  return { ...issueView(issue), cspType: (issue.cspInfo as { type?: string }).type ?? null, certificateState: certificateStateOf(issue) };
}
