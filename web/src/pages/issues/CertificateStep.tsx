import { Link } from 'react-router';
import { Button, Toast } from '@skbkontur/react-ui';
import { assignCertificate } from '../../api/issues.ts';
import type { Employee, KonturIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { InlineProgress } from '../../components/InlineProgress.tsx';
import { useAction } from '../../hooks/useAction.ts';

export interface CertificateStepProps {
  issue: KonturIssue;
  employee: Employee | null;
  certificateInCard: boolean;
  onChanged(): void;
}

/** The release: the bridge puts the certificate into the card by itself; a button does it by hand if needed. */
export function CertificateStep({ issue, employee, certificateInCard, onChanged }: CertificateStepProps) {
  const assigning = useAction();
  if (certificateInCard) {
    return (
      <p className="success-text" role="status">
        Сертификат выпущен и загружен в карточку сотрудника.{' '}
        {employee && <Link to={`/employees/${employee.id}`}>Открыть карточку</Link>}
      </p>
    );
  }
  if (issue.status !== 'released') {
    return <InlineProgress caption={issue.status === 'releasing' ? 'УЦ выпускает сертификат…' : 'Ждём выпуска сертификата. Статус обновится сам.'} />;
  }
  const assign = async () => {
    if (await assigning.run(() => assignCertificate(issue.id))) {
      Toast.push('Сертификат загружен в карточку сотрудника');
      onChanged();
    }
  };
  return (
    <div className="step-form">
      <p>Сертификат выпущен и появится в карточке сотрудника в течение нескольких секунд.</p>
      <ErrorBanner error={assigning.error} />
      <Button loading={assigning.busy} onClick={assign}>
        Загрузить в карточку сейчас
      </Button>
    </div>
  );
}
