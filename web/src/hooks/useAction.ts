import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';

export interface Action {
  busy: boolean;
  error: ApiError | undefined;
  /** Runs the work; a failure lands in `error` and the result is undefined. */
  run<T>(work: () => Promise<T>): Promise<T | undefined>;
  clearError(): void;
}

/** One button's call to the server: its progress and its failure. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const running = useRef(false);
  const run = useCallback(async <T,>(work: () => Promise<T>) => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      return await work();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Ошибка', failure instanceof Error ? failure.message : String(failure)));
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { busy, error, run, clearError };
}
