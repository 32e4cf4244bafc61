import type { KonturIssue } from '../../api/types.ts';
import { formatPhone } from '../../format/phone.ts';
import { applicantName, cspTypeName } from '../../domain/issueApplicant.ts';

export function ApplicantSummary({ issue }: { issue: KonturIssue }) {
  const subject = issue.subjectInfo;
  return (
    <dl className="details details_compact">
      <div className="details__row">
        <dt>ФИО</dt>
        <dd>{applicantName(subject)}</dd>
      </div>
      <div className="details__row">
        <dt>Мобильный телефон</dt>
        <dd>{subject.phone ? formatPhone(subject.phone) : '—'}</dd>
      </div>
      <div className="details__row">
        <dt>Электронная почта</dt>
        <dd>{subject.email || '—'}</dd>
      </div>
      <div className="details__row">
        <dt>ИНН</dt>
        <dd>{subject.inn || '—'}</dd>
      </div>
      <div className="details__row">
        <dt>Сертификат</dt>
        <dd>{cspTypeName(issue.cspInfo?.type)}</dd>
      </div>
    </dl>
  );
}
