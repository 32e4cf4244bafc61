import { useState, type FormEvent } from 'react';
import { modalWidth } from '../../components/modalWidth.ts';
import { Button, Gapped, Modal, PasswordInput, Radio, RadioGroup } from '@skbkontur/react-ui';
import { addClientCertificate, type ClientCertificateInput } from '../../api/certificateStore.ts';
import type { StoredCertificate } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { FormField } from '../../components/FormField.tsx';
import { readAsBase64 } from '../../files/readFile.ts';
import { useAction } from '../../hooks/useAction.ts';

type Format = 'pem' | 'pfx';

/** A client certificate as a PEM pair (certificate and key) or a PFX file with its password. */
export function ClientCertificateModal({ onClose, onAdded }: { onClose(): void; onAdded(certificate: StoredCertificate): void }) {
  const [format, setFormat] = useState<Format>('pem');
  const [certificateFile, setCertificateFile] = useState<File>();
  const [keyFile, setKeyFile] = useState<File>();
  const [pfxFile, setPfxFile] = useState<File>();
  const [password, setPassword] = useState('');
  const saving = useAction();
  const ready = format === 'pem' ? Boolean(certificateFile && keyFile) : Boolean(pfxFile);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await saving.run(async () => {
      const input: ClientCertificateInput =
        format === 'pem' ? { certificatePem: await certificateFile!.text(), privateKeyPem: await keyFile!.text() } : { pfxBase64: await readAsBase64(pfxFile!), password };
      return addClientCertificate(input);
    });
    if (added) onAdded(added);
  };

  return (
    <Modal onClose={onClose} width={modalWidth(600)} aria-labelledby="client-certificate-title">
      <form onSubmit={submit} noValidate>
        <Modal.Header>
          <span id="client-certificate-title">Клиентский сертификат</span>
        </Modal.Header>
        <Modal.Body>
          <fieldset className="method-choice">
            <legend className="form-field__label">Формат</legend>
            <RadioGroup<Format> name="client-certificate-format" value={format} onValueChange={setFormat}>
              <span className="method-choice__options">
                <Radio value="pem">PEM: сертификат и ключ</Radio>
                <Radio value="pfx">PFX с паролем</Radio>
              </span>
            </RadioGroup>
          </fieldset>
          <div className="method-panel">
            {format === 'pem' ? (
              <>
                <FileDropZone id="client-certificate-pem" label={certificateFile ? `Сертификат: ${certificateFile.name}` : 'Сертификат (PEM)'} maxBytes={150_000} onFiles={([file]) => setCertificateFile(file)} />
                <FileDropZone id="client-key-pem" label={keyFile ? `Ключ: ${keyFile.name}` : 'Закрытый ключ (PEM)'} maxBytes={150_000} onFiles={([file]) => setKeyFile(file)} />
              </>
            ) : (
              <>
                <FileDropZone id="client-pfx" label={pfxFile ? `PFX: ${pfxFile.name}` : 'Файл PFX (.pfx, .p12)'} maxBytes={500_000} onFiles={([file]) => setPfxFile(file)} />
                <FormField id="client-pfx-password" label="Пароль PFX">
                  <PasswordInput id="client-pfx-password" width="100%" autoComplete="off" value={password} onValueChange={setPassword} />
                </FormField>
                <p className="muted small">PFX, зашифрованный по ГОСТ (экспорт КриптоПро), сначала переведите в PEM: openssl pkcs12 -engine gost -nodes.</p>
              </>
            )}
          </div>
          <ErrorBanner error={saving.error} />
        </Modal.Body>
        <Modal.Footer panel>
          <Gapped gap={8}>
            <Button type="submit" use="primary" loading={saving.busy} disabled={!ready}>
              Добавить
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
