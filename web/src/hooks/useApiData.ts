import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from '../api/client.ts';

export interface ApiData<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
  /** Replace the data with what a change returned, without asking again. */
  replace(data: T): void;
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'Ошибка', error instanceof Error ? error.message : String(error));
}

/** Loads data when the dependencies change; answers that arrive late for old dependencies are dropped. */
export function useApiData<T>(load: () => Promise<T>, dependencies: DependencyList): ApiData<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const call = ++latest.current;
    setLoading(true);
    load()
      .then((value) => {
        if (call !== latest.current) return;
        setData(value);
        setError(undefined);
      })
      .catch((reason: unknown) => {
        if (call === latest.current) setError(asApiError(reason));
      })
      .finally(() => {
        if (call === latest.current) setLoading(false);
      });
    // `load` is rebuilt on each render; the dependencies say when it means something new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...dependencies, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const replace = useCallback((value: T) => {
    latest.current++;
    setData(value);
    setError(undefined);
    setLoading(false);
  }, []);
  return { data, error, loading, reload, replace };
}
