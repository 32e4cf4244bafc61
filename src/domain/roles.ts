// Who a user is to the bridge. The server checks each route against these (http/access.ts);
// the web client hides what a role may not open.
/** `sandbox`: only the built-in sandbox's console (a tester or demonstrator), nothing of the bridge. */
export const ROLES = ['admin', 'operator', 'employee', 'sandbox'] as const;
export type Role = (typeof ROLES)[number];
