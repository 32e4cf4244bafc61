import { useEffect, useState, type FormEvent } from 'react';
import { Button, Input, Toast } from '@skbkontur/react-ui';
import { fetchFaults, saveFaults, type FaultTarget } from '../../api/sandbox.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField } from '../../components/FormField.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';

const percent = (rate: number) => String(Math.round(rate * 100));

/** Latency (ms) and error and timeout rates (percent) of one sandbox service. */
export function FaultSwitchForm({ target, title }: { target: FaultTarget; title: string }) {
  const faults = useApiData(() => fetchFaults(target), [target]);
  const [latency, setLatency] = useState('0');
  const [errors, setErrors] = useState('0');
  const [timeouts, setTimeouts] = useState('0');
  const saving = useAction();

  useEffect(() => {
    if (!faults.data) return;
    setLatency(String(faults.data.latencyMs));
    setErrors(percent(faults.data.errorRate));
    setTimeouts(percent(faults.data.timeoutRate));
  }, [faults.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await saving.run(() =>
      saveFaults(target, { latencyMs: Number(latency) || 0, errorRate: (Number(errors) || 0) / 100, timeoutRate: (Number(timeouts) || 0) / 100 }),
    );
    if (saved) {
      faults.replace(saved);
      Toast.push(`Сбои «${title}» сохранены`);
    }
  };

  const id = (name: string) => `faults-${target}-${name}`;
  return (
    <form className="fault-form" onSubmit={submit} noValidate aria-labelledby={id('title')}>
      <h3 id={id('title')} className="step-form__title">
        {title}
      </h3>
      <FormField id={id('latency')} label="Задержка ответа, мс" error={saving.error?.forField('latencyMs')}>
        <Input id={id('latency')} inputMode="numeric" width="100%" value={latency} onValueChange={setLatency} />
      </FormField>
      <FormField id={id('errors')} label="Доля ошибок 503, %" error={saving.error?.forField('errorRate')}>
        <Input id={id('errors')} inputMode="numeric" width="100%" value={errors} onValueChange={setErrors} />
      </FormField>
      <FormField id={id('timeouts')} label="Доля зависаний, %" hint="Запрос выполняется, но ответ задерживается" error={saving.error?.forField('timeoutRate')}>
        <Input id={id('timeouts')} inputMode="numeric" width="100%" value={timeouts} onValueChange={setTimeouts} />
      </FormField>
      {faults.data?.injected && (
        <p className="muted small">
          Запросов: {faults.data.injected.requests}, ошибок: {faults.data.injected.errors}, зависаний: {faults.data.injected.timeouts}
        </p>
      )}
      <ErrorBanner error={saving.error} shownFields={['latencyMs', 'errorRate', 'timeoutRate']} />
      <Button type="submit" loading={saving.busy}>
        Сохранить
      </Button>
    </form>
  );
}
