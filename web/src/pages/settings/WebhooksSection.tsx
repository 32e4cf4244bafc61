import { useState } from 'react';
import { Button, Gapped, Toast } from '@skbkontur/react-ui';
import { deleteWebhook, fetchWebhooks, updateWebhook } from '../../api/webhooks.ts';
import type { Webhook } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { WEBHOOK_EVENT_NAMES } from '../../domain/webhookEvents.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { WebhookDeliveries } from './WebhookDeliveries.tsx';
import { WebhookFormModal } from './WebhookFormModal.tsx';

/** Addresses told about issue events (signed with HMAC), with their recent deliveries. */
export function WebhooksSection() {
  const webhooks = useApiData(fetchWebhooks, []);
  const [editing, setEditing] = useState<Webhook | 'new'>();
  const [removing, setRemoving] = useState<Webhook>();
  const [deliveriesOf, setDeliveriesOf] = useState<string>();
  const [secret, setSecret] = useState<{ url: string; secret: string }>();
  const action = useAction();

  const toggle = async (webhook: Webhook) => {
    if (await action.run(() => updateWebhook(webhook.id, { active: !webhook.active }))) webhooks.reload();
  };
  const remove = async () => {
    if (!removing) return;
    if (await action.run(async () => (await deleteWebhook(removing.id), true))) {
      Toast.push('Вебхук удалён');
      setRemoving(undefined);
      webhooks.reload();
    }
  };

  return (
    <section aria-labelledby="webhooks-title">
      <div className="section-toolbar">
        <h2 id="webhooks-title" className="section__title">
          Вебхуки
        </h2>
        <Button use="primary" onClick={() => setEditing('new')}>
          Добавить вебхук
        </Button>
      </div>
      <p className="muted">
        Сервер отправляет POST с JSON о событии заявки; подпись в заголовке X-KCA-Signature (HMAC-SHA256 секретом вебхука). Недоставленные события
        отправляются повторно.
      </p>
      {secret && (
        <div className="info-banner" role="status">
          <p>
            Секрет вебхука {secret.url} — сохраните его сейчас, он больше не будет показан:
          </p>
          <p className="mono break" data-testid="webhook-secret">
            {secret.secret}
          </p>
          <Button size="small" onClick={() => setSecret(undefined)}>
            Готово
          </Button>
        </div>
      )}
      <ErrorBanner error={action.error} />
      {webhooks.error && !webhooks.data && <LoadFailure error={webhooks.error} onRetry={webhooks.reload} />}
      {!webhooks.data && webhooks.loading && <LoadingBlock />}
      {webhooks.data && webhooks.data.length === 0 && <p className="muted">Вебхуков нет.</p>}
      {webhooks.data && webhooks.data.length > 0 && (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Вебхуки</caption>
          <thead>
            <tr>
              <th scope="col">Адрес</th>
              <th scope="col">События</th>
              <th scope="col">Состояние</th>
              <th scope="col">
                <span className="visually-hidden">Действия</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.data.map((webhook) => (
              <tr key={webhook.id}>
                <th scope="row" data-label="Адрес" className="break">
                  {webhook.url}
                </th>
                <td data-label="События">{webhook.events.length === 0 ? 'Все события' : webhook.events.map((event) => WEBHOOK_EVENT_NAMES[event] ?? event).join(', ')}</td>
                <td data-label="Состояние">
                  {webhook.active ? <span className="badge badge_success">Включён</span> : <span className="badge badge_neutral">Выключен</span>}
                </td>
                <td className="data-table__actions">
                  <Gapped gap={4} wrap>
                    <Button size="small" onClick={() => setDeliveriesOf(deliveriesOf === webhook.id ? undefined : webhook.id)} aria-expanded={deliveriesOf === webhook.id}>
                      Доставки
                    </Button>
                    <Button size="small" onClick={() => setEditing(webhook)} aria-label={`Изменить вебхук ${webhook.url}`}>
                      Изменить
                    </Button>
                    <Button size="small" use="text" onClick={() => toggle(webhook)}>
                      {webhook.active ? 'Выключить' : 'Включить'}
                    </Button>
                    <Button size="small" use="text" onClick={() => setRemoving(webhook)} aria-label={`Удалить вебхук ${webhook.url}`}>
                      Удалить
                    </Button>
                  </Gapped>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deliveriesOf && <WebhookDeliveries webhookId={deliveriesOf} />}
      {editing && (
        <WebhookFormModal
          webhook={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            if ('secret' in saved) setSecret({ url: saved.url, secret: saved.secret });
            else Toast.push('Вебхук сохранён');
            webhooks.reload();
          }}
        />
      )}
      {removing && (
        <ConfirmModal title="Удалить вебхук?" confirmLabel="Удалить" busy={action.busy} error={action.error} onConfirm={remove} onClose={() => setRemoving(undefined)}>
          <p>На адрес {removing.url} больше не будут отправляться события.</p>
        </ConfirmModal>
      )}
    </section>
  );
}
