import { useState } from 'react';
import { Button } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { checkConnection } from '../../api/settings.ts';
import type { CheckStepStatus, ConnectionCheck } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { InlineProgress } from '../../components/InlineProgress.tsx';

const STATUS: Record<CheckStepStatus, { mark: string; label: string; badge: string }> = {
  ok: { mark: '✓', label: 'пройден', badge: 'badge_success' },
  failed: { mark: '✗', label: 'ошибка', badge: 'badge_error' },
  skipped: { mark: '–', label: 'не проверялся', badge: 'badge_neutral' },
};

/** «Проверить подключение»: one harmless call to each Kontur API through the saved settings, with a verdict per step. */
export function ConnectionCheckSection() {
  const [report, setReport] = useState<ConnectionCheck>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await checkConnection());
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section" aria-labelledby="connection-check-title">
      <div className="section-toolbar">
        <h2 id="connection-check-title" className="section__title">
          Проверка подключения
        </h2>
        <Button onClick={run} loading={busy}>
          Проверить подключение
        </Button>
      </div>
      <p className="muted">Проверяются сохранённые настройки: поиск адреса, соединение, рукопожатие TLS, клиентский сертификат или API-ключ и ответ сервиса.</p>
      {busy && <InlineProgress caption="Проверка подключения…" />}
      <ErrorBanner error={error} />
      {report && (
        <div aria-live="polite" data-testid="connection-check">
          <p>
            <span className={`badge ${report.ok ? 'badge_success' : 'badge_error'}`}>{report.ok ? 'Подключение работает' : 'Есть ошибки'}</span>
          </p>
          {report.apis.map((api) => (
            <div className="check-api" key={api.api}>
              <h3 className="check-api__title">
                {api.title}{' '}
                <span className="muted small">
                  {api.transport === 'gost-tunnel' ? 'ГОСТ TLS через stunnel' : 'напрямую'}: <span className="mono">{api.address}</span>
                </span>
              </h3>
              <ol className="check-steps" aria-label={`Шаги проверки: ${api.title}`}>
                {api.steps.map((step) => (
                  <li key={step.step} className={`check-step check-step_${step.status}`}>
                    <span className={`badge ${STATUS[step.status].badge}`} aria-label={STATUS[step.status].label}>
                      {STATUS[step.status].mark}
                    </span>
                    <span>
                      <strong>{step.title}</strong>
                      {step.ms !== undefined && <span className="muted small"> · {step.ms} мс</span>}
                      <br />
                      <span className="check-step__message">{step.message}</span>
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
