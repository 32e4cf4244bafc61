import { useNavigate, useParams } from 'react-router';
import { Toast } from '@skbkontur/react-ui';
import { fetchEmployee, updateEmployee } from '../../api/employees.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { fullName } from '../../domain/employeeFields.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { EmployeeForm } from './EmployeeForm.tsx';

export function EmployeeEditPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const employee = useApiData(() => fetchEmployee(id), [id]);
  usePageTitle(employee.data ? `Изменение: ${fullName(employee.data)}` : 'Изменение сотрудника');
  if (employee.error) return <LoadFailure error={employee.error} onRetry={employee.reload} />;
  if (!employee.data) return <LoadingBlock />;
  return (
    <>
      <PageHeader title={`Изменение: ${fullName(employee.data)}`} />
      <EmployeeForm
        key={employee.data.id}
        initial={employee.data}
        submitLabel="Сохранить"
        onCancel={() => navigate(`/employees/${id}`)}
        onSubmit={async (input) => {
          if (Object.keys(input).length > 0) {
            await updateEmployee(id, input);
            Toast.push('Изменения сохранены');
          }
          navigate(`/employees/${id}`, { replace: true });
        }}
      />
    </>
  );
}
