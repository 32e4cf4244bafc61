import { useEffect, useRef } from 'react';
import { API_BASE } from '../api/client.ts';
import type { IssueNotification } from '../api/types.ts';

const EVENT_TYPES: IssueNotification['type'][] = ['issue.created', 'issue.changed', 'issue.statusChanged', 'issue.deleted', 'issue.certificateAttached'];

/**
 * Calls `onEvent` for every issue event the server sends (server-sent events, with the session
 * cookie). The browser reconnects by itself when the connection drops.
 */
export function useIssueEvents(onEvent: (event: IssueNotification) => void, enabled = true): void {
  const latest = useRef(onEvent);
  latest.current = onEvent;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(`${API_BASE}/events`, { withCredentials: true });
    const listener = (message: MessageEvent<string>) => {
      try {
        latest.current(JSON.parse(message.data) as IssueNotification);
      } catch {
        // A malformed event changes nothing on the page.
      }
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, listener as EventListener);
    return () => source.close();
  }, [enabled]);
}
