import { useState } from 'react';
import { Link } from 'react-router';
import { Button } from '@skbkontur/react-ui';
import { FileDropZone } from '../../components/FileDropZone.tsx';
import { formatFileSize } from '../../format/fileSize.ts';
import { ApiError } from '../../api/client.ts';
import { importEmployeesCsv } from '../../api/employees.ts';
import type { CsvImportReport } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { csvText } from './csvText.ts';
import { ImportReportView } from './ImportReportView.tsx';

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const EXAMPLE = 'Фамилия;Имя;Отчество;Мобильный телефон;Электронная почта;ИНН;СНИЛС;Дата рождения;Должность;Подразделение';

/** Loads a CSV file into the directory: good rows are stored, bad ones reported with their line. */
export function EmployeeImportPage() {
  usePageTitle('Импорт сотрудников');
  const [file, setFile] = useState<File>();
  const [report, setReport] = useState<CsvImportReport>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await importEmployeesCsv(await csvText(file)));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', String(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Импорт сотрудников из CSV">
        <p className="page-header__subtitle">
          <Link to="/employees">← К списку сотрудников</Link>
        </p>
      </PageHeader>
      <section className="section">
        <p>
          Первая строка файла — заголовки столбцов, на русском или английском. Обязательны фамилия, имя и мобильный телефон. Разделитель — точка с запятой
          или запятая, кодировка UTF-8 или Windows-1251. Строка, совпадающая с карточкой в справочнике (по СНИЛС, ИНН или ФИО с телефоном), обновляет её; остальные добавляются.
        </p>
        <p className="muted small">Пример заголовка:</p>
        <pre className="code-sample">{EXAMPLE}</pre>
      </section>
      <div className="import-form">
        {/* Any file type: a CSV comes as text/csv, text/plain or, from Windows, as an Excel type. */}
        <FileDropZone
          id="import-file"
          label="Файл CSV"
          acceptName="CSV в UTF-8 или Windows-1251"
          maxBytes={MAX_FILE_BYTES}
          disabled={busy}
          onFiles={([picked]) => {
            setFile(picked);
            setReport(undefined);
            setError(undefined);
          }}
        />
        {file && (
          <p className="upload__file">
            Выбран файл: <strong className="break">{file.name}</strong> <span className="muted">({formatFileSize(file.size)})</span>
          </p>
        )}
        <div className="form__actions">
          <Button use="primary" onClick={upload} disabled={!file} loading={busy}>
            Загрузить
          </Button>
        </div>
      </div>
      <ErrorBanner error={error} />
      {report && <ImportReportView report={report} />}
    </>
  );
}
