import { apiRequest } from './client.ts';
import type { StoredCertificate } from './types.ts';

export const fetchTrustedRoots = () => apiRequest<StoredCertificate[]>('GET', '/settings/trusted-roots');

/** PEM text, or DER in base64. */
export const addTrustedRoot = (certificate: string) => apiRequest<StoredCertificate>('POST', '/settings/trusted-roots', { json: { certificate } });

export const removeTrustedRoot = (thumbprint: string) => apiRequest<void>('DELETE', `/settings/trusted-roots/${thumbprint}`);

export const fetchClientCertificates = () => apiRequest<StoredCertificate[]>('GET', '/settings/client-certificates');

export type ClientCertificateInput = { certificatePem: string; privateKeyPem: string } | { pfxBase64: string; password: string };

export const addClientCertificate = (input: ClientCertificateInput) =>
  apiRequest<StoredCertificate>('POST', '/settings/client-certificates', { json: input });

export const removeClientCertificate = (thumbprint: string) => apiRequest<void>('DELETE', `/settings/client-certificates/${thumbprint}`);
