// Development defaults shared by the settings and the built-in sandbox, so that a fresh
// `npm start` talks to its own sandbox with no configuration. They are public by design:
// the real Kontur never accepts them.

/** The KCR API key the sandbox accepts unless SANDBOX_KCR_API_KEY says otherwise. */
export const SANDBOX_KCR_API_KEY = 'sandbox-kcr-api-key-0000-000000000000';

/** The client-certificate thumbprint the cloud sandbox accepts unless SANDBOX_CLOUD_CLIENT_THUMBPRINT says otherwise. */
export const SANDBOX_CLOUD_CLIENT_THUMBPRINT = '0000000000000000000000000000000000000000';

/** The Реестро API key the sandbox accepts unless SANDBOX_REESTRO_API_KEY says otherwise (a GUID, like Kontur's keys). */
export const SANDBOX_REESTRO_API_KEY = '5a4db0c5-0000-4000-8000-000000000001';

/** The organization (portal.orgid) that key may act for, unless SANDBOX_REESTRO_ORG_ID says otherwise. */
export const SANDBOX_REESTRO_ORG_ID = '5a4db0c5-0000-4000-8000-0000000000a1';

export function sandboxKcrAddress(port: number): string {
  return `http://127.0.0.1:${port}/sandbox/kcr/`;
}

export function sandboxCloudAddress(port: number): string {
  return `http://127.0.0.1:${port}/sandbox/cloud/v3/`;
}

export function sandboxReestroAddress(port: number): string {
  return `http://127.0.0.1:${port}/sandbox/reestro/`;
}
