// Sandbox routes are public to the bridge's access control: KCR checks its own API key and the
// console its own guard (see index.ts).
export const PUBLIC = { config: { access: 'public' as const } };
