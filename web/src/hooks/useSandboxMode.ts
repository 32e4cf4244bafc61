import { useEffect, useState } from 'react';
import { isSandboxMode } from '../api/sandbox.ts';
import type { Role } from '../api/types.ts';

/** Whether the settings point at the built-in sandbox; false until known and on any failure. */
export function useSandboxMode(role: Role): boolean {
  const [sandbox, setSandbox] = useState(false);
  useEffect(() => {
    let cancelled = false;
    isSandboxMode(role)
      .then((value) => !cancelled && setSandbox(value))
      .catch(() => !cancelled && setSandbox(false));
    return () => {
      cancelled = true;
    };
  }, [role]);
  return sandbox;
}
