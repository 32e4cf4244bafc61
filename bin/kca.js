#!/usr/bin/env node
// The sources are TypeScript run through tsx's loader, so there is no separate build step
// for the server: `npm start` and `npx kca` work straight from a fresh clone.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
