// Every table of the sandbox, in its own PostgreSQL schemas (sandbox, sandbox_kcr,
// sandbox_cloud, sandbox_reestro), with its own migrations (src/sandbox/migrations, `npm run db:generate:sandbox`).
export * from './common-schema.ts';
export * from './kcr-schema.ts';
export * from './cloud-schema.ts';
export * from './reestro-schema.ts';
