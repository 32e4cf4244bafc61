import { fetchWebhookDeliveries } from '../../api/webhooks.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { DELIVERY_STATE_NAMES, WEBHOOK_EVENT_NAMES } from '../../domain/webhookEvents.ts';
import { formatDateTime } from '../../format/dateTime.ts';
import { useApiData } from '../../hooks/useApiData.ts';

/** The recent deliveries of one webhook: what was sent, how many tries, the receiver's answer. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useApiData(() => fetchWebhookDeliveries(webhookId), [webhookId]);
  return (
    <section className="section" aria-labelledby="deliveries-title">
      <h3 id="deliveries-title" className="step-form__title">
        Последние доставки
      </h3>
      {deliveries.error && <LoadFailure error={deliveries.error} onRetry={deliveries.reload} />}
      {!deliveries.data && deliveries.loading && <LoadingBlock />}
      {deliveries.data && deliveries.data.length === 0 && <p className="muted">Событий ещё не было.</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Доставки вебхука</caption>
          <thead>
            <tr>
              <th scope="col">Событие</th>
              <th scope="col">Состояние</th>
              <th scope="col">Попыток</th>
              <th scope="col">Ответ</th>
              <th scope="col">Создано</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.map((delivery) => (
              <tr key={delivery.id}>
                <th scope="row" data-label="Событие">
                  {WEBHOOK_EVENT_NAMES[delivery.eventType] ?? delivery.eventType}
                </th>
                <td data-label="Состояние">
                  <span className={delivery.state === 'delivered' ? 'badge badge_success' : delivery.state === 'failed' ? 'badge badge_error' : 'badge badge_warning'}>
                    {DELIVERY_STATE_NAMES[delivery.state] ?? delivery.state}
                  </span>
                </td>
                <td data-label="Попыток">{delivery.attempts}</td>
                <td data-label="Ответ" className="break">
                  {delivery.lastStatus ?? '—'}
                  {delivery.lastError && <div className="small error-text">{delivery.lastError}</div>}
                </td>
                <td data-label="Создано">{formatDateTime(delivery.deliveredAt ?? delivery.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
