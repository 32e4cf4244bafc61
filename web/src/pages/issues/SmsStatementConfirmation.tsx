import { useState, type FormEvent } from 'react';
import { Button, Input, Toast } from '@skbkontur/react-ui';
import { requestStatementSmsCode, signReleaseStatement } from '../../api/issues.ts';
import type { KonturIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { useAction } from '../../hooks/useAction.ts';

/** Kontur sends a code to the applicant's phone; the applicant tells it, and the statement is signed. */
export function SmsStatementConfirmation({ issue, onSigned }: { issue: KonturIssue; onSigned(): void }) {
  const [maskedPhone, setMaskedPhone] = useState<string>();
  const [code, setCode] = useState('');
  const sending = useAction();
  const signing = useAction();

  const requestCode = async () => {
    const result = await sending.run(() => requestStatementSmsCode(issue.id));
    if (result) setMaskedPhone(result.data);
  };

  const sign = async (event: FormEvent) => {
    event.preventDefault();
    if (await signing.run(() => signReleaseStatement(issue.id, code.trim()))) {
      Toast.push('Заявление подписано');
      onSigned();
    }
  };

  const codeError = signing.error?.forField('smsCode');
  return (
    <div className="step-form">
      <p>Код придёт на телефон заявителя{issue.subjectInfo.phone ? ` (${issue.subjectInfo.phone.slice(0, 2)} ··· ${issue.subjectInfo.phone.slice(-4)})` : ''}.</p>
      <Button use={maskedPhone ? 'default' : 'primary'} loading={sending.busy} onClick={requestCode}>
        {maskedPhone ? 'Отправить код ещё раз' : 'Отправить код в СМС'}
      </Button>
      <ErrorBanner error={sending.error} />
      {maskedPhone && (
        <form onSubmit={sign} noValidate className="inline-form">
          <p className="success-text" aria-live="polite">
            Код отправлен на номер {maskedPhone}
          </p>
          <FormField id="statement-sms-code" label="Код из СМС" error={codeError}>
            <Input
              id="statement-sms-code"
              width={160}
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onValueChange={setCode}
              error={Boolean(codeError)}
              aria-invalid={Boolean(codeError)}
              aria-describedby={describedBy('statement-sms-code', codeError, undefined)}
            />
          </FormField>
          <ErrorBanner error={signing.error} shownFields={['smsCode']} />
          <Button type="submit" use="primary" loading={signing.busy} disabled={!code.trim()}>
            Подписать заявление
          </Button>
        </form>
      )}
    </div>
  );
}
