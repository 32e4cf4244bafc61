import type { ReactNode } from 'react';

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
  return (
    <div className={error ? 'form-field form-field_invalid' : 'form-field'}>
      <label className="form-field__label" htmlFor={id}>
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
