import { useState } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Gapped, Modal } from '@skbkontur/react-ui';
import type { ApiKey } from '../../api/types.ts';

export function ApiKeyRevokeModal({ apiKey, onCancel, onConfirm }: { apiKey: ApiKey; onCancel(): void; onConfirm(): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal onClose={onCancel} width={modalWidth(480)} aria-labelledby="revoke-title">
      <Modal.Header>
        <span id="revoke-title">Отозвать ключ «{apiKey.name ?? apiKey.id}»?</span>
      </Modal.Header>
      <Modal.Body>
        <p>Интеграции, которые пользуются этим ключом, сразу потеряют доступ. Отменить отзыв нельзя.</p>
      </Modal.Body>
      <Modal.Footer panel>
        <Gapped gap={8}>
          <Button
            use="danger"
            loading={busy}
            onClick={async () => {
              setBusy(true);
              await onConfirm();
            }}
          >
            Отозвать
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            Отмена
          </Button>
        </Gapped>
      </Modal.Footer>
    </Modal>
  );
}
