#!/usr/bin/env node
// The sources are TypeScript run through tsx's loader, so there is no separate build step
// for the server: `npm start` and `npx kca` work straight from a fresh clone.
import { register } from 'tsx/esm/api';

// `kca hash big | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
