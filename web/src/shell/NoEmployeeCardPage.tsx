import { usePageTitle } from '../hooks/usePageTitle.ts';

/** An employee user whose account is not yet linked to an employee card. */
export function NoEmployeeCardPage() {
  usePageTitle('Карточка не привязана');
  return (
    <section className="message-page" aria-labelledby="no-card-title">
      <h1 id="no-card-title">Карточка сотрудника не привязана</h1>
      <p>Ваша учётная запись пока не связана с карточкой в справочнике сотрудников. Попросите администратора указать её в настройках пользователя.</p>
    </section>
  );
}
