// Whether a certificate in an employee card is revoked, asked of its CA: OCSP first (RFC 6960,
// with a nonce, the answer's signature checked against the issuing root), the CRL when there is
// no OCSP responder or it does not answer. The certificate names its responders (Authority
// Information Access) and CRLs (CRL Distribution Points); while the settings point at the
// built-in sandbox, the sandbox CA's public addresses (/sandbox/ca/ocsp, /sandbox/ca/crl next to
// the cloud address) are used for the certificates its root issued, as SigningTrust does for the
// root itself. Answers are kept on the card's row for a while (CACHE_MS) and shown with their age;
// a revocation is final and never asked again.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../store/db.ts';
import { employeeCertificates } from '../store/schema/index.ts';
import { crlDistributionUrls, ocspResponderUrls } from '../crypto/certificate-urls.ts';
import { findRevocation, parseCrl, verifyCrlSignature } from '../crypto/crl.ts';
import { encodeOcspRequest, ocspCertId, parseOcspResponse, verifyOcspResponse } from '../crypto/ocsp.ts';
import { namesMatch } from '../crypto/x509-names.ts';
import { parseCertificate, verifyCertificateSignature, type Certificate } from '../crypto/x509.ts';
import type { HttpTransport } from '../kontur/http-transport.ts';
import type { SettingsService } from './settings.ts';
import type { SigningTrust } from './signing-trust.ts';

/** How long an answer that says `good` (or could not be had) is used before the CA is asked again. */
export const REVOCATION_CACHE_MS = 5 * 60_000;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationAnswer {
  status: RevocationStatus;
  /** Where the answer came from; null when no answer could be had. */
  source: 'ocsp' | 'crl' | null;
  /** When the bridge got the answer (the cache's age counts from it). */
  checkedAt: string;
  /** Seconds since then. */
  ageSeconds: number;
  /** Whether this answer came from the cache. */
  cached: boolean;
  revokedAt: string | null;
  reason: string | null;
  /** In Russian, for people. */
  message: string;
}

type CertificateRow = typeof employeeCertificates.$inferSelect;

function answerOf(row: Pick<CertificateRow, 'revocationStatus' | 'revocationSource' | 'revocationCheckedAt' | 'revokedAt' | 'revocationReason'>, cached: boolean, now = new Date()): RevocationAnswer {
  const status = row.revokedAt ? 'revoked' : (row.revocationStatus ?? 'unknown');
  const checkedAt = row.revocationCheckedAt ?? now;
  const source = row.revocationSource ?? null;
  const where = source === 'ocsp' ? 'по ответу OCSP' : source === 'crl' ? 'по списку отзыва (CRL)' : '';
  const message =
    status === 'revoked'
      ? `Сертификат отозван${row.revokedAt ? ` ${row.revokedAt.toISOString().slice(0, 10)}` : ''}${where ? ` (${where})` : ''}`
      : status === 'good'
        ? `Сертификат не отозван (${where})`
        : 'Не удалось узнать у УЦ, отозван ли сертификат';
  return {
    status,
    source,
    checkedAt: checkedAt.toISOString(),
    ageSeconds: Math.max(0, Math.round((now.getTime() - checkedAt.getTime()) / 1000)),
    cached,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    reason: row.revocationReason ?? null,
    message,
  };
}

/** An answer for a certificate as stored in the card, without asking anyone (for lists). */
export function storedRevocationAnswer(row: Parameters<typeof answerOf>[0]): RevocationAnswer | null {
  if (!row.revokedAt && !row.revocationCheckedAt) return null;
  return answerOf(row, true);
}

export class RevocationChecker {
  constructor(
    private readonly db: Db,
    private readonly trust: SigningTrust,
    private readonly settings: SettingsService,
    private readonly http: HttpTransport,
    private readonly logger: Logger,
    private readonly cacheMs = REVOCATION_CACHE_MS,
  ) {}

  /** The answer for a card's certificate (by row id): from the cache while it is fresh, else from the CA. */
  async check(certificateId: string, options: { fresh?: boolean } = {}): Promise<RevocationAnswer> {
    const [row] = await this.db.select().from(employeeCertificates).where(eq(employeeCertificates.id, certificateId));
    if (!row) throw new Error(`no certificate ${certificateId}`);
    if (row.revokedAt) return answerOf(row, true);
    if (!options.fresh && row.revocationCheckedAt && Date.now() - row.revocationCheckedAt.getTime() < this.cacheMs) return answerOf(row, true);
    const found = await this.ask(parseCertificate(row.der));
    const checkedAt = new Date();
    const change = {
      revocationStatus: found.status,
      revocationSource: found.source,
      revocationCheckedAt: checkedAt,
      ...(found.status === 'revoked' ? { revokedAt: found.revokedAt ?? checkedAt, revocationReason: found.reason ?? 'unspecified' } : {}),
    };
    const [updated] = await this.db.update(employeeCertificates).set(change).where(eq(employeeCertificates.id, certificateId)).returning();
    return answerOf(updated ?? { ...row, ...change }, false, checkedAt);
  }

  /** Asks the CA: OCSP, then the CRL. */
  private async ask(certificate: Certificate): Promise<{ status: RevocationStatus; source: 'ocsp' | 'crl' | null; revokedAt?: Date; reason?: string }> {
    const issuer = await this.issuerOf(certificate);
    if (!issuer) return { status: 'unknown', source: null };
    const places = await this.placesOf(certificate, issuer);
    for (const url of places.ocsp) {
      try {
        const nonce = new Uint8Array(randomBytes(16));
        const response = await this.fetch(url, 'POST', Buffer.from(encodeOcspRequest({ certIds: [ocspCertId(certificate, issuer, 'sha1')], nonce })));
        const parsed = parseOcspResponse(response);
        if (parsed.status !== 'successful' || !parsed.basic) throw new Error(`OCSP responder answered ${parsed.status}`);
        const verified = verifyOcspResponse(parsed.basic, certificate, issuer, { nonce });
        if (!verified.valid) throw new Error(`OCSP answer rejected: ${verified.message}`);
        const single = verified.single;
        if (single.nextUpdate && single.nextUpdate.getTime() < Date.now()) throw new Error('OCSP answer is out of date');
        if (single.certStatus.status === 'revoked') return { status: 'revoked', source: 'ocsp', revokedAt: single.certStatus.revocationTime, reason: single.certStatus.reason };
        if (single.certStatus.status === 'good') return { status: 'good', source: 'ocsp' };
        // `unknown`: the responder does not know the certificate; the CRL may.
      } catch (error) {
        this.logger.warn({ err: error, url }, 'OCSP check failed; trying the CRL');
      }
    }
    for (const url of places.crl) {
      try {
        const crl = parseCrl(new Uint8Array(await this.fetch(url, 'GET')));
        if (!verifyCrlSignature(crl, issuer)) throw new Error('the CRL is not signed by the certificate\'s issuer');
        if (crl.nextUpdate && crl.nextUpdate.getTime() < Date.now()) throw new Error('the CRL is out of date');
        const entry = findRevocation(crl, certificate);
        return entry ? { status: 'revoked', source: 'crl', revokedAt: entry.revocationDate, reason: entry.reason } : { status: 'good', source: 'crl' };
      } catch (error) {
        this.logger.warn({ err: error, url }, 'CRL check failed');
      }
    }
    return { status: 'unknown', source: null };
  }

  private async issuerOf(certificate: Certificate): Promise<Certificate | undefined> {
    const roots = await this.trust.roots();
    return roots.find((root) => namesMatch(root.subject, certificate.issuer) && verifyCertificateSignature(certificate, root));
  }

  private async placesOf(certificate: Certificate, issuer: Certificate): Promise<{ ocsp: string[]; crl: string[] }> {
    const ocsp = ocspResponderUrls(certificate);
    const crl = crlDistributionUrls(certificate);
    const view = await this.settings.view();
    if (view.sandboxMode && ocsp.length === 0 && crl.length === 0) {
      const sandboxRoot = await this.trust.sandboxRootCertificate().catch(() => undefined);
      if (sandboxRoot && Buffer.from(sandboxRoot.der).equals(Buffer.from(issuer.der))) {
        const origin = new URL(view.CryptoApiConnectionAddress).origin;
        return { ocsp: [`${origin}/sandbox/ca/ocsp`], crl: [`${origin}/sandbox/ca/crl`] };
      }
    }
    return { ocsp, crl };
  }

  private async fetch(address: string, method: 'GET' | 'POST', body?: Buffer): Promise<Buffer> {
    const url = new URL(address);
    const response = await this.http.request({
      method,
      baseUrl: `${url.origin}/`,
      path: `${url.pathname}${url.search}`,
      headers: body ? { 'content-type': 'application/ocsp-request' } : {},
      body,
      timeoutMs: FETCH_TIMEOUT_MS,
      repeatable: true,
      operation: method === 'POST' ? 'revocation.ocsp' : 'revocation.crl',
    });
    if (response.status !== 200) throw new Error(`${address}: HTTP ${response.status}`);
    if (response.body.length > MAX_ANSWER_BYTES) throw new Error(`${address}: answer too large`);
    return response.body;
  }
}
