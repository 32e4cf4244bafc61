import type { ReactNode } from 'react';
import { modalWidth } from './modalWidth.ts';
import { Button, Gapped, Modal } from '@skbkontur/react-ui';
import type { ApiError } from '../api/client.ts';
import { ErrorBanner } from './ErrorBanner.tsx';

export interface ConfirmModalProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: ApiError;
  onConfirm(): void;
  onClose(): void;
}

/** «Are you sure?» before something that cannot be undone. */
export function ConfirmModal({ title, children, confirmLabel, busy, error, onConfirm, onClose }: ConfirmModalProps) {
  return (
    <Modal onClose={onClose} width={modalWidth(480)} aria-labelledby="confirm-title">
      <Modal.Header>
        <span id="confirm-title">{title}</span>
      </Modal.Header>
      <Modal.Body>
        <ErrorBanner error={error} />
        {children}
      </Modal.Body>
      <Modal.Footer panel>
        <Gapped gap={8}>
          <Button use="danger" loading={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
          <Button onClick={onClose} disabled={busy}>
            Отмена
          </Button>
        </Gapped>
      </Modal.Footer>
    </Modal>
  );
}
