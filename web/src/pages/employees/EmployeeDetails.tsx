import type { Employee } from '../../api/types.ts';
import { EMPLOYEE_FIELDS, EMPLOYEE_FIELD_ORDER } from '../../domain/employeeFields.ts';
import { formatDate } from '../../format/dateTime.ts';
import { formatPhone } from '../../format/phone.ts';

const NAME_FIELDS = new Set(['lastName', 'firstName', 'middleName']);

export function EmployeeDetails({ employee }: { employee: Employee }) {
  const shown = EMPLOYEE_FIELD_ORDER.filter((field) => !NAME_FIELDS.has(field));
  return (
    <dl className="details">
      {shown.map((field) => {
        const raw = employee[field];
        const value = !raw ? '—' : field === 'phone' ? formatPhone(raw) : field === 'birthDate' ? formatDate(raw) : raw;
        return (
          <div className="details__row" key={field}>
            <dt>{EMPLOYEE_FIELDS[field].label}</dt>
            <dd>{value}</dd>
          </div>
        );
      })}
    </dl>
  );
}
