import { useEffect, useState } from 'react';
import { Input } from '@skbkontur/react-ui';
import { fetchSmsOutbox } from '../../api/sandbox.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { formatDateTime } from '../../format/dateTime.ts';
import { formatPhone } from '../../format/phone.ts';
import { useApiData } from '../../hooks/useApiData.ts';

const REFRESH_MS = 2000;

const PURPOSE_NAMES: Record<string, string> = {
  signingReleaseStatement: 'Подписание заявления на выпуск',
  cloudSign: 'Облачная подпись документа',
};

/** SMS the sandbox «sent», newest first, refreshed every two seconds. */
export function SmsOutbox() {
  const [phone, setPhone] = useState('');
  const digits = phone.replace(/\D/g, '');
  const filter = digits.length >= 10 ? phone : undefined;
  const outbox = useApiData(() => fetchSmsOutbox(filter), [filter]);

  useEffect(() => {
    const timer = setInterval(outbox.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [outbox.reload]);

  return (
    <section className="section" aria-labelledby="sms-title">
      <div className="section-toolbar">
        <h2 id="sms-title" className="section__title">
          СМС
        </h2>
        <div className="sms-filter">
          <label htmlFor="sms-phone" className="visually-hidden">
            Телефон
          </label>
          <Input id="sms-phone" type="tel" width="100%" placeholder="Фильтр по телефону" value={phone} onValueChange={setPhone} />
        </div>
      </div>
      <p className="muted small">Обновляется автоматически.</p>
      {outbox.error && !outbox.data && <LoadFailure error={outbox.error} onRetry={outbox.reload} />}
      {!outbox.data && !outbox.error && <LoadingBlock />}
      {outbox.data && outbox.data.length === 0 && <p className="muted">СМС пока не отправлялись.</p>}
      {outbox.data && outbox.data.length > 0 && (
        <table className="data-table data-table_stacking sms-table">
          <caption className="visually-hidden">Отправленные СМС</caption>
          <thead>
            <tr>
              <th scope="col">Код</th>
              <th scope="col">Телефон</th>
              <th scope="col">Текст</th>
              <th scope="col">Отправлено</th>
            </tr>
          </thead>
          <tbody>
            {outbox.data.slice(0, 30).map((message) => (
              <tr key={message.id}>
                <th scope="row" data-label="Код" className="mono sms-table__code" data-testid="sms-code">
                  {message.code ?? '—'}
                </th>
                <td data-label="Телефон" className="nowrap" data-testid="sms-phone">
                  {formatPhone(message.phone)}
                </td>
                <td data-label="Текст">
                  {message.text}
                  {PURPOSE_NAMES[message.purpose] && <div className="muted small">{PURPOSE_NAMES[message.purpose]}</div>}
                </td>
                <td data-label="Отправлено">{formatDateTime(message.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
