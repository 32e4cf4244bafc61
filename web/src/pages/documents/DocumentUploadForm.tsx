import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Gapped } from '@skbkontur/react-ui';
import { ApiError } from '../../api/client.ts';
import { uploadDocument } from '../../api/documents.ts';
import { EmployeePicker } from '../../components/EmployeePicker.tsx';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { FormField } from '../../components/FormField.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { formatFileSize } from '../../format/fileSize.ts';

/** Upload one file of any size with a progress bar; the document page opens when it is stored. */
export function DocumentUploadForm({ canChooseOwner }: { canChooseOwner: boolean }) {
  const navigate = useNavigate();
  const [file, setFile] = useState<File>();
  const [owner, setOwner] = useState<string | null>(null);
  const [sent, setSent] = useState<{ bytes: number; total: number }>();
  const [error, setError] = useState<ApiError>();
  const cancel = useRef<AbortController>();

  const upload = async () => {
    if (!file) return;
    setError(undefined);
    setSent({ bytes: 0, total: file.size });
    cancel.current = new AbortController();
    try {
      const document = await uploadDocument({
        file,
        ownerEmployeeId: owner,
        signal: cancel.current.signal,
        onProgress: (bytes, total) => setSent({ bytes, total }),
      });
      navigate(`/documents/${document.id}`);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
      setSent(undefined);
    }
  };

  const uploading = sent !== undefined;
  return (
    <section className="section upload" aria-labelledby="upload-title">
      <h2 id="upload-title" className="section__title">
        Загрузить документ
      </h2>
      <FileDropZone id="document-file" label="Файл документа" disabled={uploading} onFiles={([picked]) => setFile(picked)} />
      {file && (
        <p className="upload__file">
          Выбран файл: <strong className="break">{file.name}</strong> <span className="muted">({formatFileSize(file.size)})</span>
        </p>
      )}
      {canChooseOwner && (
        <FormField id="document-owner" label="Чей документ" hint="Подписать документ сможет только владелец облачного сертификата; можно не указывать">
          <EmployeePicker id="document-owner" value={owner} onChange={setOwner} />
        </FormField>
      )}
      {uploading && (
        <ProgressBar value={sent.total > 0 ? sent.bytes / sent.total : undefined} label={`Загружено ${formatFileSize(sent.bytes)} из ${formatFileSize(sent.total)}`} />
      )}
      <ErrorBanner error={error} />
      <Gapped gap={8} wrap>
        <Button use="primary" disabled={!file} loading={uploading} onClick={upload}>
          Загрузить
        </Button>
        {uploading && <Button onClick={() => cancel.current?.abort()}>Отменить загрузку</Button>}
      </Gapped>
    </section>
  );
}
