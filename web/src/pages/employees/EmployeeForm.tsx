import { useState, type FormEvent } from 'react';
import { Button, Gapped, Input } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import type { EmployeeInput } from '../../api/employees.ts';
import type { Employee, EmployeeField } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField, describedBy } from '../../components/FormField.tsx';
import { EMPLOYEE_FIELDS, EMPLOYEE_FIELD_ORDER, ISSUANCE_FIELDS } from '../../domain/employeeFields.ts';
import { formatDate } from '../../format/dateTime.ts';

export type EmployeeFormValues = Record<EmployeeField, string>;

export function formValuesOf(employee?: Employee): EmployeeFormValues {
  const values = {} as EmployeeFormValues;
  for (const field of EMPLOYEE_FIELD_ORDER) {
    const raw = employee?.[field] ?? '';
    values[field] = field === 'birthDate' && raw ? formatDate(raw) : raw;
  }
  return values;
}

/** The fields to send: all filled ones for a new card, the changed ones (empty clears) for an existing one. */
export function changesOf(values: EmployeeFormValues, initial: EmployeeFormValues | undefined): EmployeeInput {
  const input: EmployeeInput = {};
  for (const field of EMPLOYEE_FIELD_ORDER) {
    const value = values[field].trim();
    if (initial ? value !== initial[field].trim() : value !== '') input[field] = value;
  }
  return input;
}

export interface EmployeeFormProps {
  initial?: Employee;
  submitLabel: string;
  onSubmit(input: EmployeeInput): Promise<void>;
  onCancel(): void;
}

const FIELD_GROUPS: { title: string; fields: EmployeeField[] }[] = [
  { title: 'ФИО', fields: ['lastName', 'firstName', 'middleName'] },
  { title: 'Контакты', fields: ['phone', 'email'] },
  { title: 'Документы', fields: ['inn', 'snils', 'birthDate'] },
  { title: 'Работа', fields: ['position', 'department'] },
];

/** Create or edit an employee card; the server checks the fields and its messages appear under them. */
export function EmployeeForm({ initial, submitLabel, onSubmit, onCancel }: EmployeeFormProps) {
  const [initialValues] = useState(() => (initial ? formValuesOf(initial) : undefined));
  const [values, setValues] = useState<EmployeeFormValues>(() => initialValues ?? formValuesOf());
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(changesOf(values, initialValues));
    } catch (failure) {
      const apiError = failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure));
      setError(apiError);
      const firstBad = EMPLOYEE_FIELD_ORDER.find((field) => apiError.forField(field));
      if (firstBad) document.getElementById(`employee-${firstBad}`)?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-describedby="employee-form-note">
      <p className="muted" id="employee-form-note">
        Поля со звёздочкой обязательны для карточки. Для выпуска сертификата нужны ещё{' '}
        {ISSUANCE_FIELDS.filter((field) => !EMPLOYEE_FIELDS[field].required)
          .map((field) => EMPLOYEE_FIELDS[field].label.toLowerCase().replace('инн', 'ИНН'))
          .join(' и ')}
        ; СНИЛС и дата рождения пригодятся для паспорта и Госуслуг.
      </p>
      <ErrorBanner error={error} shownFields={EMPLOYEE_FIELD_ORDER} />
      {FIELD_GROUPS.map((group) => (
        <fieldset className="form__group" key={group.title}>
          <legend className="form__legend">{group.title}</legend>
          <div className="form__grid">
            {group.fields.map((field) => {
              const info = EMPLOYEE_FIELDS[field];
              const id = `employee-${field}`;
              const message = error?.forField(field);
              return (
                <FormField key={field} id={id} label={info.label} required={info.required} hint={info.hint} error={message}>
                  <Input
                    id={id}
                    name={field}
                    width="100%"
                    value={values[field]}
                    onValueChange={(value) => setValues((current) => ({ ...current, [field]: value }))}
                    placeholder={info.placeholder}
                    inputMode={info.inputMode}
                    type={field === 'phone' ? 'tel' : field === 'email' ? 'email' : 'text'}
                    mask={field === 'birthDate' ? '99.99.9999' : undefined}
                    error={Boolean(message)}
                    aria-invalid={Boolean(message)}
                    aria-required={info.required}
                    aria-describedby={describedBy(id, message, info.hint)}
                  />
                </FormField>
              );
            })}
          </div>
        </fieldset>
      ))}
      <div className="form__actions">
        <Gapped gap={8} wrap>
          <Button type="submit" use="primary" loading={busy}>
            {submitLabel}
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            Отмена
          </Button>
        </Gapped>
      </div>
    </form>
  );
}
