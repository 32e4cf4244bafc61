export * from './users.ts';
export * from './employees.ts';
export * from './settings.ts';
export * from './audit.ts';
export * from './blobs.ts';
