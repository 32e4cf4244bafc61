import { useNavigate } from 'react-router';
import { Toast } from '@skbkontur/react-ui';
import { createEmployee } from '../../api/employees.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { fullName } from '../../domain/employeeFields.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { EmployeeForm } from './EmployeeForm.tsx';

export function EmployeeCreatePage() {
  usePageTitle('Новый сотрудник');
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="Новый сотрудник">
        <p className="page-header__subtitle">Для выпуска сертификата нужны ФИО и мобильный телефон: на него придут коды подтверждения.</p>
      </PageHeader>
      <EmployeeForm
        submitLabel="Создать"
        onCancel={() => navigate('/employees')}
        onSubmit={async (input) => {
          const created = await createEmployee(input);
          Toast.push(`Сотрудник ${fullName(created)} добавлен`);
          navigate(`/employees/${created.id}`, { replace: true });
        }}
      />
    </>
  );
}
