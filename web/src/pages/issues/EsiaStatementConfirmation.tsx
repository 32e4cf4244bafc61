import { useEffect, useState, type FormEvent } from 'react';
import { Button, Input, Toast } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { requestStatementEsiaConfirmation, signReleaseStatement } from '../../api/issues.ts';
import type { Employee, KonturIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useValuesWithLateDefaults } from '../../hooks/useValuesWithLateDefaults.ts';

const CHECK_EVERY_MS = 5000;

export interface EsiaStatementConfirmationProps {
  issue: KonturIssue;
  employee: Employee | null;
  /** A confirmation was already asked for: wait for the applicant's answer. */
  waiting: boolean;
  onChanged(): void;
}

const isStillWaiting = (error: ApiError | undefined) => error?.type === 'urn:kca:problem:confirmation-in-progress';

/**
 * The simplified flow: Kontur asks the applicant to confirm the release in Госуслуги (SNILS and
 * birth date identify them there); once they have, the statement is signed without a code.
 */
export function EsiaStatementConfirmation({ issue, employee, waiting, onChanged }: EsiaStatementConfirmationProps) {
  const [identity, setIdentity] = useValuesWithLateDefaults({
    snils: employee?.snils ?? '',
    birthDate: employee?.birthDate ? employee.birthDate.split('-').reverse().join('.') : '',
  });
  const { snils, birthDate } = identity;
  const setSnils = (value: string) => setIdentity((current) => ({ ...current, snils: value }));
  const setBirthDate = (value: string) => setIdentity((current) => ({ ...current, birthDate: value }));
  const requesting = useAction();
  const checking = useAction();
  const [stillWaiting, setStillWaiting] = useState(false);

  const check = async () => {
    const signed = await checking.run(() => signReleaseStatement(issue.id));
    if (signed) {
      Toast.push('Заявитель подтвердил выпуск в Госуслугах: заявление подписано');
      onChanged();
    }
  };

  useEffect(() => setStillWaiting(isStillWaiting(checking.error)), [checking.error]);

  // While the applicant has not answered, look again now and then.
  useEffect(() => {
    if (!waiting || (checking.error && !isStillWaiting(checking.error))) return;
    const timer = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [waiting, checking.error]);

  const request = async (event: FormEvent) => {
    event.preventDefault();
    if (await requesting.run(() => requestStatementEsiaConfirmation(issue.id, { snils: snils.trim(), birthDate: birthDate.trim() }))) {
      Toast.push('Запрос отправлен в Госуслуги');
      onChanged();
    }
  };

  const snilsError = requesting.error?.forField('snils');
  const birthDateError = requesting.error?.forField('birthDate');
  return (
    <div className="step-form">
      {!waiting && (
        <form onSubmit={request} noValidate>
          <p>Заявитель получит запрос в личном кабинете Госуслуг. Нужна подтверждённая учётная запись.</p>
          <div className="form__grid form__grid_narrow">
            <FormField id="esia-snils" label="СНИЛС заявителя" required error={snilsError}>
              <Input
                id="esia-snils"
                width="100%"
                placeholder="123-456-789 01"
                value={snils}
                onValueChange={setSnils}
                error={Boolean(snilsError)}
                aria-describedby={describedBy('esia-snils', snilsError, undefined)}
              />
            </FormField>
            <FormField id="esia-birthDate" label="Дата рождения" required error={birthDateError}>
              <Input
                id="esia-birthDate"
                width="100%"
                placeholder="ДД.ММ.ГГГГ"
                value={birthDate}
                onValueChange={setBirthDate}
                error={Boolean(birthDateError)}
                aria-describedby={describedBy('esia-birthDate', birthDateError, undefined)}
              />
            </FormField>
          </div>
          <ErrorBanner error={requesting.error} shownFields={['snils', 'birthDate']} />
          <Button type="submit" use="primary" loading={requesting.busy}>
            Запросить подтверждение в Госуслугах
          </Button>
        </form>
      )}
      {waiting && (
        <div aria-live="polite">
          <p className="info-banner">
            Запрос отправлен в Госуслуги. Ждём, когда заявитель подтвердит выпуск сертификата в личном кабинете; страница проверяет это сама.
          </p>
          {stillWaiting && <p className="muted">Заявитель ещё не ответил.</p>}
          {checking.error && !stillWaiting && <ErrorBanner error={checking.error} />}
          <Button loading={checking.busy} onClick={check}>
            Проверить подтверждение
          </Button>{' '}
          {checking.error && !stillWaiting && (
            <Button use="text" onClick={() => requesting.run(() => requestStatementEsiaConfirmation(issue.id, { snils: snils.trim(), birthDate: birthDate.trim() })).then((ok) => ok && (checking.clearError(), onChanged()))}>
              Запросить подтверждение заново
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
