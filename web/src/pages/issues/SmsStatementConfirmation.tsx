import { useEffect, useState, type FormEvent } from 'react';
import { Button, Input, Toast } from '@skbkontur/react-ui';
import { requestStatementSmsCode, signReleaseStatement } from '../../api/issues.ts';
import type { KonturIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { STATEMENT_CODE_LIFETIME_MS, STATEMENT_CODE_RESEND_MS } from '../../domain/statementCode.ts';
import { maskPhone } from '../../format/phone.ts';
import { useAction } from '../../hooks/useAction.ts';

/** Seconds as "4:05". */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The current time, ticking every second while `active`. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export interface SmsStatementConfirmationProps {
  issue: KonturIssue;
  /** When the newest code was sent (from the issue's history), if it has not been used. */
  codeSentAt?: string;
  onSigned(): void;
}

/** Kontur sends a code to the applicant's phone; the applicant tells it, and the statement is signed. */
export function SmsStatementConfirmation({ issue, codeSentAt, onSigned }: SmsStatementConfirmationProps) {
  const [sentAt, setSentAt] = useState<number | undefined>(() => (codeSentAt ? Date.parse(codeSentAt) : undefined));
  const [code, setCode] = useState('');
  const sending = useAction();
  const signing = useAction();
  const now = useNow(sentAt !== undefined);
  const phone = maskPhone(issue.subjectInfo.phone ?? '');

  useEffect(() => {
    // A code sent from another tab, or before the page was reopened, shows here too.
    if (codeSentAt) setSentAt((current) => Math.max(current ?? 0, Date.parse(codeSentAt)));
  }, [codeSentAt]);

  const alive = sentAt !== undefined && now - sentAt < STATEMENT_CODE_LIFETIME_MS;
  const resendIn = sentAt === undefined ? 0 : Math.min(STATEMENT_CODE_RESEND_MS, sentAt + STATEMENT_CODE_RESEND_MS - now);

  const requestCode = async () => {
    const result = await sending.run(() => requestStatementSmsCode(issue.id));
    if (result) {
      setSentAt(Date.now());
      setCode('');
      signing.clearError();
    }
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
      <p>Код придёт на телефон заявителя {phone}.</p>
      <Button use={alive ? 'default' : 'primary'} loading={sending.busy} onClick={requestCode} disabled={alive && resendIn > 0}>
        {sentAt === undefined ? 'Отправить код в СМС' : 'Отправить код ещё раз'}
      </Button>
      {alive && resendIn > 0 && (
        <span className="muted" data-testid="resend-countdown">
          {' '}
          Новый код можно запросить через {clock(resendIn)}
        </span>
      )}
      <ErrorBanner error={sending.error} />
      {sentAt !== undefined && !alive && <p className="muted">Срок действия отправленного кода истёк: запросите новый.</p>}
      {alive && (
        <form onSubmit={sign} noValidate className="inline-form">
          <p className="success-text" aria-live="polite">
            Код отправлен на номер {phone}. Он действует ещё <span data-testid="code-lifetime">{clock(Math.min(STATEMENT_CODE_LIFETIME_MS, sentAt + STATEMENT_CODE_LIFETIME_MS - now))}</span>.
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
