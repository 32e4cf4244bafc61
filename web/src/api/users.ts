import { apiRequest } from './client.ts';
import type { Role, User } from './types.ts';

export interface UserInput {
  username: string;
  displayName?: string;
  role: Role;
  password?: string;
  employeeId?: string | null;
  serviceAccount?: boolean;
}

export type UserChange = Partial<Pick<UserInput, 'displayName' | 'role' | 'password' | 'employeeId'>> & { disabled?: boolean };

export const fetchUsers = () => apiRequest<User[]>('GET', '/users');

export const createUser = (input: UserInput) => apiRequest<User>('POST', '/users', { json: input });

export const updateUser = (id: string, change: UserChange) => apiRequest<User>('PATCH', `/users/${encodeURIComponent(id)}`, { json: change });
