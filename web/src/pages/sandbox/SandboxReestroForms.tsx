import { useEffect } from 'react';
import { Button, Gapped, Toast } from '@skbkontur/react-ui';
import { approveReestroForm, fetchSandboxReestroForms, rejectReestroForm, type SandboxReestroForm } from '../../api/sandbox.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { formatDateTime } from '../../format/dateTime.ts';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';

const REFRESH_MS = 2500;

function ownerName(form: SandboxReestroForm): string {
  const person = form.person.person ?? form.person.soleProprietor ?? {};
  const name = [person.surname, person.name, person.patronymic].filter(Boolean).join(' ') || form.person.subjectId;
  const organization = form.organization?.organization?.name;
  return organization ? `${name}, ${String(organization)}` : name;
}

/** The sandbox CA's decision on Реестро forms sent to it: issue the certificate, or return the form with a reason. */
export function SandboxReestroForms() {
  const forms = useApiData(fetchSandboxReestroForms, []);
  const action = useAction();

  useEffect(() => {
    const timer = setInterval(forms.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [forms.reload]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    if ((await action.run(async () => (await work(), true))) === true) {
      Toast.push(done);
      forms.reload();
    }
  };

  return (
    <section className="section" aria-labelledby="sandbox-reestro-title">
      <h2 id="sandbox-reestro-title" className="section__title">
        Анкеты Реестро в песочнице УЦ
      </h2>
      <ErrorBanner error={action.error} />
      {forms.error && !forms.data && <LoadFailure error={forms.error} onRetry={forms.reload} />}
      {!forms.data && !forms.error && <LoadingBlock />}
      {forms.data && forms.data.length === 0 && <p className="muted">Анкет, ждущих решения УЦ, нет.</p>}
      {forms.data && forms.data.length > 0 && (
        <table className="data-table data-table_stacking">
          <caption className="visually-hidden">Анкеты Реестро, ждущие решения УЦ</caption>
          <thead>
            <tr>
              <th scope="col">Владелец</th>
              <th scope="col">Отправлена</th>
              <th scope="col">Решение УЦ</th>
            </tr>
          </thead>
          <tbody>
            {forms.data.map((form) => (
              <tr key={form.formId} data-testid="sandbox-reestro-form">
                <th scope="row" data-label="Владелец">
                  {ownerName(form)}
                </th>
                <td data-label="Отправлена">{formatDateTime(form.releasedAt)}</td>
                <td data-label="Решение УЦ">
                  <Gapped gap={6} wrap>
                    <Button size="small" use="primary" disabled={action.busy} onClick={() => act(() => approveReestroForm(form.formId), 'Сертификат выпущен')}>
                      Выпустить сертификат
                    </Button>
                    <Button size="small" disabled={action.busy} onClick={() => act(() => rejectReestroForm(form.formId, 'Скан паспорта нечитаем: приложите другой'), 'Анкета возвращена')}>
                      Вернуть: скан нечитаем
                    </Button>
                  </Gapped>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
