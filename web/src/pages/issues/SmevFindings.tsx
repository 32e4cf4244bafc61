import type { SmevValidation } from '../../api/types.ts';
import { documentTypeName, SMEV_ERROR_NAMES, SMEV_STATE_NAMES } from '../../domain/issueDocuments.ts';

/** Results of the state registries' (SMEV) checks of the applicant's documents, in plain words. */
export function SmevFindings({ validations }: { validations: SmevValidation[] }) {
  if (validations.length === 0) return null;
  const hasErrors = validations.some((validation) => validation.errors.length > 0);
  return (
    <section className="section" aria-labelledby="smev-title">
      <h2 id="smev-title" className="section__title">
        Проверка документов в госреестрах (СМЭВ)
      </h2>
      <ul className="smev">
        {validations.map((validation) => (
          <li key={validation.documentType} className={`smev__item smev__item_${validation.state}`}>
            <span className="smev__document">{documentTypeName(validation.documentType)}</span>
            <span className="smev__state">{SMEV_STATE_NAMES[validation.state] ?? validation.state}</span>
            {validation.errors.length > 0 && (
              <ul className="smev__errors">
                {validation.errors.map((error) => (
                  <li key={error.code} className={error.level === 'fatal' ? 'error-text' : 'warning-text'}>
                    {error.level === 'fatal' ? 'Ошибка' : 'Предупреждение'}: {SMEV_ERROR_NAMES[error.code] ?? error.code}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {hasErrors && <p className="muted">Ошибки мешают отправить заявку на проверку: исправьте данные документа. Предупреждения не мешают.</p>}
    </section>
  );
}
