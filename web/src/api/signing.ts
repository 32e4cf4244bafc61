import { apiRequest } from './client.ts';
import type { CloudCertificate, OperationResult, SignStarted, SignStatus } from './types.ts';

const operationPath = (id: string, rest = '') => `/sign-operations/${encodeURIComponent(id)}${rest}`;

/** «Поиск сертификата в облаке»: the signed-in user's valid cloud certificates. */
export const findCloudCertificates = () => apiRequest<CloudCertificate[]>('GET', '/cloud-certificates');

/** Starts signing one or several documents; Kontur sends one SMS code to the certificate owner's phone. */
export const startSigning = (documentIds: string[], certificateThumbprint: string) =>
  apiRequest<OperationResult<SignStarted>>('POST', '/sign-operations', { json: documentIds.length === 1 ? { documentId: documentIds[0], certificateThumbprint } : { documentIds, certificateThumbprint } }).then(
    (result) => result.data,
  );

export const confirmSigning = (operationId: string, code: string) =>
  apiRequest<OperationResult<SignStatus>>('POST', operationPath(operationId, '/confirmation'), { json: { code } }).then((result) => result.data);

/** The status; with `waitSeconds` the server holds the answer while the signature is being formed. */
export const fetchSigningStatus = (operationId: string, waitSeconds = 0) =>
  apiRequest<OperationResult<SignStatus>>('GET', operationPath(operationId), { query: { waitSeconds } }).then((result) => result.data);
