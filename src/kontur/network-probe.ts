// The network steps below a call to Kontur, one at a time, for the connection check: the name
// lookup, the TCP connection, and (for Node's own TLS) the handshake with the cipher and the
// server's certificate. Each answers facts or throws a ProbeError with the system's reason.
import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type PeerCertificate } from 'node:tls';
import type { ClientTlsMaterial } from './http-transport.ts';

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work,
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new ProbeError(`${what}: нет ответа за ${timeoutMs} мс`, 'ETIMEDOUT')), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The addresses a host name resolves to (an IP address resolves to itself). */
export async function resolveHost(host: string, timeoutMs: number): Promise<{ addresses: string[]; ms: number }> {
  const started = performance.now();
  if (isIP(host)) return { addresses: [host], ms: 0 };
  try {
    const found = await withDeadline(lookup(host, { all: true }), timeoutMs, 'DNS');
    return { addresses: found.map((entry) => entry.address), ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProbeError(code === 'ENOTFOUND' ? 'имя не найдено' : `${code ?? (error as Error).message}`, code);
  }
}

/** Opens and closes a TCP connection. */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<{ ms: number; address: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeError(`нет ответа за ${timeoutMs} мс`, 'ETIMEDOUT'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      const address = `${socket.remoteAddress}:${socket.remotePort}`;
      socket.destroy();
      resolve({ ms: Math.round(performance.now() - started), address });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ProbeError(error.code === 'ECONNREFUSED' ? 'соединение отвергнуто (ECONNREFUSED)' : (error.code ?? error.message), error.code));
    });
    socket.connect(port, host);
  });
}

export interface TlsFacts {
  protocol: string;
  cipher: string;
  subject: string;
  issuer: string;
  /** The server's certificate chains to a trusted root and matches the host name. */
  authorized: boolean;
  authorizationError?: string;
  ms: number;
}

function nameOf(fields: PeerCertificate['subject'] | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** A TLS handshake with Node's TLS, as the https calls make it (not verified here: the facts are reported). */
export function tlsHandshake(host: string, port: number, options: { trustedCa?: readonly string[]; client?: ClientTlsMaterial }, timeoutMs: number): Promise<TlsFacts> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      ...(options.trustedCa ? { ca: [...rootCertificates, ...options.trustedCa] } : {}),
      ...options.client,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeError(`рукопожатие TLS не завершилось за ${timeoutMs} мс`, 'ETIMEDOUT'));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const peer = socket.getPeerCertificate();
      const facts: TlsFacts = {
        protocol: socket.getProtocol() ?? '',
        cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? '',
        subject: nameOf(peer?.subject),
        issuer: nameOf(peer?.issuer),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        ms: Math.round(performance.now() - started),
      };
      socket.end();
      resolve(facts);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new ProbeError(error.message, error.code));
    });
  });
}
