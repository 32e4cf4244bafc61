import { useEffect, useState } from 'react';
import { fetchSigningStatus } from '../api/signing.ts';
import type { SignStatus } from '../api/types.ts';

/**
 * An operation the user confirmed and then closed the dialog on: the server finishes it; this
 * waits for its end (the server holds each answer while the signatures are being formed) and
 * reports it once. Returns the operation still awaited and a setter for a new one.
 */
export function useSigningCompletion(onEnd: (status: SignStatus | undefined) => void): [string | undefined, (operationId: string | undefined) => void] {
  const [pending, setPending] = useState<string>();
  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    (async () => {
      while (!stopped) {
        try {
          const status = await fetchSigningStatus(pending, 20);
          if (stopped) return;
          if (status.state === 'complete' || status.state === 'error' || status.state === 'waitingUser') {
            setPending(undefined);
            // A code refused leaves the operation waiting: nothing is being formed.
            onEnd(status.state === 'waitingUser' ? undefined : status);
            return;
          }
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 3000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending]);
  return [pending, setPending];
}
