import { useState } from 'react';
import { Button, Toast } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { fetchApiKeys, revokeApiKey } from '../../api/apiKeys.ts';
import type { ApiKey, CreatedApiKey } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { formatDateTime } from '../../format/dateTime.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { ApiKeyCreateModal } from './ApiKeyCreateModal.tsx';
import { ApiKeyRevokeModal } from './ApiKeyRevokeModal.tsx';
import { CreatedApiKeyModal } from './CreatedApiKeyModal.tsx';

/** Long-lived keys for integrations (document systems calling the REST API). */
export function ApiKeysSection() {
  const keys = useApiData(fetchApiKeys, []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey>();
  const [revoking, setRevoking] = useState<ApiKey>();
  const [error, setError] = useState<ApiError>();

  const revoke = async (key: ApiKey) => {
    setError(undefined);
    try {
      await revokeApiKey(key.id);
      Toast.push(`Ключ «${key.name ?? key.id}» отозван`);
      keys.reload();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setRevoking(undefined);
    }
  };

  if (keys.error && !keys.data) return <LoadFailure error={keys.error} onRetry={keys.reload} />;
  if (!keys.data) return <LoadingBlock />;
  return (
    <section aria-labelledby="api-keys-title">
      <div className="section-toolbar">
        <h2 id="api-keys-title" className="section__title">
          API-ключи
        </h2>
        <Button use="primary" onClick={() => setCreating(true)}>
          Создать ключ
        </Button>
      </div>
      <p className="muted">
        Интеграции передают ключ в заголовке <span className="mono">Authorization: Bearer …</span>. Ключ действует с правами своего пользователя, пока его не отзовут.
      </p>
      <ErrorBanner error={error} />
      {keys.data.length === 0 ? (
        <p className="muted">Ключей пока нет.</p>
      ) : (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">API-ключи</caption>
          <thead>
            <tr>
              <th scope="col">Название</th>
              <th scope="col">Пользователь</th>
              <th scope="col">Создан</th>
              <th scope="col">Последнее использование</th>
              <th scope="col">Состояние</th>
              <th scope="col">
                <span className="visually-hidden">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <th scope="row" data-label="Название">
                  {key.name ?? '—'}
                </th>
                <td data-label="Пользователь" className="mono">
                  {key.username}
                </td>
                <td data-label="Создан">{formatDateTime(key.createdAt)}</td>
                <td data-label="Использован">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'не использовался'}</td>
                <td data-label="Состояние">
                  {key.revokedAt ? <span className="badge badge_neutral">Отозван {formatDateTime(key.revokedAt)}</span> : <span className="badge badge_success">Действует</span>}
                </td>
                <td className="data-table__actions">
                  {!key.revokedAt && (
                    <Button size="small" use="danger" onClick={() => setRevoking(key)} aria-label={`Отозвать ключ «${key.name ?? key.id}»`}>
                      Отозвать
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && (
        <ApiKeyCreateModal
          onClose={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      )}
      {created && <CreatedApiKeyModal apiKey={created} onClose={() => setCreated(undefined)} />}
      {revoking && <ApiKeyRevokeModal apiKey={revoking} onCancel={() => setRevoking(undefined)} onConfirm={() => revoke(revoking)} />}
    </section>
  );
}
