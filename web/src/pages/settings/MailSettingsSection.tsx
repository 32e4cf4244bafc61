import { useEffect, useState, type FormEvent } from 'react';
import { Button, Gapped, Input, PasswordInput, Select, Toast } from '@skbkontur/react-ui';
import { fetchMailSettings, fetchOutbox, resetMailSettings, saveMailSettings, sendTestMail, type MailKind, type MailSettings, type MailSettingsChange, type OutboxMail, type SmtpSecurity } from '../../api/mail.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { formatDateTime } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';

const SECURITY_ITEMS: [SmtpSecurity, string][] = [
  ['starttls', 'STARTTLS (обычно порт 587)'],
  ['tls', 'TLS сразу (порт 465)'],
  ['none', 'Без шифрования'],
];

const KIND_NAMES: Record<MailKind, string> = {
  issueCorrection: 'Заявка на исправлении',
  certificateReleased: 'Сертификат выпущен',
  signingCodeWaiting: 'Подпись ждёт кода',
  certificateExpiring: 'Срок сертификата',
  test: 'Проверочное',
};

const STATE_BADGES: Record<OutboxMail['state'], [string, string]> = {
  pending: ['Ожидает отправки', 'warning'],
  sent: ['Отправлено', 'success'],
  failed: ['Не отправлено', 'error'],
};

type Draft = { host: string; port: string; security: SmtpSecurity; user: string; password: string; from: string };
const FIELDS = ['host', 'port', 'security', 'user', 'password', 'from'] as const;

function draftOf(settings: MailSettings): Draft {
  const stored = settings.source === 'stored';
  return { host: stored ? settings.host : '', port: stored ? String(settings.port) : '', security: stored ? settings.security : 'starttls', user: stored ? settings.user : '', password: '', from: stored ? settings.from : '' };
}

function changeOf(draft: Draft, settings: MailSettings): MailSettingsChange {
  const stored = draftOf(settings);
  const change: MailSettingsChange = {};
  for (const field of FIELDS) {
    const value = draft[field].trim();
    if (field === 'password' ? value !== '' : value !== stored[field]) (change as Record<string, string>)[field] = value;
  }
  return change;
}

/** The SMTP server notices go through (the password is write-only), a test send, and the outbox with failures and their errors. */
export function MailSettingsSection() {
  const settings = useApiData(fetchMailSettings, []);
  const outbox = useApiData(fetchOutbox, []);
  const [draft, setDraft] = useState<Draft>();
  const [testTo, setTestTo] = useState('');
  const saving = useAction();
  const resetting = useAction();
  const testing = useAction();

  useEffect(() => {
    if (settings.data) setDraft(draftOf(settings.data));
  }, [settings.data]);

  if (settings.error && !settings.data) return <LoadFailure error={settings.error} onRetry={settings.reload} />;
  if (!settings.data || !draft) return <LoadingBlock />;
  const current = settings.data;
  const change = changeOf(draft, current);
  const changed = Object.keys(change).length > 0;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await saving.run(() => saveMailSettings(change));
    if (saved) {
      settings.replace(saved);
      Toast.push('Настройки почты сохранены');
    }
  };
  const reset = async () => {
    const saved = await resetting.run(() => resetMailSettings());
    if (saved) {
      settings.replace(saved);
      Toast.push('Настройки почты сброшены');
    }
  };
  const test = async (event: FormEvent) => {
    event.preventDefault();
    if (await testing.run(() => sendTestMail(testTo.trim()))) {
      Toast.push('Письмо поставлено в очередь: результат — в журнале ниже');
      outbox.reload();
      // The mail job sends it within a second or two.
      setTimeout(outbox.reload, 2000);
    }
  };

  const field = (name: (typeof FIELDS)[number], label: string, control: (id: string, message: string | undefined, hint: string | undefined) => JSX.Element, hint?: string) => {
    const id = `mail-${name}`;
    const message = saving.error?.forField(name);
    return (
      <FormField id={id} label={label} error={message} hint={hint}>
        {control(id, message, hint)}
      </FormField>
    );
  };
  const text = (name: Exclude<(typeof FIELDS)[number], 'security' | 'password'>, placeholder?: string) => (id: string, message: string | undefined, hint: string | undefined) => (
    <Input
      id={id}
      width="100%"
      placeholder={placeholder}
      value={draft[name]}
      onValueChange={(value) => setDraft({ ...draft, [name]: value })}
      error={Boolean(message)}
      aria-invalid={Boolean(message)}
      aria-describedby={describedBy(id, message, hint)}
    />
  );

  return (
    <>
      <form className="form mail-settings__form" onSubmit={save} noValidate aria-label="Настройки почты">
        <h2 className="section__title">Почта для уведомлений</h2>
        <p className="muted">
          Письма о возврате заявки на исправление, выпуске сертификата, подписи, ждущей кода из СМС, и об истечении срока сертификата. Они уходят на
          электронную почту из карточки сотрудника, связанной с пользователем; каждый пользователь может отключить их для себя (его имя в правом верхнем углу открывает страницу «Уведомления по почте»).
        </p>
        {current.source === 'sandbox' && (
          <div className="info-banner" data-testid="mail-source">
            SMTP-сервер не задан: письма принимает встроенный перехватчик почты песочницы ({current.host}:{current.port}), их видно в консоли песочницы.
          </div>
        )}
        {current.source === 'none' && (
          <div className="info-banner" data-testid="mail-source">
            Почта не настроена: уведомления не отправляются, пока не указан SMTP-сервер.
          </div>
        )}
        <ErrorBanner error={saving.error} shownFields={FIELDS} />
        {field('host', 'SMTP-сервер', text('host', 'smtp.example.ru'), 'Имя хоста или IP-адрес. Пустое поле — вернуть значение по умолчанию')}
        {field('port', 'Порт', text('port', '587'))}
        {field('security', 'Шифрование', (id, message, hint) => (
          <Select<SmtpSecurity, string>
            id={id}
            width="100%"
            items={SECURITY_ITEMS}
            value={draft.security}
            onValueChange={(value) => setDraft({ ...draft, security: value })}
            error={Boolean(message)}
            aria-describedby={describedBy(id, message, hint)}
          />
        ))}
        {field('user', 'Имя пользователя', text('user'), 'Пусто — без авторизации')}
        {field(
          'password',
          'Пароль',
          (id, message, hint) => (
            <PasswordInput
              id={id}
              width="100%"
              autoComplete="new-password"
              placeholder={current.passwordSet ? 'Сохранён; введите новый, чтобы заменить' : 'Не задан'}
              value={draft.password}
              onValueChange={(value) => setDraft({ ...draft, password: value })}
              error={Boolean(message)}
              aria-describedby={describedBy(id, message, hint)}
            />
          ),
          'Хранится зашифрованным и не показывается',
        )}
        {field('from', 'Адрес отправителя', text('from', 'ca@example.ru'))}
        <Gapped gap={12}>
          <Button type="submit" use="primary" loading={saving.busy} disabled={!changed}>
            Сохранить
          </Button>
          {current.source === 'stored' && (
            <Button onClick={reset} loading={resetting.busy}>
              Сбросить настройки почты
            </Button>
          )}
        </Gapped>
        <ErrorBanner error={resetting.error} />
      </form>

      <form className="form mail-settings__form" onSubmit={test} noValidate aria-label="Проверочное письмо">
        <h2 className="section__title">Проверка</h2>
        <FormField id="mail-test-to" label="Кому отправить проверочное письмо" error={testing.error?.forField('to')}>
          <Input
            id="mail-test-to"
            type="email"
            width="100%"
            placeholder="admin@example.ru"
            value={testTo}
            onValueChange={setTestTo}
            error={Boolean(testing.error?.forField('to'))}
            aria-describedby={describedBy('mail-test-to', testing.error?.forField('to'), undefined)}
          />
        </FormField>
        <ErrorBanner error={testing.error} shownFields={['to']} />
        <Button type="submit" loading={testing.busy} disabled={!testTo.trim() || current.source === 'none'}>
          Отправить проверочное письмо
        </Button>
      </form>

      <section className="section" aria-labelledby="outbox-title">
        <div className="section-toolbar">
          <h2 id="outbox-title" className="section__title">
            Журнал писем
          </h2>
          <Button onClick={outbox.reload}>Обновить</Button>
        </div>
        <p className="muted">Письма отправляются в фоне; неотправленные повторяются несколько раз в течение примерно пяти минут, затем помечаются как неотправленные.</p>
        {outbox.error && !outbox.data && <LoadFailure error={outbox.error} onRetry={outbox.reload} />}
        {outbox.data && outbox.data.length === 0 && <p className="muted">Писем пока не было.</p>}
        {outbox.data && outbox.data.length > 0 && (
          <table className="data-table data-table_stacking">
            <caption className="visually-hidden">Журнал писем</caption>
            <thead>
              <tr>
                <th scope="col">Письмо</th>
                <th scope="col">Кому</th>
                <th scope="col">Состояние</th>
                <th scope="col">Создано</th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.map((mail) => (
                <tr key={mail.id} data-testid="outbox-mail">
                  <th scope="row" data-label="Письмо">
                    {mail.subject}
                    <div className="muted small">{KIND_NAMES[mail.kind] ?? mail.kind}</div>
                  </th>
                  <td data-label="Кому" className="break">
                    {mail.recipient}
                  </td>
                  <td data-label="Состояние">
                    <span className={`badge badge_${STATE_BADGES[mail.state][1]}`}>{STATE_BADGES[mail.state][0]}</span>
                    {mail.lastError && <div className="small error-text">Попыток: {mail.attempts}. {mail.lastError}</div>}
                  </td>
                  <td data-label="Создано" className="nowrap">
                    {formatDateTime(mail.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
