import { useRef, type ReactNode } from 'react';
import { useLabelledControl } from '../hooks/useLabelledControl.ts';

export interface FormFieldProps {
  /** The control's id: the label points at it, and the error and hint are tied to it. */
  id: string;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}

/** A labelled form control with its hint and the server's message for it. */
export function FormField({ id, label, required, hint, error, children }: FormFieldProps) {
  const field = useRef<HTMLDivElement>(null);
  useLabelledControl(field, id, `${id}-label`);
  return (
    <div className={error ? 'form-field form-field_invalid' : 'form-field'} ref={field}>
      <label className="form-field__label" htmlFor={id} id={`${id}-label`}>
        {label}
        {required && <span className="form-field__required" aria-hidden="true"> *</span>}
      </label>
      <div className="form-field__control">{children}</div>
      {error && (
        <div className="form-field__error" id={`${id}-error`} role="alert">
          {error}
        </div>
      )}
      {hint && !error && (
        <div className="form-field__hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

/** The aria-describedby value for a control inside a FormField. */
export function describedBy(id: string, error: string | undefined, hint: unknown): string | undefined {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}
