// Sandbox routes are public to the bridge's access control: KCR checks its own API key and the
// console its own rule (see plugin.ts).
export const PUBLIC = { config: { access: 'public' as const } };
