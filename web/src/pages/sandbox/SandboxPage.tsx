import { PageHeader } from '../../components/PageHeader.tsx';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useSession } from '../../session/SessionContext.ts';
import { FaultSwitches } from './FaultSwitches.tsx';
import { SandboxIssueActions } from './SandboxIssueActions.tsx';
import { SandboxReestroForms } from './SandboxReestroForms.tsx';
import { SmsOutbox } from './SmsOutbox.tsx';

/**
 * The built-in sandbox's console: SMS that would go to phones, the CA operator's and Госуслуги's
 * answers, and fault injection. Development and demonstration only.
 */
export function SandboxPage() {
  usePageTitle('Песочница');
  const { user } = useSession();
  const staff = user.role !== 'employee';
  return (
    <>
      <PageHeader title="Песочница">
        <p className="page-header__subtitle">Встроенная песочница отвечает вместо УЦ Контур. Здесь видны СМС и действия, которые в жизни делают оператор УЦ и заявитель.</p>
      </PageHeader>
      <SmsOutbox />
      {staff && <SandboxIssueActions />}
      {staff && <SandboxReestroForms />}
      {user.role === 'admin' && <FaultSwitches />}
    </>
  );
}
