import { defineConfig } from 'drizzle-kit';

// `npm run db:generate:sandbox` writes a new sandbox migration after a change of src/sandbox/store.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/sandbox/store/schema.ts',
  out: './src/sandbox/migrations',
  schemaFilter: ['sandbox', 'sandbox_kcr', 'sandbox_cloud', 'sandbox_reestro'],
});
