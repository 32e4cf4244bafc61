import { useState, type ReactNode } from 'react';
import { Button } from '@skbkontur/react-ui';

export type WizardStepState = 'done' | 'current' | 'ahead';

export interface WizardStepProps {
  id: string;
  number: number;
  title: string;
  state: WizardStepState;
  /** What is done (for a finished step) or what will happen (for a step ahead). */
  summary?: ReactNode;
  /** The step's form: shown for the current step, and for a done one while it may still change. */
  children?: ReactNode;
  open?: boolean;
  /** A finished step whose data may still change: its form opens on «Изменить», collapsed otherwise. */
  editable?: boolean;
}

/** One step of the issuance wizard as a page section. */
export function WizardStep({ id, number, title, state, summary, children, open, editable }: WizardStepProps) {
  const stateText = state === 'done' ? 'выполнено' : state === 'current' ? 'текущий шаг' : 'впереди';
  const [editing, setEditing] = useState(false);
  const canEdit = state === 'done' && editable && Boolean(children);
  const showForm = (open ?? state === 'current') || (canEdit && editing);
  return (
    <section id={id} className={`wizard-step wizard-step_${state}`} aria-labelledby={`${id}-title`} aria-current={state === 'current' ? 'step' : undefined}>
      <h2 id={`${id}-title`} className="wizard-step__title">
        <span className="wizard-step__number" aria-hidden="true">
          {state === 'done' ? '✓' : number}
        </span>
        {title}
        <span className="visually-hidden"> ({stateText})</span>
      </h2>
      <div className="wizard-step__body">
        {summary && <div className="wizard-step__summary">{summary}</div>}
        {canEdit && !(open ?? false) && (
          <Button use="link" onClick={() => setEditing(!editing)} aria-expanded={editing} aria-controls={`${id}-form`}>
            {editing ? 'Свернуть' : 'Изменить'}
          </Button>
        )}
        {showForm && <div id={`${id}-form`}>{children}</div>}
      </div>
    </section>
  );
}
