// User accounts and their roles: admin (everything), operator (employees and certificate
// issues), employee (own documents and signatures, linked to one employee card).
import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { employees, users } from '../store/schema/index.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { hashPassword } from '../crypto/password.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { AuthService } from './auth.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from './errors.ts';

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, 'passwordHash'>;

export interface UserInput {
  username: string;
  displayName?: string;
  role: Role;
  password?: string;
  employeeId?: string | null;
  serviceAccount?: boolean;
}

export interface UserChange {
  displayName?: string;
  role?: Role;
  password?: string;
  employeeId?: string | null;
  disabled?: boolean;
}

const USERNAME = /^[a-zA-Z0-9._@-]{3,64}$/;
export const MIN_PASSWORD_LENGTH = 8;

export function toPublicUser(user: User): PublicUser {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    /** Ends a user's sessions when the password, the role or the disabled flag changes. */
    private readonly auth: AuthService,
  ) {}

  /** Creates `admin` on first start. Returns the generated password when none was given, to print once. */
  async ensureAdmin(password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    const [existing] = await this.db.select({ id: users.id }).from(users).where(eq(users.username, 'admin'));
    if (existing) return { created: false };
    const generated = password ? undefined : randomBytes(12).toString('base64url');
    await this.db
      .insert(users)
      .values({ username: 'admin', displayName: 'Администратор', role: 'admin', passwordHash: await hashPassword(password ?? generated!) })
      .onConflictDoNothing();
    return { created: true, generatedPassword: generated };
  }

  async create(actor: Actor, input: UserInput): Promise<PublicUser> {
    const problems: FieldProblem[] = [];
    if (!USERNAME.test(input.username)) {
      problems.push({ field: 'username', message: 'Имя пользователя: 3–64 латинских букв, цифр и знаков . _ @ -' });
    }
    if (!ROLES.includes(input.role)) problems.push({ field: 'role', message: `Роль должна быть одной из: ${ROLES.join(', ')}` });
    if (!input.serviceAccount && (input.password ?? '').length < MIN_PASSWORD_LENGTH) {
      problems.push({ field: 'password', message: `Пароль должен быть не короче ${MIN_PASSWORD_LENGTH} символов` });
    }
    if (input.role === 'employee' && !input.employeeId) {
      problems.push({ field: 'employeeId', message: 'Пользователя с ролью employee нужно связать с карточкой сотрудника' });
    }
    if (problems.length) throw new ValidationError(problems);
    if (input.employeeId) await this.requireEmployee(input.employeeId);

    const [created] = await this.db
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName?.trim() || input.username,
        role: input.role,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        employeeId: input.employeeId ?? null,
        serviceAccount: input.serviceAccount ?? false,
      })
      .onConflictDoNothing({ target: users.username })
      .returning();
    if (!created) {
      throw new ConflictError('Пользователь с таким именем уже есть', [{ field: 'username', message: 'Имя пользователя занято' }]);
    }
    await this.audit.record(actor, { action: 'createUser', targetType: 'user', targetId: created.id, details: { username: created.username, role: created.role } });
    return toPublicUser(created);
  }

  /** All users, each with the name of the employee card it is linked to (for people; the id is for programs). */
  async list(): Promise<(PublicUser & { employeeName: string | null })[]> {
    const rows = await this.db
      .select({ user: users, lastName: employees.lastName, firstName: employees.firstName, middleName: employees.middleName })
      .from(users)
      .leftJoin(employees, eq(employees.id, users.employeeId))
      .orderBy(asc(users.username));
    return rows.map((row) => ({ ...toPublicUser(row.user), employeeName: row.lastName ? [row.lastName, row.firstName, row.middleName].filter(Boolean).join(' ') : null }));
  }

  async get(id: string): Promise<User> {
    const [user] = await this.db.select().from(users).where(eq(users.id, id));
    if (!user) throw new NotFoundError('Пользователь не найден');
    return user;
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const [user] = await this.db.select().from(users).where(eq(users.username, username));
    return user;
  }

  /**
   * A new password, another role or disabling ends all of the user's sessions and bearer tokens;
   * `keepTokenId` (the caller's own session when users change themselves) stays.
   */
  async update(actor: Actor, id: string, change: UserChange, keepTokenId?: string): Promise<PublicUser> {
    const user = await this.get(id);
    const problems: FieldProblem[] = [];
    if (change.role !== undefined && !ROLES.includes(change.role)) problems.push({ field: 'role', message: `Роль должна быть одной из: ${ROLES.join(', ')}` });
    if (change.password !== undefined && change.password.length < MIN_PASSWORD_LENGTH) {
      problems.push({ field: 'password', message: `Пароль должен быть не короче ${MIN_PASSWORD_LENGTH} символов` });
    }
    const role = change.role ?? user.role;
    const employeeId = change.employeeId === undefined ? user.employeeId : change.employeeId;
    if (role === 'employee' && !employeeId) problems.push({ field: 'employeeId', message: 'Пользователя с ролью employee нужно связать с карточкой сотрудника' });
    if (user.username === 'admin' && (role !== 'admin' || change.disabled)) {
      problems.push({ field: 'role', message: 'Встроенного администратора нельзя понизить или отключить' });
    }
    if (problems.length) throw new ValidationError(problems);
    if (change.employeeId) await this.requireEmployee(change.employeeId);

    const [updated] = await this.db
      .update(users)
      .set({
        displayName: change.displayName?.trim() || undefined,
        role,
        employeeId,
        disabled: change.disabled,
        passwordHash: change.password !== undefined ? await hashPassword(change.password) : undefined,
        updatedAt: new Date(),
      })
      .where(eq(users.id, id))
      .returning();
    const changed = Object.keys(change).filter((key) => change[key as keyof UserChange] !== undefined);
    const endsSessions = change.password !== undefined || role !== user.role || (change.disabled === true && !user.disabled);
    const sessionsEnded = endsSessions ? await this.auth.endSessions(id, actor.userId === id ? keepTokenId : undefined) : 0;
    await this.audit.record(actor, { action: 'updateUser', targetType: 'user', targetId: id, details: { changed, sessionsEnded } });
    return toPublicUser(updated);
  }

  private async requireEmployee(employeeId: string): Promise<void> {
    const [employee] = await this.db.select({ id: employees.id }).from(employees).where(eq(employees.id, employeeId));
    if (!employee) throw new ValidationError([{ field: 'employeeId', message: 'Карточка сотрудника не найдена' }]);
  }
}
