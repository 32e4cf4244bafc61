export * from './users.ts';
export * from './employees.ts';
export * from './settings.ts';
export * from './audit.ts';
export * from './blobs.ts';
export * from './issues.ts';
export * from './webhooks.ts';
export * from './sandbox-kcr.ts';
