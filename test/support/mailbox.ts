// Reads what the sandbox's mail catcher (a real SMTP server in the test server's process) received,
// through the console's mailbox.
import { waitFor } from '../issuance/helpers.ts';
import type { TestServer } from './server.ts';

export interface CaughtMail {
  id: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string | null;
  to: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
}

export async function caughtMails(t: TestServer, token: string, to: string): Promise<CaughtMail[]> {
  const list = await t.request('GET', `/sandbox/console/mail?to=${encodeURIComponent(to)}`, { token });
  if (list.status !== 200) throw new Error(`mailbox: ${list.status} ${JSON.stringify(list.body)}`);
  const mails: CaughtMail[] = [];
  for (const summary of list.body.messages as { id: string }[]) mails.push((await t.request('GET', `/sandbox/console/mail/${summary.id}`, { token })).body);
  return mails;
}

/** Waits for a mail to `to` whose subject matches. */
export async function waitForMail(t: TestServer, token: string, to: string, subject: RegExp, timeoutMs = 20_000): Promise<CaughtMail> {
  return waitFor(
    `a mail "${subject.source}" to ${to}`,
    async () => {
      const list = await t.request('GET', `/sandbox/console/mail?to=${encodeURIComponent(to)}`, { token });
      const found = (list.body.messages as { id: string; subject: string | null }[]).find((m) => subject.test(m.subject ?? ''));
      return found ? ((await t.request('GET', `/sandbox/console/mail/${found.id}`, { token })).body as CaughtMail) : false;
    },
    timeoutMs,
  );
}
