import { useState, type FormEvent } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Checkbox, Gapped, Input, Modal } from '@skbkontur/react-ui';
import { createWebhook, updateWebhook } from '../../api/webhooks.ts';
import type { Webhook } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { describedBy, FormField } from '../../components/FormField.tsx';
import { WEBHOOK_EVENT_NAMES } from '../../domain/webhookEvents.ts';
import { useAction } from '../../hooks/useAction.ts';

export interface WebhookFormModalProps {
  webhook?: Webhook;
  onClose(): void;
  onSaved(saved: Webhook | (Webhook & { secret: string })): void;
}

export function WebhookFormModal({ webhook, onClose, onSaved }: WebhookFormModalProps) {
  const [url, setUrl] = useState(webhook?.url ?? 'https://');
  const [events, setEvents] = useState<string[]>(webhook?.events ?? []);
  const saving = useAction();
  const toggle = (event: string, on: boolean) => setEvents((current) => (on ? [...current, event] : current.filter((candidate) => candidate !== event)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await saving.run(() => (webhook ? updateWebhook(webhook.id, { url: url.trim(), events }) : createWebhook({ url: url.trim(), events })));
    if (saved) onSaved(saved);
  };

  const urlError = saving.error?.forField('url');
  return (
    <Modal onClose={onClose} width={modalWidth(560)} aria-labelledby="webhook-form-title">
      <form onSubmit={submit} noValidate>
        <Modal.Header>
          <span id="webhook-form-title">{webhook ? 'Вебхук' : 'Новый вебхук'}</span>
        </Modal.Header>
        <Modal.Body>
          <ErrorBanner error={saving.error} shownFields={['url']} />
          <FormField id="webhook-url" label="Адрес (URL)" required error={urlError}>
            <Input
              id="webhook-url"
              type="url"
              width="100%"
              value={url}
              onValueChange={setUrl}
              error={Boolean(urlError)}
              aria-describedby={describedBy('webhook-url', urlError, undefined)}
            />
          </FormField>
          <fieldset className="checkbox-group">
            <legend className="form-field__label">События (ни одного — все)</legend>
            <Gapped vertical gap={6}>
              {Object.entries(WEBHOOK_EVENT_NAMES).map(([name, label]) => (
                <Checkbox key={name} checked={events.includes(name)} onValueChange={(on) => toggle(name, on)}>
                  {label}
                </Checkbox>
              ))}
            </Gapped>
          </fieldset>
        </Modal.Body>
        <Modal.Footer panel>
          <Gapped gap={8}>
            <Button type="submit" use="primary" loading={saving.busy}>
              {webhook ? 'Сохранить' : 'Создать'}
            </Button>
            <Button onClick={onClose} disabled={saving.busy}>
              Отмена
            </Button>
          </Gapped>
        </Modal.Footer>
      </form>
    </Modal>
  );
}
