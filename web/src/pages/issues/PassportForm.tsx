import { useState, type FormEvent } from 'react';
import { Button, Input, Toast } from '@skbkontur/react-ui';
import { savePassport, type PassportRequisites } from '../../api/issues.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useValuesWithLateDefaults } from '../../hooks/useValuesWithLateDefaults.ts';
import { checkDate, checkIssueDate, checkIssuerCode, checkPassportNumber, checkPassportSeries, type Checked } from '../../../../src/domain/identifiers.ts';

/** The same checks the server makes, so that every problem shows at once, next to its field. */
const CHECKS: Record<PassportField, (value: string) => Checked> = {
  series: checkPassportSeries,
  number: checkPassportNumber,
  issueDate: (value) => checkIssueDate(value),
  issuerCode: checkIssuerCode,
  birthDate: checkDate,
  birthPlace: (value) => ({ ok: true, value }),
};

type PassportField = 'series' | 'number' | 'issueDate' | 'issuerCode' | 'birthDate' | 'birthPlace';

const FIELDS: { name: PassportField; label: string; hint?: string; placeholder?: string; inputMode?: 'numeric' }[] = [
  { name: 'series', label: 'Серия', placeholder: '4510', inputMode: 'numeric', hint: '4 цифры' },
  { name: 'number', label: 'Номер', placeholder: '123456', inputMode: 'numeric', hint: '6 цифр' },
  { name: 'issueDate', label: 'Дата выдачи', placeholder: 'ДД.ММ.ГГГГ' },
  { name: 'issuerCode', label: 'Код подразделения', placeholder: '770-001' },
  { name: 'birthDate', label: 'Дата рождения', placeholder: 'ДД.ММ.ГГГГ' },
  { name: 'birthPlace', label: 'Место рождения', placeholder: 'г. Москва' },
];

export interface PassportFormProps {
  issueId: string;
  initial: Record<PassportField, string>;
  saved: boolean;
  onSaved(): void;
}

/** The passport's requisites, checked by the server field by field. */
export function PassportForm({ issueId, initial, saved, onSaved }: PassportFormProps) {
  const [values, setValues] = useValuesWithLateDefaults(initial);
  const [missing, setMissing] = useState<Partial<Record<PassportField, string>>>({});
  const saving = useAction();
  const messageFor = (field: PassportField) => missing[field] ?? saving.error?.forField(field);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Partial<Record<PassportField, string>> = {};
    for (const field of FIELDS) {
      const value = values[field.name].trim();
      const checked = value ? CHECKS[field.name](value) : { ok: false as const, message: 'Обязательное поле' };
      if (!checked.ok) problems[field.name] = checked.message;
    }
    setMissing(problems);
    saving.clearError();
    if (Object.keys(problems).length > 0) {
      const first = FIELDS.find((field) => problems[field.name]);
      if (first) document.getElementById(`passport-${first.name}`)?.focus();
      return;
    }
    const requisites: PassportRequisites = {
      series: values.series.replace(/\s/g, ''),
      number: values.number.replace(/\s/g, ''),
      issueDate: values.issueDate.trim(),
      issuerCode: values.issuerCode.trim(),
      birthDate: values.birthDate.trim(),
      birthPlace: values.birthPlace.trim(),
    };
    if (await saving.run(() => savePassport(issueId, requisites))) {
      Toast.push('Реквизиты паспорта сохранены');
      onSaved();
    }
  };

  return (
    <form className="step-form" onSubmit={submit} noValidate aria-labelledby="passport-form-title">
      <h3 id="passport-form-title" className="step-form__title">
        Паспорт РФ
      </h3>
      <ErrorBanner error={saving.error} shownFields={FIELDS.map((field) => field.name)} />
      <div className="form__grid form__grid_narrow">
        {FIELDS.map((field) => {
          const id = `passport-${field.name}`;
          const message = messageFor(field.name);
          return (
            <FormField key={field.name} id={id} label={field.label} required hint={field.hint} error={message}>
              <Input
                id={id}
                width="100%"
                value={values[field.name]}
                placeholder={field.placeholder}
                inputMode={field.inputMode}
                error={Boolean(message)}
                aria-invalid={Boolean(message)}
                aria-describedby={describedBy(id, message, field.hint)}
                onValueChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
              />
            </FormField>
          );
        })}
      </div>
      <Button type="submit" use={saved ? 'default' : 'primary'} loading={saving.busy}>
        {saved ? 'Сохранить изменения' : 'Сохранить реквизиты'}
      </Button>
    </form>
  );
}
