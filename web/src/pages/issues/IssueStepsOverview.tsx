export const ISSUE_STEPS = [
  { id: 'applicant', label: 'Заявитель' },
  { id: 'identity', label: 'Паспорт и скан' },
  { id: 'statement', label: 'Заявление на выпуск' },
  { id: 'validation', label: 'Проверка в УЦ' },
  { id: 'identification', label: 'Удостоверение личности' },
  { id: 'cabinet', label: 'Личный кабинет' },
  { id: 'certificate', label: 'Сертификат в карточке' },
] as const;

export type IssueStepId = (typeof ISSUE_STEPS)[number]['id'];

/** The wizard's steps in one line: done, current and ahead. */
export function IssueStepsOverview({ current, done = [] }: { current: IssueStepId | undefined; done?: readonly IssueStepId[] }) {
  return (
    <ol className="steps" aria-label="Шаги выпуска сертификата">
      {ISSUE_STEPS.map((step, index) => {
        const state = done.includes(step.id) ? 'done' : step.id === current ? 'current' : 'ahead';
        return (
          <li key={step.id} className={`steps__item steps__item_${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="steps__number" aria-hidden="true">
              {state === 'done' ? '✓' : index + 1}
            </span>
            <span className="steps__label">
              {step.label}
              {state === 'done' && <span className="visually-hidden"> (выполнено)</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
