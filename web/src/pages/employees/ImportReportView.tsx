import type { CsvImportReport } from '../../api/types.ts';
import { employeeFieldLabel } from '../../domain/employeeFields.ts';

export function ImportReportView({ report }: { report: CsvImportReport }) {
  const counts: [string, number][] = [
    ['Строк в файле', report.total],
    ['Добавлено', report.created],
    ['Обновлено', report.updated],
    ['Без изменений', report.unchanged],
    ['С ошибками', report.failed],
  ];
  return (
    <section className="section" aria-labelledby="import-report-title" aria-live="polite">
      <h2 id="import-report-title" className="section__title">
        Результат импорта
      </h2>
      <dl className="import-summary">
        {counts.map(([label, value]) => (
          <div key={label} className={label === 'С ошибками' && value > 0 ? 'import-summary__item import-summary__item_error' : 'import-summary__item'}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {report.errors.length === 0 ? (
        <p className="success-text">Все строки загружены без ошибок.</p>
      ) : (
        <>
          <p>Строки с ошибками не загружены. Исправьте их в файле и загрузите его снова: уже загруженные строки не задвоятся.</p>
          <table className="data-table">
            <caption className="visually-hidden">Ошибки по строкам</caption>
            <thead>
              <tr>
                <th scope="col">Строка</th>
                <th scope="col">Поле</th>
                <th scope="col">Ошибка</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((problem, index) => (
                <tr key={`${problem.row}-${problem.field}-${index}`}>
                  <td data-label="Строка">{problem.row}</td>
                  <td data-label="Поле">{employeeFieldLabel(problem.field)}</td>
                  <td data-label="Ошибка">{problem.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
