// Who a request comes from, as the transport established it: the SHA-1 thumbprint (uppercase
// hex) of the TLS client certificate Node's TLS received on the connection. Kontur's cloud API
// identifies clients so when they send no `certificate` parameter (docs/kontur-api.md §6); a host
// that terminates TLS elsewhere (a GOST TLS tunnel) gives its own function to mountSandbox.
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';

export function tlsClientThumbprint(request: FastifyRequest): string | undefined {
  const socket = request.raw.socket as Partial<TLSSocket> | undefined;
  if (typeof socket?.getPeerCertificate !== 'function') return undefined;
  const certificate = socket.getPeerCertificate();
  if (!certificate?.raw?.length) return undefined;
  return createHash('sha1').update(certificate.raw).digest('hex').toUpperCase();
}
