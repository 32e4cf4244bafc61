import { Button, Toast } from '@skbkontur/react-ui';
import { forwardToCabinet } from '../../api/issues.ts';
import type { KonturIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { useAction } from '../../hooks/useAction.ts';

/** Hand the approved issue to the applicant's personal cabinet, where they ask for the release. */
export function CabinetStep({ issue, onChanged }: { issue: KonturIssue; onChanged(): void }) {
  const forwarding = useAction();
  const forward = async () => {
    if (await forwarding.run(() => forwardToCabinet(issue.id))) {
      Toast.push('Заявка перенаправлена в личный кабинет');
      onChanged();
    }
  };
  return (
    <div className="step-form">
      <p>Заявитель получит ссылку на личный кабинет УЦ и запросит там выпуск сертификата.</p>
      <ErrorBanner error={forwarding.error} />
      <Button use="primary" loading={forwarding.busy} onClick={forward}>
        Перенаправить в личный кабинет
      </Button>
    </div>
  );
}
