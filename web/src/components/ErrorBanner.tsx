import type { ApiError } from '../api/client.ts';
import { fieldProblemText } from '../domain/fieldLabels.ts';

/**
 * A failure in words a user can act on. Field problems shown next to their fields are
 * left out (pass their names in `shownFields`); the rest are listed here.
 */
export function ErrorBanner({ error, shownFields = [] }: { error: ApiError | undefined; shownFields?: readonly string[] }) {
  if (!error) return null;
  const others = error.fieldProblems.filter((problem) => !shownFields.includes(problem.field));
  const allShownBelow = error.fieldProblems.length > 0 && others.length === 0;
  return (
    <div className="error-banner" role="alert">
      <strong>{allShownBelow ? 'Проверьте выделенные поля' : error.message}</strong>
      {others.length > 0 && (
        <ul>
          {others.map((problem) => (
            <li key={problem.field}>{fieldProblemText(problem)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
