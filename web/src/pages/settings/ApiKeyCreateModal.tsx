import { useState, type FormEvent } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Gapped, Input, Modal, Select } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { createApiKey } from '../../api/apiKeys.ts';
import { fetchUsers } from '../../api/users.ts';
import type { CreatedApiKey } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField, describedBy } from '../../components/FormField.tsx';
import { ROLE_LABELS } from '../../domain/roles.ts';
import { useApiData } from '../../hooks/useApiData.ts';

export function ApiKeyCreateModal({ onClose, onCreated }: { onClose(): void; onCreated(key: CreatedApiKey): void }) {
  const users = useApiData(fetchUsers, []);
  const [userId, setUserId] = useState<string>();
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError>();
  const [missing, setMissing] = useState<{ userId?: string; name?: string }>({});
  const [busy, setBusy] = useState(false);
  const items: [string, string][] = (users.data ?? [])
    .filter((user) => !user.disabled)
    .map((user) => [user.id, `${user.displayName || user.username} (${user.username}, ${ROLE_LABELS[user.role].toLowerCase()})`]);
  const messageFor = (field: 'userId' | 'name') => missing[field] ?? error?.forField(field);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = { userId: userId ? undefined : 'Выберите пользователя', name: name.trim() ? undefined : 'Назовите ключ, например по системе, которая будет им пользоваться' };
    setMissing(problems);
    setError(undefined);
    if (problems.userId || problems.name || !userId) return;
    setBusy(true);
    try {
      onCreated(await createApiKey(userId, name.trim()));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal onClose={onClose} width={modalWidth(520)} aria-labelledby="api-key-create-title">
      <form onSubmit={submit} noValidate>
        <Modal.Header>
          <span id="api-key-create-title">Новый API-ключ</span>
        </Modal.Header>
        <Modal.Body>
          <div className="form">
            <ErrorBanner error={error} shownFields={['userId', 'name']} />
            <FormField id="api-key-user" label="Пользователь" required error={messageFor('userId')} hint="Ключ получит права этого пользователя">
              <Select<string, string>
                id="api-key-user"
                width="100%"
                search
                placeholder={users.loading ? 'Загрузка…' : 'Выберите'}
                items={items}
                value={userId}
                onValueChange={setUserId}
                error={Boolean(messageFor('userId'))}
                aria-describedby={describedBy('api-key-user', messageFor('userId'), true)}
              />
            </FormField>
            <FormField id="api-key-name" label="Название" required error={messageFor('name')} hint="Например, «СЭД Канцелярия»">
              <Input
                id="api-key-name"
                width="100%"
                value={name}
                onValueChange={setName}
                error={Boolean(messageFor('name'))}
                aria-describedby={describedBy('api-key-name', messageFor('name'), true)}
              />
            </FormField>
          </div>
        </Modal.Body>
        <Modal.Footer panel>
          <Gapped gap={8}>
            <Button type="submit" use="primary" loading={busy}>
              Создать
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
