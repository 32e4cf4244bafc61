import type { KonturIssue } from '../../api/types.ts';
import { REMARK_TARGET_NAMES } from '../../domain/issueDocuments.ts';

/** What the CA operator asks to fix (status «Требует исправлений»). */
export function IssueRemarks({ correction }: { correction: NonNullable<KonturIssue['correctionInfo']> }) {
  return (
    <section className="remarks" aria-labelledby="remarks-title" role="region">
      <h2 id="remarks-title" className="remarks__title">
        Оператор УЦ вернул заявку на исправление
      </h2>
      {correction.comment && <p className="remarks__comment">«{correction.comment}»</p>}
      <ul className="remarks__list">
        {correction.remarks.map((remark, index) => (
          <li key={index}>
            <strong>{REMARK_TARGET_NAMES[remark.target] ?? remark.targetDescription ?? remark.target}:</strong> {remark.message}
          </li>
        ))}
      </ul>
      <p className="muted">Исправьте документы ниже и отправьте заявку на проверку ещё раз.</p>
    </section>
  );
}
