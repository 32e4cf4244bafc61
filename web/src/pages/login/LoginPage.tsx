import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { Button, Input, PasswordInput } from '@skbkontur/react-ui';
import { signIn } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { FormField, describedBy } from '../../components/FormField.tsx';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useSessionState } from '../../session/SessionContext.ts';
import { homePathFor } from '../../shell/navigationItems.ts';
import { signInFailureMessage } from './signInFailureMessage.ts';

/** Only paths inside the client are followed after sign-in. */
function safeReturnPath(from: string | null): string | undefined {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : undefined;
}

export function LoginPage() {
  usePageTitle('Вход');
  const { session, endedBecause, signedIn } = useSessionState();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (session) return <Navigate to={safeReturnPath(params.get('from')) ?? homePathFor(session.user)} replace />;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const empty = {
      username: username.trim() ? undefined : 'Введите имя пользователя',
      password: password ? undefined : 'Введите пароль',
    };
    setMissing(empty);
    setFailure(undefined);
    if (empty.username || empty.password) return;
    setBusy(true);
    try {
      const user = await signIn(username.trim(), password);
      signedIn(user);
      navigate(safeReturnPath(params.get('from')) ?? homePathFor(user), { replace: true });
    } catch (error) {
      setFailure(signInFailureMessage(error instanceof ApiError ? error : undefined));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="login__card" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
        <div className="login__brand" aria-hidden="true">
          <span className="shell__logo">К</span> Контур УЦ <span className="shell__brand-suffix">интеграция</span>
        </div>
        <h1 id="login-title" className="login__title">
          Вход
        </h1>
        {endedBecause === 'expired' && !failure && (
          <div className="info-banner" role="status">
            Сеанс завершён: войдите снова, чтобы продолжить.
          </div>
        )}
        {failure && (
          <div className="error-banner" role="alert">
            {failure}
          </div>
        )}
        <FormField id="login-username" label="Имя пользователя" error={missing.username}>
          <Input
            id="login-username"
            name="username"
            autoComplete="username"
            autoFocus
            width="100%"
            value={username}
            onValueChange={setUsername}
            error={Boolean(missing.username)}
            aria-describedby={describedBy('login-username', missing.username, undefined)}
          />
        </FormField>
        <FormField id="login-password" label="Пароль" error={missing.password}>
          <PasswordInput
            id="login-password"
            name="password"
            autoComplete="current-password"
            width="100%"
            value={password}
            onValueChange={setPassword}
            error={Boolean(missing.password)}
            aria-describedby={describedBy('login-password', missing.password, undefined)}
          />
        </FormField>
        <Button type="submit" use="primary" size="medium" width="100%" loading={busy}>
          Войти
        </Button>
      </form>
    </div>
  );
}
