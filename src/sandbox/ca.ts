// The sandbox certification authority: a GOST R 34.10-2012 (256-bit) root made on first use
// and kept in the sandbox's tables (key sealed with the master key), which releases real
// end-entity certificates with the applicant's name, SNILS, INN and email. For cloud ("dss")
// issues the subject's key is generated here and kept sealed, because the cloud-signature
// sandbox signs with it; for other issues the CA certifies the key of the PKCS#10 request the
// applicant uploaded, and without one generates a key and throws it away.
import { eq } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxCa } from './store/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { generateKeyPair, type GostPrivateKey } from '../crypto/gost3410.ts';
import { encodePrivateKeyInfo, parsePrivateKeyInfo } from '../crypto/keys.ts';
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
const PARAM_SET = 'cryptopro-A';
/** Associated data of the sealed keys, so a key sealed for one purpose cannot be passed off as another. */
export const SUBJECT_KEY_AAD = (issueId: string) => `sandbox-kcr-subject-key:${issueId}`;
const ROOT_KEY_AAD = 'sandbox-ca-root-key';

export interface ReleasedCertificate {
  der: Buffer;
  info: { serialNumber: string; thumbprint: string; validFrom: string; validTo: string };
  /** PKCS#8 of the subject key, sealed; only for `dss` issues. */
  subjectKeySealed?: string;
}

export class SandboxCa {
  private loaded: Promise<{ certificate: Certificate; key: GostPrivateKey }> | undefined;

  constructor(
    private readonly db: SandboxDb,
    private readonly secrets: SecretBox,
  ) {}

  async root(): Promise<Uint8Array> {
    return (await this.ensureRoot()).certificate.der;
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
      validDays: qualified ? 365 : 455,
    });
    const summary = summarizeCertificate(certificate);
    return {
      der: Buffer.from(certificate.der),
      info: { serialNumber: summary.serialNumber, thumbprint: summary.thumbprint, validFrom: summary.notBefore, validTo: summary.notAfter },
      subjectKeySealed: dss ? this.secrets.seal(Buffer.from(encodePrivateKeyInfo(pair.privateKey)), SUBJECT_KEY_AAD(issue.id)) : undefined,
    };
  }

  /** A certificate for a subject the caller names (Реестро's forms); the key is made here and not kept. */
  async issueCertificate(subject: NameInput, validDays: number): Promise<ReleasedCertificate> {
    const { certificate: rootCertificate, key: rootKey } = await this.ensureRoot();
    const pair = generateKeyPair(PARAM_SET);
    const certificate = issueEndEntityCertificate({ subject, publicKey: pair.publicKey, issuerCertificate: rootCertificate, issuerPrivateKey: rootKey, validDays });
    const summary = summarizeCertificate(certificate);
    return { der: Buffer.from(certificate.der), info: { serialNumber: summary.serialNumber, thumbprint: summary.thumbprint, validFrom: summary.notBefore, validTo: summary.notAfter } };
  }

  private ensureRoot() {
    this.loaded ??= this.loadOrCreateRoot().catch((error) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async loadOrCreateRoot(): Promise<{ certificate: Certificate; key: GostPrivateKey }> {
    const read = async () => {
      const [row] = await this.db.select().from(sandboxCa).where(eq(sandboxCa.name, ROOT));
      return row && { certificate: parseCertificate(row.certificateDer), key: parsePrivateKeyInfo(this.secrets.open(row.keySealed, ROOT_KEY_AAD)) };
    };
    const existing = await read();
    if (existing) return existing;
    const pair = generateKeyPair(PARAM_SET);
    const certificate = createSelfSignedRoot({
      subject: { CN: 'Тестовый УЦ Контур (песочница)', O: 'Kontur CA Bridge sandbox', C: 'RU', L: 'Екатеринбург' },
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      validDays: 3650,
    });
    // Another process may have made one at the same time: the first row wins and everyone reads it.
    await this.db
      .insert(sandboxCa)
      .values({ name: ROOT, keySealed: this.secrets.seal(Buffer.from(encodePrivateKeyInfo(pair.privateKey)), ROOT_KEY_AAD), certificateDer: Buffer.from(certificate.der) })
      .onConflictDoNothing();
    return (await read())!;
  }
}
