// Who can sign in the cloud sandbox: the subjects of certificates the KCR sandbox released for
// `cspInfo.type: "dss"` issues, whose private keys it kept sealed. The signer is named by the
// certificate's thumbprint or by the certificate itself.
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { SandboxDb } from './store/database.ts';
import { sandboxKcrIssues } from './store/schema.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { parsePrivateKeyInfo } from '../crypto/keys.ts';
import { certificateThumbprint, parseCertificate, type Certificate } from '../crypto/x509.ts';
import type { GostPrivateKey } from '../crypto/gost3410.ts';
import { SUBJECT_KEY_AAD, type SandboxCa } from './ca.ts';
import { cloudBadRequest } from './cloud-error.ts';

export interface CloudSigner {
  issueId: string;
  thumbprint: string;
  phone: string;
  certificate: Certificate;
}

export class CloudSigners {
  constructor(
    private readonly db: SandboxDb,
    private readonly secrets: SecretBox,
    private readonly ca: SandboxCa,
  ) {}

  /** The signer named by `Thumbprint` or `CertificateBase64` in a Sign request; 400 otherwise. */
  async find(input: { thumbprint?: string; certificateBase64?: string }): Promise<CloudSigner> {
    let thumbprint: string;
    if (input.certificateBase64 !== undefined) {
      let certificate: Certificate;
      try {
        certificate = parseCertificate(new Uint8Array(Buffer.from(input.certificateBase64, 'base64')));
      } catch {
        throw cloudBadRequest('InvalidCertificate', 'CertificateBase64 is not a DER certificate in base64', 'CertificateBase64');
      }
      thumbprint = certificateThumbprint(certificate);
    } else {
      thumbprint = (input.thumbprint ?? '').replace(/[\s:]/g, '').toUpperCase();
      if (!/^[0-9A-F]{40}$/.test(thumbprint)) throw cloudBadRequest('InvalidThumbprint', 'Thumbprint must be 40 hexadecimal characters', 'Thumbprint');
    }
    const [row] = await this.db
      .select({ id: sandboxKcrIssues.id, der: sandboxKcrIssues.certificateDer, subjectInfo: sandboxKcrIssues.subjectInfo })
      .from(sandboxKcrIssues)
      .where(
        and(
          sql`${sandboxKcrIssues.certificateReleasedInfo}->>'thumbprint' = ${thumbprint}`,
          isNotNull(sandboxKcrIssues.subjectKeySealed),
          isNull(sandboxKcrIssues.deletedAt),
        ),
      )
      .limit(1);
    if (!row?.der) {
      throw cloudBadRequest('CertificateNotFound', `No cloud (DSS) certificate with thumbprint ${thumbprint}: only certificates released for cspInfo.type "dss" can sign`, input.certificateBase64 !== undefined ? 'CertificateBase64' : 'Thumbprint');
    }
    const phone = String((row.subjectInfo as { phone?: string }).phone ?? '');
    const certificate = parseCertificate(new Uint8Array(row.der));
    const state = await this.ca.statusOf(certificate.serialNumber);
    if (state.status === 'revoked') {
      throw cloudBadRequest('CertificateRevoked', `The certificate ${thumbprint} was revoked on ${state.revocationTime.toISOString()}: it cannot sign`, input.certificateBase64 !== undefined ? 'CertificateBase64' : 'Thumbprint');
    }
    return { issueId: row.id, thumbprint, phone, certificate };
  }

  /** The signer's private key, unsealed for one signature. */
  async privateKey(issueId: string): Promise<GostPrivateKey> {
    const [row] = await this.db.select({ sealed: sandboxKcrIssues.subjectKeySealed }).from(sandboxKcrIssues).where(eq(sandboxKcrIssues.id, issueId));
    if (!row?.sealed) throw new Error(`the key of sandbox issue ${issueId} is gone`);
    return parsePrivateKeyInfo(this.secrets.open(row.sealed, SUBJECT_KEY_AAD(issueId)));
  }
}
