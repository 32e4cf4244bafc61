// The roots a cloud signature must chain to: the trusted roots of the settings' certificate
// store, plus — while the settings point at the built-in sandbox (sandboxMode) — the sandbox
// CA's root, read from the sandbox CA's public address (`/sandbox/ca/root.cer` next to the cloud
// address). The bridge does not import the sandbox: it only knows that URL, so the module works
// unchanged with the sandbox deleted. Pointing the settings at the real Kontur drops the rule.
import type { CertificateStore } from './certificate-store.ts';
import type { SettingsService } from './settings.ts';
import { parseCertificate, type Certificate } from '../crypto/x509.ts';
import type { HttpTransport } from '../kontur/http-transport.ts';

const SANDBOX_ROOT_TIMEOUT_MS = 10_000;

export class SigningTrust {
  private readonly sandboxRoots = new Map<string, Certificate>();

  constructor(
    private readonly certificates: CertificateStore,
    private readonly settings: SettingsService,
    private readonly http: HttpTransport,
  ) {}

  async roots(): Promise<Certificate[]> {
    const roots = await this.certificates.trustedRoots();
    const view = await this.settings.view();
    if (view.sandboxMode) {
      const root = await this.sandboxRoot(view.CryptoApiConnectionAddress).catch(() => undefined);
      if (root) roots.push(root);
    }
    return roots;
  }

  /** The sandbox CA's root while the settings point at the built-in sandbox, else undefined. */
  async sandboxRootCertificate(): Promise<Certificate | undefined> {
    const view = await this.settings.view();
    return view.sandboxMode ? this.sandboxRoot(view.CryptoApiConnectionAddress) : undefined;
  }

  private async sandboxRoot(cloudAddress: string): Promise<Certificate> {
    const origin = new URL(cloudAddress).origin;
    const cached = this.sandboxRoots.get(origin);
    if (cached) return cached;
    const response = await this.http.request({
      method: 'GET',
      baseUrl: `${origin}/`,
      path: 'sandbox/ca/root.cer',
      timeoutMs: SANDBOX_ROOT_TIMEOUT_MS,
      repeatable: true,
      operation: 'sandbox.root',
    });
    if (response.status !== 200) throw new Error(`sandbox root: HTTP ${response.status}`);
    const root = parseCertificate(response.body);
    this.sandboxRoots.set(origin, root);
    return root;
  }
}
