import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../store/db.ts';
import { AuditService } from '../services/audit.ts';
import { AuthService } from '../services/auth.ts';
import { UsersService } from '../services/users.ts';
import { ServiceError, ValidationError } from '../services/errors.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { configOrExit } from './config-or-exit.ts';

const USAGE = `Usage: kca user create USERNAME --role admin|operator|employee|sandbox [--password P] [--employee EMPLOYEE_ID] [--name "Display name"]
Without --password a password is generated and printed once.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, password: { type: 'string' }, employee: { type: 'string' }, name: { type: 'string' } },
  });
  const [action, username] = positionals;
  if (action !== 'create' || !username || !values.role) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!ROLES.includes(values.role as Role)) {
    process.stderr.write(`kca: --role must be one of ${ROLES.join(', ')}\n`);
    return 2;
  }
  const config = configOrExit();
  if (!config) return 2;
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    const audit = new AuditService(database.db);
    const users = new UsersService(database.db, audit, new AuthService(database.db, audit));
    const password = values.password ?? randomBytes(12).toString('base64url');
    const user = await users.create(
      { userId: null, name: 'cli', role: 'system', employeeId: null },
      { username, role: values.role as Role, password, employeeId: values.employee, displayName: values.name },
    );
    process.stdout.write(`created user ${user.username} (${user.role})${values.password ? '' : ` with the password ${password}`}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const problem of error.errors) process.stderr.write(`kca: ${problem.field}: ${problem.message}\n`);
      return 1;
    }
    if (error instanceof ServiceError) {
      process.stderr.write(`kca: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
