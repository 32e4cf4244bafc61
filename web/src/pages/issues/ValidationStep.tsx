import { Button, Toast } from '@skbkontur/react-ui';
import { sendForValidation } from '../../api/issues.ts';
import type { KonturIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { InlineProgress } from '../../components/InlineProgress.tsx';
import { useAction } from '../../hooks/useAction.ts';

/** Send the filled issue to the CA operator; while it is there, say so (the status updates by itself). */
export function ValidationStep({ issue, onChanged }: { issue: KonturIssue; onChanged(): void }) {
  const sending = useAction();
  if (issue.status === 'validating') {
    return <InlineProgress caption="Заявка на проверке у оператора УЦ. Статус обновится сам, страницу обновлять не нужно." />;
  }
  const send = async () => {
    if (await sending.run(() => sendForValidation(issue.id))) {
      Toast.push('Заявка отправлена на проверку');
      onChanged();
    }
  };
  return (
    <div className="step-form">
      <p>{issue.status === 'correction' ? 'Когда замечания исправлены, отправьте заявку на проверку ещё раз.' : 'Документы и заявление готовы: отправьте заявку оператору УЦ.'}</p>
      <ErrorBanner error={sending.error} />
      <Button use="primary" loading={sending.busy} onClick={send}>
        {issue.status === 'correction' ? 'Отправить на проверку повторно' : 'Отправить на проверку'}
      </Button>
    </div>
  );
}
