// Builds the services once per process from the storage they stand on.
import type { Config } from '../config.ts';
import { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../store/db.ts';
import type { BlobStore } from '../store/blobs.ts';
import { AuditService } from './audit.ts';
import { AuthService } from './auth.ts';
import { EmployeesService } from './employees.ts';
import { SettingsService } from './settings.ts';
import { UsersService } from './users.ts';

export interface Services {
  audit: AuditService;
  auth: AuthService;
  users: UsersService;
  settings: SettingsService;
  employees: EmployeesService;
}

export function createServices(config: Config, database: Database, _blobs: BlobStore): Services {
  const { db } = database;
  const audit = new AuditService(db);
  return {
    audit,
    auth: new AuthService(db, audit),
    users: new UsersService(db, audit),
    settings: new SettingsService(db, audit, new SecretBox(config.masterKey), config.port),
    employees: new EmployeesService(db, audit),
  };
}
