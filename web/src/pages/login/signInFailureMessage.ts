import type { ApiError } from '../../api/client.ts';

function minutes(seconds: number): string {
  const value = Math.max(1, Math.ceil(seconds / 60));
  const last = value % 10;
  const teen = value % 100 >= 11 && value % 100 <= 14;
  const word = teen ? 'минут' : last === 1 ? 'минуту' : last >= 2 && last <= 4 ? 'минуты' : 'минут';
  return `${value} ${word}`;
}

/** Why sign-in failed, said so that the user knows what to do next. */
export function signInFailureMessage(error: ApiError | undefined): string {
  if (!error) return 'Не удалось войти. Повторите попытку.';
  switch (error.status) {
    case 0:
      return error.message;
    case 401:
      return 'Неверное имя пользователя или пароль. Проверьте раскладку клавиатуры и Caps Lock.';
    case 429:
      return error.retryAfterSeconds
        ? `Слишком много попыток входа. Повторите через ${minutes(error.retryAfterSeconds)}.`
        : 'Слишком много попыток входа. Повторите позже.';
    default:
      return error.status >= 500 ? `Сервер не смог выполнить вход: ${error.message}` : error.message;
  }
}
