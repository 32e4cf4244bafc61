import { Link } from 'react-router';
import { usePageTitle } from '../hooks/usePageTitle.ts';

export function ForbiddenPage({ detail }: { detail?: string }) {
  usePageTitle('Недостаточно прав');
  return (
    <section className="message-page" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">Недостаточно прав</h1>
      <p>{detail ?? 'Эта страница доступна только пользователям с другой ролью. Если доступ нужен для работы, обратитесь к администратору.'}</p>
      <p>
        <Link to="/">На главную</Link>
      </p>
    </section>
  );
}
