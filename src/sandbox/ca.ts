// The sandbox certification authority: a GOST R 34.10-2012 (256-bit) root made on first use
// and kept in the sandbox's tables (key sealed with the master key), which releases real
// end-entity certificates with the applicant's name, SNILS, INN and email. For cloud ("dss")
// issues the subject's key is generated here and kept sealed, because the cloud-signature
// sandbox signs with it; for other issues the CA certifies the key of the PKCS#10 request the
// applicant uploaded, and without one generates a key and throws it away.
//
// Around the root: a time-stamp authority (RFC 3161, its own GOST key and certificate issued by
// the root), revocation (the console revokes a certificate), a CRL the root signs, and OCSP
// answers the root signs. CAdES-T and CAdES-X Long Type 1 signatures of the cloud sandbox use
// them, and /sandbox/ca publishes them.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxCa, sandboxCaCrls, sandboxCaRevocations, sandboxKcrIssues } from './store/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { generateKeyPair, type GostPrivateKey } from '../crypto/gost3410.ts';
import { encodePrivateKeyInfo, parsePrivateKeyInfo } from '../crypto/keys.ts';
import { createCrl, parseCrl, type Crl, type CrlReason } from '../crypto/crl.ts';
import { answerOcspRequest, createBasicOcspResponse, ocspCertId, type OcspCertStatus } from '../crypto/ocsp.ts';
import { OID } from '../crypto/oids.ts';
import { answerTimeStampRequest, issueTimeStampToken, type MessageImprint, type TimeStampAuthority } from '../crypto/tsp.ts';
import type { ValidationData } from '../crypto/cades.ts';
import {
  createSelfSignedRoot,
  issueEndEntityCertificate,
  naturalPersonSubject,
  parseCertificate,
  summarizeCertificate,
  type Certificate,
} from '../crypto/x509.ts';
import type { NameInput } from '../crypto/x509-names.ts';
import type { SandboxIssue } from './kcr-issue-store.ts';
import { readCertificationRequest } from './certificate-request.ts';

const ROOT = 'root';
const TSA = 'tsa';
const PARAM_SET = 'cryptopro-A';
/** Associated data of the sealed keys, so a key sealed for one purpose cannot be passed off as another. */
export const SUBJECT_KEY_AAD = (issueId: string) => `sandbox-kcr-subject-key:${issueId}`;
const ROOT_KEY_AAD = 'sandbox-ca-root-key';
const TSA_KEY_AAD = 'sandbox-ca-tsa-key';
/** The sandbox TSA's policy: an OID of its own under 2.25 (UUID-based, X.667), meaning "the sandbox's time-stamps". */
export const SANDBOX_TSA_POLICY = '2.25.174056842790758013985212989163408243365';
const YEAR_MS = 365 * 86_400_000;
/** A CRL is valid a day; a new one is made after an hour or after a revocation. */
const CRL_VALIDITY_MS = 86_400_000;
const CRL_REFRESH_MS = 3_600_000;
const OCSP_VALIDITY_MS = 3_600_000;

export interface ReleasedCertificate {
  der: Buffer;
  info: { serialNumber: string; thumbprint: string; validFrom: string; validTo: string };
  /** PKCS#8 of the subject key, sealed; only for `dss` issues. */
  subjectKeySealed?: string;
}

export interface Revocation {
  serialNumber: string;
  revokedAt: Date;
  reason: CrlReason;
}

interface KeyedCertificate {
  certificate: Certificate;
  key: GostPrivateKey;
}

/** A refusal of the CA's console actions, with the field at fault. */
export class CaInputError extends Error {
  readonly statusCode: number;
  constructor(
    status: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.statusCode = status;
  }
}

export const normalizeSerial = (serial: string) => serial.replace(/[\s:]/g, '').toUpperCase().replace(/^0+(?=.)/, '');

export class SandboxCa {
  private loaded: Promise<KeyedCertificate> | undefined;
  private tsaLoaded: Promise<KeyedCertificate> | undefined;
  /** Validity of released certificates in days (SANDBOX_CERT_VALIDITY_DAYS, or set from the console); undefined: the template's. */
  private validityDays: number | undefined;

  constructor(
    private readonly db: SandboxDb,
    private readonly secrets: SecretBox,
    options: { validityDays?: number } = {},
  ) {
    this.validityDays = options.validityDays;
  }

  /** The validity of the certificates released from now on (days), or undefined for the template's own. */
  get releaseValidityDays(): number | undefined {
    return this.validityDays;
  }

  setReleaseValidityDays(days: number | undefined): void {
    if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new CaInputError(400, 'days', 'Срок действия: целое число дней от 1 до 3650');
    this.validityDays = days;
  }

  async root(): Promise<Uint8Array> {
    return (await this.ensureRoot()).certificate.der;
  }

  /** The root certificate and its key, for the sandbox's own service certificates (its GOST TLS front). */
  async issuer(): Promise<{ certificate: Certificate; key: GostPrivateKey }> {
    return this.ensureRoot();
  }

  async rootCertificate(): Promise<Certificate> {
    return (await this.ensureRoot()).certificate;
  }

  async issueFor(issue: SandboxIssue): Promise<ReleasedCertificate> {
    const { certificate: rootCertificate, key: rootKey } = await this.ensureRoot();
    const subject = issue.subjectInfo as Record<string, string | undefined>;
    const snils = issue.documents.snils?.requisites.number ?? (issue.confirmation && 'snilsNumber' in issue.confirmation ? issue.confirmation.snilsNumber : undefined);
    const dss = (issue.cspInfo as { type?: string }).type === 'dss';
    const pair = generateKeyPair(PARAM_SET);
    // The request was checked when it was uploaded.
    const requestedKey = !dss && issue.certificateRequest ? readCertificationRequest(issue.certificateRequest).publicKey : undefined;
    const qualified = (issue.certificateTemplateInfo as { type?: string }).type === 'qualified';
    const certificate = issueEndEntityCertificate({
      subject: naturalPersonSubject({
        lastName: subject.lastname ?? '',
        firstName: subject.firstname ?? '',
        middleName: subject.middlename ?? undefined,
        snils: snils ?? undefined,
        inn: subject.inn ?? undefined,
        email: subject.email ?? undefined,
      }),
      publicKey: requestedKey ?? pair.publicKey,
      issuerCertificate: rootCertificate,
      issuerPrivateKey: rootKey,
      validDays: this.validityDays ?? (qualified ? 365 : 455),
    });
    const summary = summarizeCertificate(certificate);
    return {
      der: Buffer.from(certificate.der),
      info: { serialNumber: summary.serialNumber, thumbprint: summary.thumbprint, validFrom: summary.notBefore, validTo: summary.notAfter },
      subjectKeySealed: dss ? this.secrets.seal(Buffer.from(encodePrivateKeyInfo(pair.privateKey)), SUBJECT_KEY_AAD(issue.id)) : undefined,
    };
  }

  /**
   * The same certificate (serial number, subject, key, extensions) signed again with its validity
   * moved `days` days into the past, as if the sandbox's clock for it had run ahead: how a
   * certificate's end, renewal and notices are walked in minutes. Not something a real CA does.
   */
  async moveClock(der: Uint8Array, days: number): Promise<ReleasedCertificate> {
    if (!Number.isInteger(days) || days < -3650 || days > 3650 || days === 0) throw new CaInputError(400, 'days', 'Сдвиг часов: целое число дней от -3650 до 3650, не 0');
    const { certificate: rootCertificate, key: rootKey } = await this.ensureRoot();
    const current = parseCertificate(der);
    if (!current.publicKey) throw new CaInputError(409, 'certificate', 'Ключ сертификата не ГОСТ Р 34.10-2012');
    const subject = current.subject.map((attribute) => {
      if (!attribute.key) throw new CaInputError(409, 'certificate', `Атрибут имени ${attribute.oid} не поддерживается`);
      return { key: attribute.key, value: attribute.value };
    });
    const shift = days * 86_400_000;
    const certificate = issueEndEntityCertificate({
      subject,
      publicKey: current.publicKey,
      issuerCertificate: rootCertificate,
      issuerPrivateKey: rootKey,
      serialNumber: current.serialNumber,
      notBefore: new Date(current.notBefore.getTime() - shift),
      notAfter: new Date(current.notAfter.getTime() - shift),
    });
    const summary = summarizeCertificate(certificate);
    return { der: Buffer.from(certificate.der), info: { serialNumber: summary.serialNumber, thumbprint: summary.thumbprint, validFrom: summary.notBefore, validTo: summary.notAfter } };
  }

  // ---- time-stamps ----------------------------------------------------------------------

  async timeStampAuthority(): Promise<TimeStampAuthority> {
    const { certificate, key } = await this.ensureTsa();
    return { certificate, privateKey: key, policy: SANDBOX_TSA_POLICY, chain: [] };
  }

  /** A token over `imprint`, with the TSA's certificate in it (as CAdES wants it self-contained). */
  stamp = async (imprint: MessageImprint): Promise<Uint8Array> => issueTimeStampToken(await this.timeStampAuthority(), { imprint, certReq: true });

  /** The TSA's answer (TimeStampResp DER) to an RFC 3161 request. */
  async answerTimeStampRequest(request: Uint8Array): Promise<Uint8Array> {
    return answerTimeStampRequest(await this.timeStampAuthority(), request);
  }

  // ---- revocation -----------------------------------------------------------------------

  /** Revokes the certificate with this serial number (hex) or thumbprint; revoking again answers the first revocation. */
  async revoke(input: { serialNumber?: string; thumbprint?: string; reason: CrlReason; revokedAt?: Date }): Promise<{ revocation: Revocation; created: boolean }> {
    let serialNumber: string;
    if (input.thumbprint !== undefined) {
      const thumbprint = input.thumbprint.replace(/[\s:]/g, '').toUpperCase();
      if (!/^[0-9A-F]{40}$/.test(thumbprint)) throw new CaInputError(400, 'thumbprint', 'Отпечаток: 40 шестнадцатеричных символов');
      const [row] = await this.db
        .select({ info: sandboxKcrIssues.certificateReleasedInfo })
        .from(sandboxKcrIssues)
        .where(and(sql`${sandboxKcrIssues.certificateReleasedInfo}->>'thumbprint' = ${thumbprint}`, isNull(sandboxKcrIssues.deletedAt)))
        .limit(1);
      const released = row?.info as { serialNumber?: string } | null | undefined;
      if (!released?.serialNumber) throw new CaInputError(404, 'thumbprint', 'УЦ песочницы не выпускал сертификат с таким отпечатком');
      serialNumber = normalizeSerial(released.serialNumber);
    } else {
      serialNumber = normalizeSerial(input.serialNumber ?? '');
      if (!/^[0-9A-F]{1,40}$/.test(serialNumber)) throw new CaInputError(400, 'serialNumber', 'Серийный номер: до 40 шестнадцатеричных символов');
    }
    const revokedAt = input.revokedAt ?? new Date();
    if (revokedAt.getTime() > Date.now() + 60_000) throw new CaInputError(400, 'revokedAt', 'Дата отзыва не может быть в будущем');
    const inserted = await this.db
      .insert(sandboxCaRevocations)
      .values({ serialNumber, revokedAt, reason: input.reason })
      .onConflictDoNothing()
      .returning();
    const [row] = inserted.length ? inserted : await this.db.select().from(sandboxCaRevocations).where(eq(sandboxCaRevocations.serialNumber, serialNumber));
    return { revocation: { serialNumber: row.serialNumber, revokedAt: row.revokedAt, reason: row.reason as CrlReason }, created: inserted.length > 0 };
  }

  async revocations(): Promise<Revocation[]> {
    const rows = await this.db.select().from(sandboxCaRevocations).orderBy(desc(sandboxCaRevocations.createdAt));
    return rows.map((row) => ({ serialNumber: row.serialNumber, revokedAt: row.revokedAt, reason: row.reason as CrlReason }));
  }

  /** The current CRL: the latest one while it is recent and lists every revocation, else a new one. */
  async crl(): Promise<Crl> {
    const latest = async () => (await this.db.select().from(sandboxCaCrls).orderBy(desc(sandboxCaCrls.number)).limit(1))[0];
    const current = await latest();
    const revocations = await this.revocations();
    if (current && Date.now() - current.thisUpdate.getTime() < CRL_REFRESH_MS && current.revocations === revocations.length) {
      return parseCrl(new Uint8Array(current.der));
    }
    const { certificate, key } = await this.ensureRoot();
    const thisUpdate = new Date();
    const number = (current?.number ?? 0n) + 1n;
    const crl = createCrl({
      issuer: certificate,
      privateKey: key,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + CRL_VALIDITY_MS),
      crlNumber: number,
      revoked: revocations.map((r) => ({ serialNumber: BigInt(`0x${r.serialNumber}`), revocationDate: r.revokedAt, reason: r.reason })),
    });
    // Another process may publish the same number at the same time: the first row wins and is the CRL.
    await this.db
      .insert(sandboxCaCrls)
      .values({ number, der: Buffer.from(crl.der), thisUpdate, nextUpdate: crl.nextUpdate!, revocations: revocations.length })
      .onConflictDoNothing();
    return parseCrl(new Uint8Array((await latest()).der));
  }

  /** What the CA says about a serial number it may have issued: revoked, or good. */
  async statusOf(serialNumber: bigint): Promise<OcspCertStatus> {
    const hex = serialNumber.toString(16).toUpperCase();
    const [row] = await this.db.select().from(sandboxCaRevocations).where(eq(sandboxCaRevocations.serialNumber, hex));
    return row ? { status: 'revoked', revocationTime: row.revokedAt, reason: row.reason as CrlReason } : { status: 'good' };
  }

  /** The root's OCSP answer to a DER OCSPRequest (good unless revoked; other issuers' certificates are unknown). */
  async answerOcspRequest(request: Uint8Array): Promise<Uint8Array> {
    const { certificate, key } = await this.ensureRoot();
    const revoked = new Map((await this.revocations()).map((r) => [r.serialNumber, r]));
    return answerOcspRequest({ certificate, privateKey: key }, request, (serial) => {
      const revocation = revoked.get(serial.toString(16).toUpperCase());
      return revocation ? { status: 'revoked', revocationTime: revocation.revokedAt, reason: revocation.reason } : { status: 'good' };
    }, { validityMs: OCSP_VALIDITY_MS });
  }

  /** Everything a CAdES-X Long signature by a certificate of this CA embeds: the root, the CRL, an OCSP answer. */
  async validationData(certificate: Certificate): Promise<ValidationData> {
    const { certificate: root, key } = await this.ensureRoot();
    const thisUpdate = new Date();
    const basic = createBasicOcspResponse({
      responder: { certificate: root, privateKey: key },
      responses: [{ certId: ocspCertId(certificate, root, 'streebog256'), certStatus: await this.statusOf(certificate.serialNumber), thisUpdate, nextUpdate: new Date(thisUpdate.getTime() + OCSP_VALIDITY_MS) }],
    });
    return { caCertificates: [root], crls: [(await this.crl()).der], ocspResponses: [basic] };
  }

  // ---- keys -------------------------------------------------------------------------------

  /** A certificate for a subject the caller names (Реестро's forms); the key is made here and not kept. */
  async issueCertificate(subject: NameInput, validDays: number): Promise<ReleasedCertificate> {
    const { certificate: rootCertificate, key: rootKey } = await this.ensureRoot();
    const pair = generateKeyPair(PARAM_SET);
    const certificate = issueEndEntityCertificate({ subject, publicKey: pair.publicKey, issuerCertificate: rootCertificate, issuerPrivateKey: rootKey, validDays });
    const summary = summarizeCertificate(certificate);
    return { der: Buffer.from(certificate.der), info: { serialNumber: summary.serialNumber, thumbprint: summary.thumbprint, validFrom: summary.notBefore, validTo: summary.notAfter } };
  }

  private ensureRoot() {
    this.loaded ??= this.loadOrCreate(ROOT, ROOT_KEY_AAD, async () => {
      const pair = generateKeyPair(PARAM_SET);
      const certificate = createSelfSignedRoot({
        subject: { CN: 'Тестовый УЦ Контур (песочница)', O: 'Kontur CA Bridge sandbox', C: 'RU', L: 'Екатеринбург' },
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        validDays: 3650,
      });
      return { certificate, key: pair.privateKey };
    }).catch((error) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private ensureTsa() {
    this.tsaLoaded ??= this.ensureRoot()
      .then((root) =>
        this.loadOrCreate(TSA, TSA_KEY_AAD, async () => {
          const pair = generateKeyPair(PARAM_SET);
          const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
          const certificate = issueEndEntityCertificate({
            subject: { CN: 'Служба штампов времени песочницы УЦ Контур', O: 'Kontur CA Bridge sandbox', C: 'RU' },
            publicKey: pair.publicKey,
            issuerCertificate: root.certificate,
            issuerPrivateKey: root.key,
            notBefore,
            notAfter: new Date(Math.min(notBefore.getTime() + 5 * YEAR_MS, root.certificate.notAfter.getTime())),
            keyUsage: ['digitalSignature', 'nonRepudiation'],
            extendedKeyUsage: [OID.ekuTimeStamping],
            extendedKeyUsageCritical: true,
          });
          return { certificate, key: pair.privateKey };
        }))
      .catch((error) => {
        this.tsaLoaded = undefined;
        throw error;
      });
    return this.tsaLoaded;
  }

  private async loadOrCreate(name: string, aad: string, create: () => Promise<KeyedCertificate>): Promise<KeyedCertificate> {
    const read = async () => {
      const [row] = await this.db.select().from(sandboxCa).where(eq(sandboxCa.name, name));
      return row && { certificate: parseCertificate(row.certificateDer), key: parsePrivateKeyInfo(this.secrets.open(row.keySealed, aad)) };
    };
    const existing = await read();
    if (existing) return existing;
    const made = await create();
    // Another process may have made one at the same time: the first row wins and everyone reads it.
    await this.db
      .insert(sandboxCa)
      .values({ name, keySealed: this.secrets.seal(Buffer.from(encodePrivateKeyInfo(made.key)), aad), certificateDer: Buffer.from(made.certificate.der) })
      .onConflictDoNothing();
    return (await read())!;
  }
}
