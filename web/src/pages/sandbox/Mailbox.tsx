import { useEffect, useState } from 'react';
import { Button, Input, Modal } from '@skbkontur/react-ui';
import { fetchCaughtMail, fetchMailbox } from '../../api/sandbox.ts';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { modalWidth } from '../../components/modalWidth.ts';
import { formatDateTime } from '../../format/dateTime.ts';
import { useApiData } from '../../hooks/useApiData.ts';

const REFRESH_MS = 3000;

/** What the sandbox's SMTP mail catcher received, newest first; a message opens with its text and HTML. */
export function Mailbox() {
  const [to, setTo] = useState('');
  const filter = to.includes('@') ? to.trim() : undefined;
  const mailbox = useApiData(() => fetchMailbox(filter), [filter]);
  const [open, setOpen] = useState<string>();

  useEffect(() => {
    const timer = setInterval(mailbox.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [mailbox.reload]);

  return (
    <section className="section" aria-labelledby="mailbox-title">
      <div className="section-toolbar">
        <h2 id="mailbox-title" className="section__title">
          Почта
        </h2>
        <div className="sms-filter">
          <label htmlFor="mailbox-to" className="visually-hidden">
            Адрес получателя
          </label>
          <Input id="mailbox-to" type="email" width="100%" placeholder="Фильтр по адресу получателя" value={to} onValueChange={setTo} />
        </div>
      </div>
      <p className="muted small">
        Письма, которые модуль отправил через SMTP-перехватчик песочницы{mailbox.data ? ` (${mailbox.data.smtp.host}:${mailbox.data.smtp.port})` : ''}. Обновляется автоматически.
      </p>
      {mailbox.error && !mailbox.data && <LoadFailure error={mailbox.error} onRetry={mailbox.reload} />}
      {!mailbox.data && !mailbox.error && <LoadingBlock />}
      {mailbox.data && mailbox.data.messages.length === 0 && <p className="muted">Писем пока нет.</p>}
      {mailbox.data && mailbox.data.messages.length > 0 && (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Принятые письма</caption>
          <thead>
            <tr>
              <th scope="col">Тема</th>
              <th scope="col">Кому</th>
              <th scope="col">Получено</th>
            </tr>
          </thead>
          <tbody>
            {mailbox.data.messages.slice(0, 30).map((mail) => (
              <tr key={mail.id} data-testid="caught-mail">
                <th scope="row" data-label="Тема">
                  <Button use="link" onClick={() => setOpen(mail.id)}>
                    {mail.subject || '(без темы)'}
                  </Button>
                </th>
                <td data-label="Кому" className="break">
                  {mail.envelopeTo.join(', ')}
                </td>
                <td data-label="Получено" className="nowrap">
                  {formatDateTime(mail.receivedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <CaughtMailModal id={open} onClose={() => setOpen(undefined)} />}
    </section>
  );
}

function CaughtMailModal({ id, onClose }: { id: string; onClose(): void }) {
  const mail = useApiData(() => fetchCaughtMail(id), [id]);
  const [view, setView] = useState<'text' | 'html'>('text');
  return (
    <Modal onClose={onClose} width={modalWidth(760)} aria-labelledby="caught-mail-title">
      <Modal.Header>
        <span id="caught-mail-title">{mail.data?.subject || 'Письмо'}</span>
      </Modal.Header>
      <Modal.Body>
        {mail.error && <LoadFailure error={mail.error} onRetry={mail.reload} />}
        {!mail.data && !mail.error && <LoadingBlock />}
        {mail.data && (
          <div data-testid="caught-mail-body">
            <dl className="facts">
              <dt>От</dt>
              <dd>{mail.data.from ?? mail.data.envelopeFrom ?? '—'}</dd>
              <dt>Кому</dt>
              <dd>{mail.data.to ?? mail.data.envelopeTo.join(', ')}</dd>
              <dt>Получено</dt>
              <dd>{formatDateTime(mail.data.receivedAt)}</dd>
            </dl>
            {mail.data.html && (
              <p>
                <Button use="link" onClick={() => setView(view === 'text' ? 'html' : 'text')}>
                  {view === 'text' ? 'Показать HTML-версию' : 'Показать текст'}
                </Button>
              </p>
            )}
            {view === 'html' && mail.data.html ? (
              // The HTML is shown in a frame with every permission off (no scripts, no forms, its own origin).
              <iframe className="mail-html" title="HTML-версия письма" sandbox="" srcDoc={mail.data.html} />
            ) : (
              <pre className="mail-text">{mail.data.text ?? ''}</pre>
            )}
          </div>
        )}
      </Modal.Body>
    </Modal>
  );
}
