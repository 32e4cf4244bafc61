import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Toast } from '@skbkontur/react-ui';
import { updateUser } from '../../api/users.ts';
import { fetchUsers } from '../../api/users.ts';
import type { User } from '../../api/types.ts';
import { ApiError } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { ROLE_LABELS } from '../../domain/roles.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useSession } from '../../session/SessionContext.ts';
import { UserFormModal } from './UserFormModal.tsx';

/** Who may sign in and with which role; employee users are tied to their employee card. */
export function UsersSection() {
  const { user: me } = useSession();
  const users = useApiData(fetchUsers, []);
  const [editing, setEditing] = useState<User | 'new'>();
  const [toggling, setToggling] = useState<string>();
  const [error, setError] = useState<ApiError>();

  const toggleDisabled = async (user: User) => {
    setToggling(user.id);
    setError(undefined);
    try {
      await updateUser(user.id, { disabled: !user.disabled });
      Toast.push(user.disabled ? `Пользователь ${user.username} включён` : `Пользователь ${user.username} отключён`);
      users.reload();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setToggling(undefined);
    }
  };

  if (users.error && !users.data) return <LoadFailure error={users.error} onRetry={users.reload} />;
  if (!users.data) return <LoadingBlock />;
  return (
    <section aria-labelledby="users-title">
      <div className="section-toolbar">
        <h2 id="users-title" className="section__title">
          Пользователи
        </h2>
        <Button use="primary" onClick={() => setEditing('new')}>
          Добавить пользователя
        </Button>
      </div>
      <ErrorBanner error={error} />
      <table className="data-table data-table_stacking">
        <caption className="visually-hidden">Пользователи</caption>
        <thead>
          <tr>
            <th scope="col">Пользователь</th>
            <th scope="col">Роль</th>
            <th scope="col">Карточка сотрудника</th>
            <th scope="col">Состояние</th>
            <th scope="col">
              <span className="visually-hidden">Действия</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data.map((user) => (
            <tr key={user.id}>
              <th scope="row" data-label="Пользователь">
                {user.displayName || user.username}
                <div className="muted small mono">{user.username}</div>
              </th>
              <td data-label="Роль">
                {ROLE_LABELS[user.role]}
                {user.serviceAccount && <div className="muted small">сервисная учётная запись</div>}
              </td>
              <td data-label="Карточка">{user.employeeId ? <Link to={`/employees/${user.employeeId}`}>{user.employeeName ?? 'Карточка сотрудника'}</Link> : '—'}</td>
              <td data-label="Состояние">
                {user.disabled ? <span className="badge badge_error">Отключён</span> : <span className="badge badge_success">Активен</span>}
                <div className="muted small">{user.mailNotifications ? 'Уведомления по почте включены' : 'Уведомления по почте отключены'}</div>
              </td>
              <td className="data-table__actions">
                <Button size="small" onClick={() => setEditing(user)} aria-label={`Изменить пользователя ${user.username}`}>
                  Изменить
                </Button>{' '}
                {user.id !== me.id && (
                  <Button size="small" use="text" loading={toggling === user.id} onClick={() => toggleDisabled(user)}>
                    {user.disabled ? 'Включить' : 'Отключить'}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <UserFormModal
          user={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            Toast.push(editing === 'new' ? `Пользователь ${saved.username} создан` : 'Изменения сохранены');
            users.reload();
          }}
        />
      )}
    </section>
  );
}
