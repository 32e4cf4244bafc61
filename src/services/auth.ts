// Sign-in, sessions, API tokens and API keys. Secrets are random, shown once, and stored
// only as SHA-256 so a database leak gives nobody a working token.
import { createHash, randomBytes } from 'node:crypto';
import { and, count, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { accessTokens, loginFailures, users, type TokenKind } from '../store/schema/index.ts';
import { hashPassword, passwordNeedsRehash, verifyPassword } from '../crypto/password.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from './errors.ts';
import type { User } from './users.ts';

export const TOKEN_TTL_MS = 12 * 3600 * 1000;
/** Failed attempts for one user name, or from one address, within the window before 429. */
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_IP = 20;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** lastUsedAt is written at most this often, so reads do not turn into writes. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

export interface IssuedToken {
  id: string;
  token: string;
  expiresAt: Date | null;
}

export interface Principal {
  user: User;
  tokenId: string;
  kind: TokenKind;
}

export type ApiKeyInfo = Pick<typeof accessTokens.$inferSelect, 'id' | 'userId' | 'name' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>;

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(kind: TokenKind): string {
  const prefix = kind === 'apiKey' ? 'kca_key_' : 'kca_';
  return prefix + randomBytes(32).toString('base64url');
}

export function actorOf(principal: Principal, requestId?: string): Actor {
  return {
    userId: principal.user.id,
    name: principal.user.username,
    role: principal.user.role,
    employeeId: principal.user.employeeId,
    requestId,
  };
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** Checks the password; too many recent failures for the name or the address answer 429 without checking. */
  async login(username: string, password: string, ip: string, requestId?: string): Promise<User> {
    const since = new Date(Date.now() - FAILURE_WINDOW_MS);
    const [[byUser], [byIp]] = await Promise.all([
      this.db.select({ n: count() }).from(loginFailures).where(and(eq(loginFailures.username, username), gt(loginFailures.at, since))),
      this.db.select({ n: count() }).from(loginFailures).where(and(eq(loginFailures.ip, ip), gt(loginFailures.at, since))),
    ]);
    if (byUser.n >= MAX_FAILURES_PER_USER || byIp.n >= MAX_FAILURES_PER_IP) {
      await this.audit.record(
        { userId: null, name: username, role: 'system', employeeId: null, requestId },
        { action: 'login', outcome: 'denied', details: { reason: 'throttled', ip } },
      );
      throw new TooManyRequestsError('Слишком много неудачных попыток входа. Повторите через 15 минут', FAILURE_WINDOW_MS / 1000, 'sign-in-failures');
    }
    const [user] = await this.db.select().from(users).where(eq(users.username, username));
    const valid = user && !user.disabled && user.passwordHash ? await verifyPassword(password, user.passwordHash) : false;
    if (!user || !valid) {
      await this.db.insert(loginFailures).values({ username, ip });
      await this.audit.record(
        { userId: user?.id ?? null, name: username, role: 'system', employeeId: null, requestId },
        { action: 'login', outcome: 'failure', details: { ip } },
      );
      throw new UnauthorizedError('Неверное имя пользователя или пароль');
    }
    await this.db.delete(loginFailures).where(eq(loginFailures.username, username));
    if (passwordNeedsRehash(user.passwordHash!)) {
      // Only the hash's parameters change, not the password: kept out of the audit log.
      await this.db.update(users).set({ passwordHash: await hashPassword(password) }).where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash!)));
    }
    await this.audit.record(
      { userId: user.id, name: user.username, role: user.role, employeeId: user.employeeId, requestId },
      { action: 'login', targetType: 'user', targetId: user.id, details: { ip } },
    );
    return user;
  }

  async issueToken(user: User, kind: 'session' | 'token'): Promise<IssuedToken> {
    const token = newSecret(kind);
    const expiresAt = new Date(Date.now() + TOKEN_TTL_MS);
    const [row] = await this.db
      .insert(accessTokens)
      .values({ userId: user.id, kind, tokenHash: hashToken(token), expiresAt })
      .returning({ id: accessTokens.id });
    return { id: row.id, token, expiresAt };
  }

  /** The principal behind a session, token or API key; undefined when unknown, expired, revoked or disabled. */
  async authenticate(secret: string): Promise<Principal | undefined> {
    const now = new Date();
    const [row] = await this.db
      .select({ token: accessTokens, user: users })
      .from(accessTokens)
      .innerJoin(users, eq(users.id, accessTokens.userId))
      .where(
        and(
          eq(accessTokens.tokenHash, hashToken(secret)),
          isNull(accessTokens.revokedAt),
          or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, now)),
        ),
      );
    if (!row || row.user.disabled) return undefined;
    if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.update(accessTokens).set({ lastUsedAt: now }).where(eq(accessTokens.id, row.token.id));
    }
    return { user: row.user, tokenId: row.token.id, kind: row.token.kind };
  }

  /**
   * Ends every session and bearer token of a user (API keys stay: they are managed on their own
   * and stop working while the user is disabled), except `keepTokenId`. Returns how many ended.
   */
  async endSessions(userId: string, keepTokenId?: string): Promise<number> {
    const ended = await this.db
      .update(accessTokens)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(accessTokens.userId, userId),
          inArray(accessTokens.kind, ['session', 'token']),
          isNull(accessTokens.revokedAt),
          keepTokenId ? ne(accessTokens.id, keepTokenId) : undefined,
        ),
      )
      .returning({ id: accessTokens.id });
    return ended.length;
  }

  async revoke(actor: Actor, tokenId: string): Promise<void> {
    await this.db.update(accessTokens).set({ revokedAt: new Date() }).where(and(eq(accessTokens.id, tokenId), isNull(accessTokens.revokedAt)));
    await this.audit.record(actor, { action: 'revokeToken', targetType: 'token', targetId: tokenId });
  }

  async createApiKey(actor: Actor, user: User, name: string): Promise<IssuedToken & { name: string }> {
    const token = newSecret('apiKey');
    const [row] = await this.db
      .insert(accessTokens)
      .values({ userId: user.id, kind: 'apiKey', tokenHash: hashToken(token), name })
      .returning({ id: accessTokens.id });
    await this.audit.record(actor, { action: 'createApiKey', targetType: 'apiKey', targetId: row.id, details: { user: user.username, name } });
    return { id: row.id, token, expiresAt: null, name };
  }

  async listApiKeys(): Promise<(ApiKeyInfo & { username: string })[]> {
    return this.db
      .select({
        id: accessTokens.id,
        userId: accessTokens.userId,
        username: users.username,
        name: accessTokens.name,
        createdAt: accessTokens.createdAt,
        lastUsedAt: accessTokens.lastUsedAt,
        revokedAt: accessTokens.revokedAt,
      })
      .from(accessTokens)
      .innerJoin(users, eq(users.id, accessTokens.userId))
      .where(eq(accessTokens.kind, 'apiKey'))
      .orderBy(desc(accessTokens.createdAt));
  }

  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    const [row] = await this.db
      .update(accessTokens)
      .set({ revokedAt: sql`coalesce(${accessTokens.revokedAt}, now())` })
      .where(and(eq(accessTokens.id, id), eq(accessTokens.kind, 'apiKey')))
      .returning({ id: accessTokens.id });
    if (!row) throw new NotFoundError('API-ключ не найден');
    await this.audit.record(actor, { action: 'revokeApiKey', targetType: 'apiKey', targetId: id });
  }

  /** Housekeeping job: drops expired sessions and tokens and old failure records. */
  async purgeExpired(): Promise<{ tokens: number; failures: number }> {
    const now = new Date();
    const tokens = await this.db
      .delete(accessTokens)
      .where(lt(accessTokens.expiresAt, now))
      .returning({ id: accessTokens.id });
    const failures = await this.db
      .delete(loginFailures)
      .where(lt(loginFailures.at, new Date(now.getTime() - FAILURE_WINDOW_MS)))
      .returning({ id: loginFailures.id });
    return { tokens: tokens.length, failures: failures.length };
  }
}
