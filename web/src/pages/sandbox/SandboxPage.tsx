import { PageHeader } from '../../components/PageHeader.tsx';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { FaultSwitches } from './FaultSwitches.tsx';
import { SandboxIssueActions } from './SandboxIssueActions.tsx';
import { SandboxReestroForms } from './SandboxReestroForms.tsx';
import { SmsOutbox } from './SmsOutbox.tsx';
import { Mailbox } from './Mailbox.tsx';

/**
 * The built-in sandbox's console: SMS that would go to phones, the CA operator's and Госуслуги's
 * answers, and fault injection. Development and demonstration only; administrators and the
 * sandbox role open it.
 */
export function SandboxPage() {
  usePageTitle('Песочница');
  return (
    <>
      <PageHeader title="Песочница">
        <p className="page-header__subtitle">Встроенная песочница отвечает вместо УЦ Контур. Здесь видны СМС, письма и действия, которые в жизни делают оператор УЦ и заявитель.</p>
      </PageHeader>
      <SmsOutbox />
      <Mailbox />
      <SandboxIssueActions />
      <SandboxReestroForms />
      <FaultSwitches />
    </>
  );
}
