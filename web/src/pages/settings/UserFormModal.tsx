import { useState, type FormEvent } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Checkbox, Gapped, Input, Modal, PasswordInput, Select } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { createUser, updateUser, type UserChange } from '../../api/users.ts';
import type { Role, User } from '../../api/types.ts';
import { EmployeePicker } from '../../components/EmployeePicker.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField, describedBy } from '../../components/FormField.tsx';
import { ROLE_LABELS } from '../../domain/roles.ts';

const ROLE_ITEMS: [Role, string][] = (Object.keys(ROLE_LABELS) as Role[]).map((role) => [role, ROLE_LABELS[role]]);
const ROLE_HINTS: Record<Role, string> = {
  admin: 'Настройки, пользователи, API-ключи, журнал и всё, что может оператор',
  operator: 'Справочник сотрудников и заявки на сертификаты',
  employee: 'Только своя карточка и подписание своих документов',
  sandbox: 'Только консоль встроенной песочницы: СМС-коды, решения оператора УЦ, сбои',
};
const FIELDS = ['username', 'displayName', 'role', 'password', 'employeeId', 'serviceAccount'];

export interface UserFormModalProps {
  /** Absent for a new user. */
  user?: User;
  onClose(): void;
  onSaved(user: User): void;
}

export function UserFormModal({ user, onClose, onSaved }: UserFormModalProps) {
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'operator');
  const [password, setPassword] = useState('');
  const [employeeId, setEmployeeId] = useState<string | null>(user?.employeeId ?? null);
  const [serviceAccount, setServiceAccount] = useState(user?.serviceAccount ?? false);
  const [error, setError] = useState<ApiError>();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const messageFor = (field: string) => localErrors[field] ?? error?.forField(field);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!user && !username.trim()) problems.username = 'Введите имя для входа';
    if (!user && !serviceAccount && !password) problems.password = 'Задайте пароль';
    if (role === 'employee' && !employeeId) problems.employeeId = 'Выберите карточку сотрудника: пользователь увидит только её';
    setLocalErrors(problems);
    setError(undefined);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const linkedEmployee = role === 'employee' ? employeeId : null;
      if (user) {
        const change: UserChange = {};
        if (displayName !== user.displayName) change.displayName = displayName;
        if (role !== user.role) change.role = role;
        if (password) change.password = password;
        if (linkedEmployee !== user.employeeId) change.employeeId = linkedEmployee;
        onSaved(Object.keys(change).length ? await updateUser(user.id, change) : user);
      } else {
        onSaved(
          await createUser({
            username: username.trim(),
            displayName: displayName.trim() || undefined,
            role,
            password: serviceAccount ? undefined : password,
            employeeId: linkedEmployee,
            serviceAccount,
          }),
        );
      }
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setBusy(false);
    }
  };

  const field = (name: string) => ({ id: `user-${name}`, error: messageFor(name) });
  return (
    <Modal onClose={onClose} width={modalWidth(560)} aria-labelledby="user-form-title">
      <form onSubmit={submit} noValidate>
        <Modal.Header>
          <span id="user-form-title">{user ? `Пользователь ${user.username}` : 'Новый пользователь'}</span>
        </Modal.Header>
        <Modal.Body>
          <div className="form">
            <ErrorBanner error={error} shownFields={FIELDS} />
            <FormField {...field('username')} label="Имя для входа" required={!user}>
              <Input
                id="user-username"
                width="100%"
                autoComplete="off"
                value={username}
                onValueChange={setUsername}
                disabled={Boolean(user)}
                error={Boolean(messageFor('username'))}
                aria-describedby={describedBy('user-username', messageFor('username'), undefined)}
              />
            </FormField>
            <FormField {...field('displayName')} label="Имя в интерфейсе" hint="Например, «Иванова Мария, отдел кадров»">
              <Input id="user-displayName" width="100%" value={displayName} onValueChange={setDisplayName} error={Boolean(messageFor('displayName'))} />
            </FormField>
            <FormField {...field('role')} label="Роль" hint={ROLE_HINTS[role]}>
              <Select<Role, string> id="user-role" width="100%" items={ROLE_ITEMS} value={role} onValueChange={setRole} error={Boolean(messageFor('role'))} />
            </FormField>
            {role === 'employee' && (
              <FormField {...field('employeeId')} label="Карточка сотрудника" required>
                <EmployeePicker
                  id="user-employeeId"
                  value={employeeId}
                  onChange={setEmployeeId}
                  error={Boolean(messageFor('employeeId'))}
                  describedBy={describedBy('user-employeeId', messageFor('employeeId'), undefined)}
                />
              </FormField>
            )}
            {!user && (
              <div className="form-field">
                <Checkbox checked={serviceAccount} onValueChange={setServiceAccount}>
                  Сервисная учётная запись: без пароля, только для API-ключей
                </Checkbox>
              </div>
            )}
            {!(serviceAccount || user?.serviceAccount) && (
              <FormField {...field('password')} label={user ? 'Новый пароль' : 'Пароль'} required={!user} hint={user ? 'Оставьте пустым, чтобы не менять' : undefined}>
                <PasswordInput
                  id="user-password"
                  width="100%"
                  autoComplete="new-password"
                  value={password}
                  onValueChange={setPassword}
                  error={Boolean(messageFor('password'))}
                  aria-describedby={describedBy('user-password', messageFor('password'), user ? 'hint' : undefined)}
                />
              </FormField>
            )}
          </div>
        </Modal.Body>
        <Modal.Footer panel>
          <Gapped gap={8}>
            <Button type="submit" use="primary" loading={busy}>
              {user ? 'Сохранить' : 'Создать'}
            </Button>
            <Button onClick={onClose} disabled={busy}>
              Отмена
            </Button>
          </Gapped>
        </Modal.Footer>
      </form>
    </Modal>
  );
}
