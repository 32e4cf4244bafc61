// The settings' certificate store: trusted root CAs (signatures are checked against them)
// and client certificates for the cloud API (picked by CryptoAuthenticationCertificateThumbprint).
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../store/db.ts';
import { storedCertificates, type StoredCertificateKind } from '../store/schema/index.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { CertificateError, certificateToPem, parseCertificate, summarizeCertificate, type Certificate, type CertificateSummary } from '../crypto/x509.ts';
import { checkPemPair, ClientCertificateError, openPfx } from '../crypto/client-certificate.ts';
import { findGostTlsTools, GostPfxError, GostTlsUnavailableError, openGostPfx } from '../crypto/gost-openssl.ts';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';

export interface StoredCertificateView {
  kind: StoredCertificateKind;
  thumbprint: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: Date;
  validTo: Date;
  createdAt: Date;
  /** Client certificates: how the key is kept. */
  format: 'pem' | 'pfx' | null;
}

export type ClientCertificateInput = { certificatePem: string; privateKeyPem: string } | { pfxBase64: string; password: string };

/** What a TLS connection needs, decrypted: PEM pair or PFX with its password. */
export type ClientTlsMaterial = { cert: string; key: string } | { pfx: Buffer; passphrase: string };

/**
 * A PFX's certificate: Node's OpenSSL opens it the way https will use it; a PFX with a GOST key
 * (which Node cannot load) is opened by the system's OpenSSL with the GOST engine, the way the
 * GOST TLS tunnel will use it.
 */
function openAnyPfx(pfx: Buffer, password: string): Certificate {
  try {
    return openPfx(pfx, password);
  } catch (error) {
    if (!(error instanceof ClientCertificateError) || error.field === 'password') throw error;
    let pem: { certificatePem: string; privateKeyPem: string };
    try {
      pem = openGostPfx(findGostTlsTools(), pfx, password);
    } catch (gost) {
      if (gost instanceof GostPfxError && gost.wrongPassword) throw new ClientCertificateError('password', 'Неверный пароль PFX');
      if (gost instanceof GostPfxError) throw new ClientCertificateError('pfx', `PFX не открывается: ${gost.message}`);
      // No GOST OpenSSL here: Node's reason stands, with the way out.
      if (gost instanceof GostTlsUnavailableError) throw new ClientCertificateError('pfx', `${error.message}. PFX с ключом ГОСТ открывается системным OpenSSL с модулем ГОСТ: ${gost.message}`);
      throw gost;
    }
    return checkPemPair(pem.certificatePem, pem.privateKeyPem);
  }
}

function view(row: typeof storedCertificates.$inferSelect): StoredCertificateView {
  return {
    kind: row.kind,
    thumbprint: row.thumbprint,
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serialNumber,
    validFrom: row.validFrom,
    validTo: row.validTo,
    createdAt: row.createdAt,
    format: row.secretFormat ?? null,
  };
}

function readCertificateText(text: string): Certificate {
  const trimmed = text.trim();
  const input = trimmed.startsWith('-----BEGIN') ? trimmed : new Uint8Array(Buffer.from(trimmed, 'base64'));
  try {
    return parseCertificate(input);
  } catch (error) {
    const detail = error instanceof CertificateError ? error.message : String(error);
    throw new ValidationError([{ field: 'certificate', message: `Сертификат не читается (нужен PEM или DER в base64): ${detail}` }]);
  }
}

export class CertificateStore {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  async list(kind: StoredCertificateKind): Promise<StoredCertificateView[]> {
    const rows = await this.db.select().from(storedCertificates).where(eq(storedCertificates.kind, kind)).orderBy(asc(storedCertificates.subject));
    return rows.map(view);
  }

  /** Adds a root CA certificate (PEM, or DER in base64) to the trusted roots. */
  async addTrustedRoot(actor: Actor, certificateText: string): Promise<StoredCertificateView> {
    const certificate = readCertificateText(certificateText);
    const summary = summarizeCertificate(certificate);
    if (!summary.isCA) throw new ValidationError([{ field: 'certificate', message: 'Это не сертификат удостоверяющего центра (нет признака CA)' }]);
    return this.insert(actor, 'trustedRoot', certificate, summary);
  }

  async addClientCertificate(actor: Actor, input: ClientCertificateInput): Promise<StoredCertificateView> {
    let certificate: Certificate;
    let secret: string;
    let format: 'pem' | 'pfx';
    try {
      if ('pfxBase64' in input) {
        const pfx = Buffer.from(input.pfxBase64, 'base64');
        if (pfx.length === 0) throw new ClientCertificateError('pfxBase64', 'Пустой файл PFX');
        certificate = openAnyPfx(pfx, input.password);
        secret = JSON.stringify({ pfx: input.pfxBase64, password: input.password });
        format = 'pfx';
      } else {
        certificate = checkPemPair(input.certificatePem, input.privateKeyPem);
        secret = JSON.stringify({ cert: input.certificatePem, key: input.privateKeyPem });
        format = 'pem';
      }
    } catch (error) {
      if (error instanceof ClientCertificateError) {
        throw new ValidationError([{ field: error.field === 'pfx' ? 'pfxBase64' : error.field, message: error.message }]);
      }
      throw error;
    }
    return this.insert(actor, 'client', certificate, summarizeCertificate(certificate), { secret, format });
  }

  async remove(actor: Actor, kind: StoredCertificateKind, thumbprint: string): Promise<void> {
    const removed = await this.db
      .delete(storedCertificates)
      .where(and(eq(storedCertificates.kind, kind), eq(storedCertificates.thumbprint, thumbprint.toUpperCase())))
      .returning({ thumbprint: storedCertificates.thumbprint });
    if (removed.length === 0) throw new NotFoundError('Сертификат не найден');
    await this.audit.record(actor, { action: kind === 'trustedRoot' ? 'removeTrustedRoot' : 'removeClientCertificate', targetType: 'certificate', targetId: thumbprint.toUpperCase() });
  }

  /** The trusted roots, parsed, for signature and chain checks. */
  async trustedRoots(): Promise<Certificate[]> {
    const rows = await this.db.select({ der: storedCertificates.der }).from(storedCertificates).where(eq(storedCertificates.kind, 'trustedRoot'));
    return rows.map((row) => parseCertificate(new Uint8Array(row.der)));
  }

  /** The trusted roots as PEM, for a TLS peer that reads files (the GOST TLS tunnel). */
  async trustedRootsPem(): Promise<string[]> {
    return (await this.trustedRoots()).map((root) => certificateToPem(root));
  }

  /** TLS material of the client certificate with this thumbprint, decrypted; undefined if none is stored. */
  async clientTlsMaterial(thumbprint: string): Promise<ClientTlsMaterial | undefined> {
    const [row] = await this.db
      .select()
      .from(storedCertificates)
      .where(and(eq(storedCertificates.kind, 'client'), eq(storedCertificates.thumbprint, thumbprint.toUpperCase())));
    if (!row?.secretEnvelope) return undefined;
    const secret = JSON.parse(this.secrets.open(row.secretEnvelope, row.thumbprint).toString('utf8'));
    return row.secretFormat === 'pfx' ? { pfx: Buffer.from(secret.pfx, 'base64'), passphrase: secret.password } : { cert: secret.cert, key: secret.key };
  }

  private async insert(
    actor: Actor,
    kind: StoredCertificateKind,
    certificate: Certificate,
    summary: CertificateSummary,
    secret?: { secret: string; format: 'pem' | 'pfx' },
  ): Promise<StoredCertificateView> {
    const [row] = await this.db
      .insert(storedCertificates)
      .values({
        kind,
        thumbprint: summary.thumbprint,
        subject: summary.subject,
        issuer: summary.issuer,
        serialNumber: summary.serialNumber,
        validFrom: certificate.notBefore,
        validTo: certificate.notAfter,
        der: Buffer.from(certificate.der),
        // The thumbprint is bound into the envelope so it cannot be moved to another row.
        secretEnvelope: secret ? this.secrets.seal(secret.secret, summary.thumbprint) : null,
        secretFormat: secret?.format ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError('Этот сертификат уже добавлен', [{ field: 'certificate', message: `Сертификат ${summary.thumbprint} уже есть` }]);
    await this.audit.record(actor, {
      action: kind === 'trustedRoot' ? 'addTrustedRoot' : 'addClientCertificate',
      targetType: 'certificate',
      targetId: summary.thumbprint,
      details: { subject: summary.subject, validTo: summary.notAfter },
    });
    return view(row);
  }
}
