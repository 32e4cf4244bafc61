import { useEffect, useState } from 'react';
import { ComboBox } from '@skbkontur/react-ui';
import { fetchEmployee, searchEmployees } from '../api/employees.ts';
import { fullName } from '../domain/employeeFields.ts';

interface EmployeeItem {
  value: string;
  label: string;
}

export interface EmployeePickerProps {
  id: string;
  value: string | null;
  onChange(employeeId: string | null): void;
  error?: boolean;
  describedBy?: string;
}

/** Finds an employee card by name, phone, INN or SNILS. */
export function EmployeePicker({ id, value, onChange, error, describedBy }: EmployeePickerProps) {
  const [selected, setSelected] = useState<EmployeeItem | null>(null);

  useEffect(() => {
    if (!value) return setSelected(null);
    if (selected?.value === value) return;
    let cancelled = false;
    fetchEmployee(value)
      .then((employee) => !cancelled && setSelected({ value: employee.id, label: fullName(employee) }))
      .catch(() => !cancelled && setSelected({ value, label: 'Карточка не найдена' }));
    return () => {
      cancelled = true;
    };
  }, [value, selected?.value]);

  const getItems = async (query: string): Promise<EmployeeItem[]> => {
    const page = await searchEmployees({ query: query.trim() || undefined, offset: 0, limit: 20 });
    return page.items.map((employee) => ({
      value: employee.id,
      label: [fullName(employee), employee.position].filter(Boolean).join(', '),
    }));
  };

  return (
    <ComboBox<EmployeeItem>
      id={id}
      width="100%"
      searchOnFocus
      placeholder="Начните вводить ФИО"
      getItems={getItems}
      value={selected}
      error={error}
      aria-describedby={describedBy}
      renderNotFound={() => 'Никого не нашлось'}
      onValueChange={(item) => {
        setSelected(item);
        onChange(item?.value ?? null);
      }}
      onUnexpectedInput={(text) => {
        if (!text) {
          setSelected(null);
          onChange(null);
        }
        return null;
      }}
    />
  );
}
