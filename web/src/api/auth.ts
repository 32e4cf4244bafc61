import { apiRequest } from './client.ts';
import type { User } from './types.ts';

export const signIn = (username: string, password: string) =>
  apiRequest<User>('POST', '/auth/login', { json: { username, password }, quietUnauthorized: true });

/** The signed-in user, or a 401 ApiError when there is no session. */
export const fetchCurrentUser = () => apiRequest<User>('GET', '/auth/me', { quietUnauthorized: true });

export const signOut = () => apiRequest<void>('DELETE', '/auth/token', { quietUnauthorized: true });
