// The Реестро sandbox's subjects, representatives, contents and console sessions, each kept per
// organization (portal.orgid).
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, getTableColumns, gt, inArray } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxReestroContents, sandboxReestroRepresentatives, sandboxReestroSessions, sandboxReestroSubjects } from './store/schema.ts';
import { shortContentType } from './reestro-rules.ts';

export type SandboxReestroSubject = typeof sandboxReestroSubjects.$inferSelect;
export type SandboxReestroRepresentative = typeof sandboxReestroRepresentatives.$inferSelect;
export type SandboxReestroContent = Omit<typeof sandboxReestroContents.$inferSelect, 'bytes'>;

const { bytes: _bytes, ...CONTENT_COLUMNS } = getTableColumns(sandboxReestroContents);

/** How long a console-issued session id (auth.sid) is valid. */
const SESSION_TTL_MS = 24 * 3600_000;

/** ContentInfo as Реестро answers it. */
export function contentInfo(content: SandboxReestroContent) {
  return { contentId: content.id, contentType: content.contentType, md5: content.md5, size: content.size };
}

/** The subject as the entity API returns it: its id, externalId and its one data object. */
export function subjectView(subject: SandboxReestroSubject) {
  return { subjectId: subject.id, ...(subject.externalId ? { externalId: subject.externalId } : {}), [subject.kind]: subject.data };
}

export class ReestroStore {
  constructor(private readonly db: SandboxDb) {}

  // ---- subjects ---------------------------------------------------------------------------

  async createSubject(orgId: string, subject: { externalId?: string; kind: string; data: Record<string, unknown> }): Promise<SandboxReestroSubject | undefined> {
    const [row] = await this.db
      .insert(sandboxReestroSubjects)
      .values({ orgId, externalId: subject.externalId ?? null, kind: subject.kind, data: subject.data })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async subject(orgId: string, id: string): Promise<SandboxReestroSubject | undefined> {
    const [row] = await this.db.select().from(sandboxReestroSubjects).where(and(eq(sandboxReestroSubjects.orgId, orgId), eq(sandboxReestroSubjects.id, id)));
    return row;
  }

  async subjectsByExternalId(orgId: string, externalId: string): Promise<SandboxReestroSubject[]> {
    return this.db.select().from(sandboxReestroSubjects).where(and(eq(sandboxReestroSubjects.orgId, orgId), eq(sandboxReestroSubjects.externalId, externalId)));
  }

  async updateSubject(id: string, data: Record<string, unknown>): Promise<SandboxReestroSubject> {
    const [row] = await this.db.update(sandboxReestroSubjects).set({ data, updatedAt: new Date() }).where(eq(sandboxReestroSubjects.id, id)).returning();
    return row;
  }

  /** The console's "Kontur lost it": the subject disappears (forms keep their ids). */
  async deleteSubject(id: string): Promise<boolean> {
    const rows = await this.db.delete(sandboxReestroSubjects).where(eq(sandboxReestroSubjects.id, id)).returning({ id: sandboxReestroSubjects.id });
    return rows.length > 0;
  }

  // ---- representatives --------------------------------------------------------------------

  async createRepresentative(orgId: string, value: { principalId: string; agentId: string; representativeType?: string; post?: string; authority?: string }): Promise<SandboxReestroRepresentative | undefined> {
    const [row] = await this.db
      .insert(sandboxReestroRepresentatives)
      .values({ orgId, principalId: value.principalId, agentId: value.agentId, representativeType: value.representativeType ?? null, post: value.post ?? null, authority: value.authority ?? null })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async representative(orgId: string, principalId: string, agentId: string): Promise<SandboxReestroRepresentative | undefined> {
    const [row] = await this.db
      .select()
      .from(sandboxReestroRepresentatives)
      .where(and(eq(sandboxReestroRepresentatives.orgId, orgId), eq(sandboxReestroRepresentatives.principalId, principalId), eq(sandboxReestroRepresentatives.agentId, agentId)));
    return row;
  }

  // ---- contents ---------------------------------------------------------------------------

  async addContent(orgId: string, bytes: Buffer, mediaType: string, origin: string, extract?: { subjectId: string; date: string }): Promise<SandboxReestroContent> {
    const md5 = createHash('md5').update(bytes).digest('hex').toUpperCase();
    const [row] = await this.db
      .insert(sandboxReestroContents)
      .values({
        orgId,
        contentType: origin === 'certificate' ? 'cer' : shortContentType(mediaType),
        mediaType: mediaType.split(';')[0].trim().toLowerCase(),
        md5,
        size: bytes.length,
        bytes,
        origin,
        subjectId: extract?.subjectId ?? null,
        extractDate: extract?.date ?? null,
      })
      .returning(CONTENT_COLUMNS);
    return row;
  }

  /** Contents of the organization by id, without their bytes. */
  async contents(orgId: string, ids: string[]): Promise<Map<string, SandboxReestroContent>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select(CONTENT_COLUMNS).from(sandboxReestroContents).where(and(eq(sandboxReestroContents.orgId, orgId), inArray(sandboxReestroContents.id, ids)));
    return new Map(rows.map((row) => [row.id, row]));
  }

  async contentBytes(orgId: string, id: string): Promise<{ bytes: Buffer; mediaType: string } | undefined> {
    const [row] = await this.db
      .select({ bytes: sandboxReestroContents.bytes, mediaType: sandboxReestroContents.mediaType })
      .from(sandboxReestroContents)
      .where(and(eq(sandboxReestroContents.orgId, orgId), eq(sandboxReestroContents.id, id)));
    return row;
  }

  /** Today's extract of the subject, if one was made today already. */
  async extractOfToday(orgId: string, subjectId: string, today: string): Promise<SandboxReestroContent | undefined> {
    const [row] = await this.db
      .select({ id: sandboxReestroContents.id })
      .from(sandboxReestroContents)
      .where(and(eq(sandboxReestroContents.orgId, orgId), eq(sandboxReestroContents.subjectId, subjectId), eq(sandboxReestroContents.extractDate, today)));
    return row ? (await this.contents(orgId, [row.id])).get(row.id) : undefined;
  }

  // ---- sessions (auth.sid) ----------------------------------------------------------------

  async createSession(orgId: string): Promise<{ sid: string; expiresAt: Date }> {
    const sid = randomBytes(32).toString('hex').toUpperCase();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.db.insert(sandboxReestroSessions).values({ sid, orgId, expiresAt });
    return { sid, expiresAt };
  }

  async sessionOrg(sid: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ orgId: sandboxReestroSessions.orgId })
      .from(sandboxReestroSessions)
      .where(and(eq(sandboxReestroSessions.sid, sid.toUpperCase()), gt(sandboxReestroSessions.expiresAt, new Date())));
    return row?.orgId;
  }
}
