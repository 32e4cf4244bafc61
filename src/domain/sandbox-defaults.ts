// Development defaults shared by the settings and the built-in sandbox, so that a fresh
// `npm start` talks to its own sandbox with no configuration. They are public by design:
// the real Kontur never accepts them.

/** The KCR API key the sandbox accepts unless SANDBOX_KCR_API_KEY says otherwise. */
export const SANDBOX_KCR_API_KEY = 'sandbox-kcr-api-key-0000-000000000000';

/** The client-certificate thumbprint the cloud sandbox accepts unless SANDBOX_CLOUD_CLIENT_THUMBPRINT says otherwise. */
export const SANDBOX_CLOUD_CLIENT_THUMBPRINT = '0000000000000000000000000000000000000000';

export function sandboxKcrAddress(port: number): string {
  return `http://127.0.0.1:${port}/sandbox/kcr/`;
}

export function sandboxCloudAddress(port: number): string {
  return `http://127.0.0.1:${port}/sandbox/cloud/v3/`;
}
