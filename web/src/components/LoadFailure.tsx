import { Button } from '@skbkontur/react-ui';
import type { ApiError } from '../api/client.ts';
import { ForbiddenPage } from './ForbiddenPage.tsx';

/** What a page shows when its data did not load: no rights, or the error with a retry. */
export function LoadFailure({ error, onRetry }: { error: ApiError; onRetry(): void }) {
  if (error.status === 403) return <ForbiddenPage detail={error.message} />;
  return (
    <div className="error-banner" role="alert">
      <strong>Не удалось загрузить данные</strong>
      <p>{error.message}</p>
      <Button onClick={onRetry}>Повторить</Button>
    </div>
  );
}
