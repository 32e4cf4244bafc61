import { useEffect, useState, type FormEvent } from 'react';
import { Button, DatePicker, Gapped, Input, Select } from '@skbkontur/react-ui';
import type { AuditOutcome } from '../../api/types.ts';
import { FormField } from '../../components/FormField.tsx';
import { AUDIT_ACTIONS, AUDIT_OUTCOME_LABELS, AUDIT_TARGET_TYPE_LABELS, auditActionLabel } from '../../../../src/domain/audit-actions.ts';
import { EMPTY_AUDIT_FILTER, type AuditFilterForm } from './auditQuery.ts';

const ANY = '';
const ACTION_ITEMS: [string, string][] = [
  [ANY, 'Все действия'],
  ...AUDIT_ACTIONS.map((action): [string, string] => [action, auditActionLabel(action)]).sort(([, a], [, b]) => a.localeCompare(b, 'ru')),
];
const TARGET_ITEMS: [string, string][] = [[ANY, 'Любой объект'], ...Object.entries(AUDIT_TARGET_TYPE_LABELS)];
const OUTCOME_ITEMS: [AuditOutcome | '', string][] = [[ANY, 'Любой результат'], ...(Object.entries(AUDIT_OUTCOME_LABELS) as [AuditOutcome, string][])];

export function AuditFilters({ applied, onApply }: { applied: AuditFilterForm; onApply(form: AuditFilterForm): void }) {
  const [form, setForm] = useState(applied);
  useEffect(() => setForm(applied), [applied]);
  const set = <K extends keyof AuditFilterForm>(key: K) => (value: AuditFilterForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(form);
  };
  const badDay = (day: string) => day !== '' && !DatePicker.validate(day);
  return (
    <form className="filters" onSubmit={submit} aria-label="Фильтры журнала">
      <FormField id="audit-actor" label="Кто">
        <Input id="audit-actor" width="100%" placeholder="Логин пользователя" value={form.actor} onValueChange={set('actor')} />
      </FormField>
      <div className="filters__wide">
        <FormField id="audit-action" label="Действие">
          <Select<string, string> id="audit-action" width="100%" search items={ACTION_ITEMS} value={form.action} onValueChange={set('action')} />
        </FormField>
      </div>
      <FormField id="audit-target" label="Объект">
        <Select<string, string> id="audit-target" width="100%" items={TARGET_ITEMS} value={form.targetType} onValueChange={set('targetType')} />
      </FormField>
      <FormField id="audit-outcome" label="Результат">
        <Select<AuditOutcome | '', string> id="audit-outcome" width="100%" items={OUTCOME_ITEMS} value={form.outcome} onValueChange={set('outcome')} />
      </FormField>
      <FormField id="audit-from" label="С даты">
        <DatePicker id="audit-from" width="100%" enableTodayLink value={form.fromDay} error={badDay(form.fromDay)} onValueChange={set('fromDay')} />
      </FormField>
      <FormField id="audit-to" label="По дату">
        <DatePicker id="audit-to" width="100%" enableTodayLink value={form.toDay} error={badDay(form.toDay)} onValueChange={set('toDay')} />
      </FormField>
      <div className="filters__actions">
        <Gapped gap={8}>
          <Button type="submit" use="primary">
            Показать
          </Button>
          <Button
            onClick={() => {
              setForm(EMPTY_AUDIT_FILTER);
              onApply(EMPTY_AUDIT_FILTER);
            }}
          >
            Сбросить
          </Button>
        </Gapped>
      </div>
    </form>
  );
}
