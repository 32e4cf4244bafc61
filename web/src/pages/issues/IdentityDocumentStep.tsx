import type { Employee, IssueScan, KonturIssue } from '../../api/types.ts';
import { requisite } from '../../domain/issueProgress.ts';
import { REQUISITE_NAMES } from '../../domain/issueDocuments.ts';
import { PassportForm } from './PassportForm.tsx';
import { ScanUpload } from './ScanUpload.tsx';

export interface IdentityDocumentStepProps {
  issue: KonturIssue;
  scans: IssueScan[];
  employee: Employee | null;
  onChanged(): void;
}

/** Passport requisites and its scans. Identity documents may change until the certificate is released. */
export function IdentityDocumentStep({ issue, scans, employee, onChanged }: IdentityDocumentStepProps) {
  const editable = ['preparing', 'correction', 'approved'].includes(issue.status);
  const passport = issue.documents.find((document) => document.type === 'passport');
  if (!editable) {
    return (
      <dl className="details details_compact">
        {(passport?.requisites ?? []).map((item) => (
          <div className="details__row" key={item.type}>
            <dt>{REQUISITE_NAMES[item.type] ?? item.type}</dt>
            <dd>{item.value}</dd>
          </div>
        ))}
        <div className="details__row">
          <dt>Сканы</dt>
          <dd>{passport?.pages.length ?? 0}</dd>
        </div>
      </dl>
    );
  }
  return (
    <div className="step-columns">
      <PassportForm
        issueId={issue.id}
        initial={{
          series: requisite(issue, 'passport', 'series') ?? '',
          number: requisite(issue, 'passport', 'number') ?? '',
          issueDate: requisite(issue, 'passport', 'issueDate') ?? '',
          issuerCode: requisite(issue, 'passport', 'issueOrganizationId') ?? '',
          birthDate: requisite(issue, 'passport', 'birthDate') ?? (employee?.birthDate ? employee.birthDate.split('-').reverse().join('.') : ''),
          birthPlace: requisite(issue, 'passport', 'birthPlace') ?? '',
        }}
        saved={Boolean(passport && passport.requisites.length > 0)}
        onSaved={onChanged}
      />
      <ScanUpload issueId={issue.id} documentType="passport" title="Скан паспорта" sent={scans} sentPages={passport?.pages.length ?? 0} pages={passport?.pages} onSent={onChanged} />
    </div>
  );
}
