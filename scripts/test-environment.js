// What the test files inherit from the caller's environment: everything but the server's own
// settings (src/config.ts and what it reads besides), so that a developer's ADMIN_PASSWORD, PORT
// or DATABASE_URL cannot change what the tests see. test/platform/config.test.ts checks that every
// name loadConfig reads is covered here.
export const SERVER_SETTINGS =
  /^(ADMIN_PASSWORD|ALLOWED_ORIGINS|DATABASE_URL|DATA_DIR|EMBEDDED_POSTGRES_RUN_AS|HOST|PORT|PUBLIC_URL|LOG_LEVEL|MASTER_KEY|ISSUE_EVENTS_POLL_MS|JOB_LEASE_SECONDS|KONTUR_DEADLINE_MS|REESTRO_FORMS_POLL_SECONDS|CERTIFICATE_RECONCILE_SECONDS|SIGN_UPLOAD_MAX_BYTES|TRUST_PROXY|SMS_LIMIT_[A-Z_]+|KCA_[A-Z_]+|SANDBOX_[A-Z_]+)$/;

/** The caller's environment without the server's settings. */
export function testEnvironment(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SERVER_SETTINGS.test(name)));
}
