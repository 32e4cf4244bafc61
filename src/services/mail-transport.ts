// Sends one message through the configured SMTP server (nodemailer), one connection per send:
// notifications are few, and a fresh connection picks up changed settings at once.
import nodemailer from 'nodemailer';
import type { SmtpSettings } from './mail-settings.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** How long one SMTP conversation may take, connection to the server's answer. */
export const SMTP_TIMEOUT_MS = 15_000;

export class MailTransport {
  /** Resolves with the server's answer to the accepted message; throws with the server's or the network's error. */
  async send(smtp: SmtpSettings, mail: OutgoingMail): Promise<{ response: string; messageId: string }> {
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      // Plain SMTP still takes a STARTTLS the server offers, but does not insist on a trusted certificate there.
      ...(smtp.security === 'none' ? { tls: { rejectUnauthorized: false } } : {}),
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
      return { response: String(info.response ?? ''), messageId: String(info.messageId ?? '') };
    } finally {
      transport.close();
    }
  }
}
