import { useState } from 'react';
import { Button, Toast } from '@skbkontur/react-ui';
import { identifySubject } from '../../api/issues.ts';
import type { KonturIssue } from '../../api/types.ts';
import { EmployeePicker } from '../../components/EmployeePicker.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField } from '../../components/FormField.tsx';
import { useAction } from '../../hooks/useAction.ts';

/** The employee who saw the applicant's passport in person confirms their identity. */
export function IdentificationStep({ issue, onChanged }: { issue: KonturIssue; onChanged(): void }) {
  const [identifiedBy, setIdentifiedBy] = useState<string | null>(null);
  const saving = useAction();
  const confirm = async () => {
    if (!identifiedBy) return;
    if (await saving.run(() => identifySubject(issue.id, identifiedBy))) {
      Toast.push('Личность заявителя удостоверена');
      onChanged();
    }
  };
  const message = saving.error?.forField('identifiedByEmployeeId');
  return (
    <div className="step-form">
      <FormField id="identified-by" label="Кто удостоверил личность заявителя" required hint="Сотрудник, сверивший паспорт с заявителем лично" error={message}>
        <EmployeePicker id="identified-by" value={identifiedBy} onChange={setIdentifiedBy} error={Boolean(message)} />
      </FormField>
      <ErrorBanner error={saving.error} shownFields={['identifiedByEmployeeId']} />
      <Button use="primary" loading={saving.busy} disabled={!identifiedBy} onClick={confirm}>
        Подтвердить личность
      </Button>
    </div>
  );
}
