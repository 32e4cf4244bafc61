import { useState, type FormEvent } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Gapped, Input, Modal, Select, Textarea } from '@skbkontur/react-ui';
import { requestCorrection } from '../../api/sandbox.ts';
import type { SandboxIssue } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FormField } from '../../components/FormField.tsx';
import { REMARK_TARGET_NAMES } from '../../domain/issueDocuments.ts';
import { applicantName } from '../../domain/issueApplicant.ts';
import { useAction } from '../../hooks/useAction.ts';

const TARGET_ITEMS: [string, string][] = Object.entries(REMARK_TARGET_NAMES);

/** The CA operator returns the issue with a comment and a remark on one document. */
export function CorrectionModal({ issue, onClose, onSent }: { issue: SandboxIssue; onClose(): void; onSent(): void }) {
  const [comment, setComment] = useState('');
  const [target, setTarget] = useState('passport');
  const [message, setMessage] = useState('');
  const sending = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await sending.run(async () => (await requestCorrection(issue.id, comment.trim(), [{ target, message: message.trim() }]), true))) onSent();
  };
  return (
    <Modal onClose={onClose} width={modalWidth(560)} aria-labelledby="correction-title">
      <form onSubmit={submit} noValidate>
        <Modal.Header>
          <span id="correction-title">На исправление: {applicantName(issue.subjectInfo)}</span>
        </Modal.Header>
        <Modal.Body>
          <ErrorBanner error={sending.error} />
          <FormField id="correction-comment" label="Комментарий оператора" required>
            <Textarea id="correction-comment" width="100%" rows={2} value={comment} onValueChange={setComment} />
          </FormField>
          <FormField id="correction-target" label="К чему замечание">
            <Select<string, string> id="correction-target" width="100%" items={TARGET_ITEMS} value={target} onValueChange={setTarget} />
          </FormField>
          <FormField id="correction-message" label="Замечание" required>
            <Input id="correction-message" width="100%" value={message} onValueChange={setMessage} />
          </FormField>
        </Modal.Body>
        <Modal.Footer panel>
          <Gapped gap={8}>
            <Button type="submit" use="primary" loading={sending.busy} disabled={!comment.trim() || !message.trim()}>
              Вернуть на исправление
            </Button>
            <Button onClick={onClose}>Отмена</Button>
          </Gapped>
        </Modal.Footer>
      </form>
    </Modal>
  );
}
