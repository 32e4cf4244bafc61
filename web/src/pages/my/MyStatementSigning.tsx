import { useState, type FormEvent } from 'react';
import { Button, Input, Toast } from '@skbkontur/react-ui';
import { requestMyStatementCode, signMyStatement } from '../../api/selfService.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { useAction } from '../../hooks/useAction.ts';

/**
 * The employee signs her own release statement: Kontur sends a code to her phone, she types it.
 * When a code was already sent (by her or the HR officer), the field is there at once.
 */
export function MyStatementSigning({ issueId, codeSent, onSigned }: { issueId: string; codeSent: boolean; onSigned(): void }) {
  const [maskedPhone, setMaskedPhone] = useState<string>();
  const [code, setCode] = useState('');
  const sending = useAction();
  const signing = useAction();
  const fieldId = `my-statement-code-${issueId}`;
  const showField = codeSent || Boolean(maskedPhone);

  const requestCode = async () => {
    const result = await sending.run(() => requestMyStatementCode(issueId));
    if (result) setMaskedPhone(result.data);
  };

  const sign = async (event: FormEvent) => {
    event.preventDefault();
    if (await signing.run(() => signMyStatement(issueId, code.trim()))) {
      Toast.push('Заявление подписано');
      onSigned();
    }
  };

  const codeError = signing.error?.forField('smsCode');
  return (
    <div className="step-form">
      <Button use={showField ? 'default' : 'primary'} loading={sending.busy} onClick={requestCode}>
        {showField ? 'Прислать новый код' : 'Прислать код в СМС'}
      </Button>
      <ErrorBanner error={sending.error} />
      {showField && (
        <form onSubmit={sign} noValidate className="inline-form">
          <p className="success-text" aria-live="polite">
            {maskedPhone ? `Код отправлен на номер ${maskedPhone}` : 'Код отправлен на ваш телефон'}
          </p>
          <FormField id={fieldId} label="Код из СМС" error={codeError}>
            <Input
              id={fieldId}
              width={160}
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onValueChange={setCode}
              error={Boolean(codeError)}
              aria-invalid={Boolean(codeError)}
              aria-describedby={describedBy(fieldId, codeError, undefined)}
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
