import { Link } from 'react-router';
import { usePageTitle } from '../hooks/usePageTitle.ts';

export function NotFoundPage() {
  usePageTitle('Страница не найдена');
  return (
    <section className="message-page" aria-labelledby="not-found-title">
      <h1 id="not-found-title">Страница не найдена</h1>
      <p>Такого адреса в веб-клиенте нет. Проверьте ссылку или перейдите на главную.</p>
      <p>
        <Link to="/">На главную</Link>
      </p>
    </section>
  );
}
