import { useEffect, useState, type FormEvent } from 'react';
import { Button, Gapped, Input, PasswordInput, Select, Toast } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { fetchSettings, resetSetting, updateSettings } from '../../api/settings.ts';
import { SETTING_NAMES, type ConnectionSettings, type CryptoApiTransport, type SettingName, type SettingsChange } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField, describedBy } from '../../components/FormField.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { SETTING_DESCRIPTIONS } from './settingDescriptions.ts';

type Draft = Record<SettingName, string>;

const TRANSPORT_ITEMS: [CryptoApiTransport, string][] = [
  ['direct', 'Напрямую (HTTPS или HTTP)'],
  ['gost-tunnel', 'ГОСТ TLS через stunnel'],
];
/** Write-only settings: the form starts empty, and an empty field keeps the stored key. */
const SECRET_SETTINGS: readonly SettingName[] = ['KcrApiKey', 'ReestroApiKey'];

/** What the form starts from: the stored values, and an empty key (it is write-only). */
function draftOf(settings: ConnectionSettings): Draft {
  return {
    CryptoApiConnectionAddress: settings.CryptoApiConnectionAddress,
    CryptoApiTransport: settings.CryptoApiTransport,
    CryptoAuthenticationCertificateThumbprint: settings.CryptoAuthenticationCertificateThumbprint,
    KcrApiConnectionAddress: settings.KcrApiConnectionAddress,
    KcrApiKey: '',
    RestClientMaxTimeout: String(settings.RestClientMaxTimeout),
    ReestroApiConnectionAddress: settings.ReestroApiConnectionAddress,
    ReestroApiKey: '',
    ReestroOrganizationId: settings.ReestroOrganizationId,
  };
}

function changeOf(draft: Draft, settings: ConnectionSettings): SettingsChange {
  const stored = draftOf(settings);
  const change: SettingsChange = {};
  for (const name of SETTING_NAMES) {
    const value = draft[name].trim();
    if (SECRET_SETTINGS.includes(name) ? value !== '' : value !== stored[name]) change[name] = value;
  }
  return change;
}

/** The manual's five connection settings, the Crypto API transport and Реестро's three. The API keys can be replaced but never read back. */
export function ConnectionSettingsSection() {
  const settings = useApiData(fetchSettings, []);
  const [draft, setDraft] = useState<Draft>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [resetting, setResetting] = useState<SettingName>();

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
    if (!changed) return;
    setBusy(true);
    setError(undefined);
    try {
      settings.replace(await updateSettings(change));
      Toast.push('Настройки сохранены');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setBusy(false);
    }
  };

  const reset = async (name: SettingName) => {
    setResetting(name);
    setError(undefined);
    try {
      settings.replace(await resetSetting(name));
      Toast.push('Восстановлено значение по умолчанию');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setResetting(undefined);
    }
  };

  return (
    <form className="form" onSubmit={save} noValidate aria-label="Подключение к УЦ Контур">
      {current.sandboxMode && (
        <div className="info-banner">
          Сейчас модуль работает со встроенной песочницей: это копия сервисов УЦ Контур для проверки без договора. Для работы с настоящим УЦ укажите адреса и
          ключ, полученные от Контура.
        </div>
      )}
      <ErrorBanner error={error} shownFields={SETTING_NAMES} />
      {SETTING_NAMES.map((name) => {
        const description = SETTING_DESCRIPTIONS[name];
        const id = `setting-${name}`;
        const message = error?.forField(name);
        const isDefault = current.defaults.includes(name);
        const secret = SECRET_SETTINGS.includes(name);
        const hint = secret ? (
          <>
            Сохранённый ключ: <span className="mono" data-testid={name === 'KcrApiKey' ? 'stored-key' : `stored-${name}`}>{current[name as 'KcrApiKey' | 'ReestroApiKey']}</span>. {description.hint}
          </>
        ) : (
          description.hint
        );
        const control =
          name === 'CryptoApiTransport' ? (
            <Select<CryptoApiTransport, string>
              id={id}
              width="100%"
              items={TRANSPORT_ITEMS}
              value={draft[name] as CryptoApiTransport}
              onValueChange={(value) => setDraft({ ...draft, [name]: value })}
              error={Boolean(message)}
              aria-describedby={describedBy(id, message, hint)}
            />
          ) : secret ? (
            <PasswordInput
              id={id}
              name={name}
              width="100%"
              autoComplete="new-password"
              placeholder="Новый ключ"
              value={draft[name]}
              onValueChange={(value) => setDraft({ ...draft, [name]: value })}
              error={Boolean(message)}
              aria-describedby={describedBy(id, message, hint)}
            />
          ) : (
            <Input
              id={id}
              name={name}
              width="100%"
              inputMode={name === 'RestClientMaxTimeout' ? 'numeric' : undefined}
              placeholder={description.placeholder}
              value={draft[name]}
              onValueChange={(value) => setDraft({ ...draft, [name]: value })}
              error={Boolean(message)}
              aria-describedby={describedBy(id, message, hint)}
            />
          );
        return (
          <div className="setting" key={name}>
            <FormField id={id} label={description.label} hint={hint} error={message}>
              {control}
            </FormField>
            <div className="setting__meta">
              <span className="mono small muted">{name}</span>
              {isDefault ? (
                <span className="badge badge_neutral">по умолчанию</span>
              ) : (
                <Button use="link" size="small" onClick={() => reset(name)} loading={resetting === name} aria-label={`Сбросить «${description.label}» к значению по умолчанию`}>
                  Сбросить
                </Button>
              )}
            </div>
          </div>
        );
      })}
      <div className="form__actions">
        <Gapped gap={8} wrap>
          <Button type="submit" use="primary" loading={busy} disabled={!changed}>
            Сохранить
          </Button>
          <Button onClick={() => setDraft(draftOf(current))} disabled={!changed || busy}>
            Отменить изменения
          </Button>
        </Gapped>
      </div>
    </form>
  );
}
