import { useState } from 'react';
import { Link } from 'react-router';
import { Button, FileUploader } from '@skbkontur/react-ui';
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
  const tooLarge = file !== undefined && file.size > MAX_FILE_BYTES;

  const upload = async () => {
    if (!file || tooLarge) return;
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
        <label className="form-field__label" htmlFor="import-file">
          Файл CSV
        </label>
        <FileUploader
          id="import-file"
          accept=".csv,text/csv,text/plain"
          width="100%"
          error={tooLarge}
          onValueChange={(files) => {
            setFile(files[0]?.originalFile);
            setReport(undefined);
            setError(undefined);
          }}
        />
        {tooLarge && (
          <div className="form-field__error" role="alert">
            Файл больше 10 МБ: разделите его на части
          </div>
        )}
        <div className="form__actions">
          <Button use="primary" onClick={upload} disabled={!file || tooLarge} loading={busy}>
            Загрузить
          </Button>
        </div>
      </div>
      <ErrorBanner error={error} />
      {report && <ImportReportView report={report} />}
    </>
  );
}
