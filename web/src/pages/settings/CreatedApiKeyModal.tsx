import { useState } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Gapped, Input, Modal } from '@skbkontur/react-ui';
import type { CreatedApiKey } from '../../api/types.ts';

/** The new key, shown this once: the server keeps only its hash. */
export function CreatedApiKeyModal({ apiKey, onClose }: { apiKey: CreatedApiKey; onClose(): void }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.token);
      setCopied(true);
    } catch {
      document.getElementById('created-api-key')?.focus();
    }
  };
  return (
    <Modal onClose={onClose} width={modalWidth(560)} aria-labelledby="created-api-key-title">
      <Modal.Header>
        <span id="created-api-key-title">Ключ «{apiKey.name}» создан</span>
      </Modal.Header>
      <Modal.Body>
        <div className="warning-banner" role="note">
          Скопируйте ключ сейчас: он показывается один раз. Потерянный ключ нельзя восстановить, только отозвать и создать новый.
        </div>
        <label className="form-field__label" htmlFor="created-api-key">
          API-ключ
        </label>
        <Input id="created-api-key" width="100%" value={apiKey.token} readOnly selectAllOnFocus className="mono" data-testid="created-api-key" />
      </Modal.Body>
      <Modal.Footer panel>
        <Gapped gap={8}>
          <Button use="primary" onClick={copy}>
            {copied ? 'Скопировано' : 'Скопировать'}
          </Button>
          <Button onClick={onClose}>Готово</Button>
        </Gapped>
      </Modal.Footer>
    </Modal>
  );
}
