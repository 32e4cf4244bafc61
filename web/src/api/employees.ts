import { apiRequest } from './client.ts';
import type { CsvImportReport, Employee, EmployeeCertificate, EmployeeFields, Page } from './types.ts';

export type EmployeeInput = { [K in keyof EmployeeFields]?: string | null };

export const searchEmployees = (search: { query?: string; offset: number; limit: number }) =>
  apiRequest<Page<Employee>>('GET', '/employees', { query: search });

export const fetchEmployee = (id: string) => apiRequest<Employee>('GET', `/employees/${encodeURIComponent(id)}`);

export const fetchEmployeeCertificates = (id: string) =>
  apiRequest<EmployeeCertificate[]>('GET', `/employees/${encodeURIComponent(id)}/certificates`);

export const createEmployee = (input: EmployeeInput) => apiRequest<Employee>('POST', '/employees', { json: input });

export const updateEmployee = (id: string, input: EmployeeInput) =>
  apiRequest<Employee>('PATCH', `/employees/${encodeURIComponent(id)}`, { json: input });

export const importEmployeesCsv = (csv: string) =>
  apiRequest<CsvImportReport>('POST', '/employees/import', { body: { content: csv, contentType: 'text/csv; charset=utf-8' } });
