#!/usr/bin/env node
// Runs the server bundle (dist/server/kca.mjs, built by `npm install` and `npm start`) when it is
// up to date with src/, else the TypeScript sources through tsx's loader, so that `npx kca` works
// straight from a fresh clone and right after an edit.
import { serverBundleIsStale, SERVER_BUNDLE } from '../scripts/server-bundle.js';
import { pathToFileURL } from 'node:url';

// `kca hash big | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

let main;
if (!serverBundleIsStale()) {
  ({ main } = await import(pathToFileURL(SERVER_BUNDLE).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
