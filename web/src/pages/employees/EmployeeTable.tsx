import { Link } from 'react-router';
import type { Employee } from '../../api/types.ts';
import { fullName } from '../../domain/employeeFields.ts';
import { formatPhone } from '../../format/phone.ts';

/** A cell's class: empty optional values are hidden when rows stack on phones. */
function cellClass(value: string | null, extra = ''): string | undefined {
  return [value ? '' : 'data-table__empty', extra].filter(Boolean).join(' ') || undefined;
}

/** Employees as a table on wide screens; on narrow ones each row stacks into a card (CSS). */
export function EmployeeTable({ employees }: { employees: Employee[] }) {
  return (
    <table className="data-table data-table_stacking">
      <caption className="visually-hidden">Сотрудники</caption>
      <thead>
        <tr>
          <th scope="col">ФИО</th>
          <th scope="col">Должность</th>
          <th scope="col">Подразделение</th>
          <th scope="col">Мобильный телефон</th>
          <th scope="col">ИНН</th>
          <th scope="col">СНИЛС</th>
        </tr>
      </thead>
      <tbody>
        {employees.map((employee) => (
          <tr key={employee.id}>
            <th scope="row" data-label="ФИО">
              <Link to={`/employees/${employee.id}`}>{fullName(employee)}</Link>
            </th>
            <td data-label="Должность" className={cellClass(employee.position)}>
              {employee.position ?? '—'}
            </td>
            <td data-label="Подразделение" className={cellClass(employee.department)}>
              {employee.department ?? '—'}
            </td>
            <td data-label="Телефон" className="nowrap">
              {formatPhone(employee.phone)}
            </td>
            <td data-label="ИНН" className={cellClass(employee.inn, 'nowrap')}>
              {employee.inn ?? '—'}
            </td>
            <td data-label="СНИЛС" className={cellClass(employee.snils, 'nowrap')}>
              {employee.snils ?? '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
