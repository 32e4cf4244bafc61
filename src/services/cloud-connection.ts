// How the cloud client reaches the Crypto API, decided from the settings on every call (a change
// applies at once): `direct` — Node's http/https, with the client certificate on an https address;
// `gost-tunnel` — plain http to the local GOST TLS tunnel (src/kontur/gost-tunnel.ts), which
// presents the client certificate chosen by CryptoAuthenticationCertificateThumbprint and checks
// the server against the certificate store's trusted roots.
import { createHash } from 'node:crypto';
import type { CloudConnection } from '../kontur/cloud-client.ts';
import { GostTunnelError, type GostTunnel } from '../kontur/gost-tunnel.ts';
import { findGostTlsTools, GostPfxError, GostTlsUnavailableError, openGostPfx } from '../crypto/gost-openssl.ts';
import type { CertificateStore, ClientTlsMaterial } from './certificate-store.ts';
import type { SettingsService } from './settings.ts';
import { ServiceError } from './errors.ts';

export class CloudConnections {
  /** PFX files converted to PEM for the tunnel, by a hash of the PFX and its password (at most one kept). */
  private converted: { key: string; pem: { certificatePem: string; privateKeyPem: string } } | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly certificates: CertificateStore,
    readonly tunnel: GostTunnel,
  ) {}

  /** The connection of the next call. Throws ServiceError when the settings cannot work, GostTunnelError when the tunnel is down. */
  async current(): Promise<CloudConnection> {
    const settings = await this.settings.connection();
    const address = settings.CryptoApiConnectionAddress;
    const clientThumbprint = settings.CryptoAuthenticationCertificateThumbprint;
    const timeoutMs = settings.RestClientMaxTimeout;
    const https = address.startsWith('https:');
    const material = https ? await this.certificates.clientTlsMaterial(clientThumbprint) : undefined;
    if (https && !material) {
      throw new ServiceError(502, 'cloud-client-certificate-missing', `Клиентский сертификат ${clientThumbprint} (CryptoAuthenticationCertificateThumbprint) не загружен в хранилище сертификатов настроек`);
    }
    if (settings.CryptoApiTransport !== 'gost-tunnel') return { address, clientThumbprint, timeoutMs, tls: material };

    if (!https || !material) throw new ServiceError(502, 'gost-tunnel-address', 'ГОСТ-туннель работает только с адресом https:// в CryptoApiConnectionAddress');
    const roots = await this.certificates.trustedRootsPem();
    if (roots.length === 0) {
      throw new ServiceError(502, 'gost-tunnel-no-trusted-roots', 'Нет доверенных корневых сертификатов: ГОСТ-туннелю нечем проверить сертификат сервера облачной подписи. Добавьте корневые сертификаты УЦ Контур в настройках');
    }
    const url = new URL(address);
    const pem = this.pemOf(material);
    const { port } = await this.tunnel.endpoint(
      { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443), certificatePem: pem.certificatePem, privateKeyPem: pem.privateKeyPem, trustedRootsPem: roots },
      clientThumbprint,
    );
    return {
      address: `http://127.0.0.1:${port}${url.pathname}`,
      clientThumbprint,
      timeoutMs,
      tunnel: { host: url.host, explain: (localPort, refused) => this.tunnel.explain(localPort, refused) },
    };
  }

  /** The tunnel reads PEM files: a stored PFX is converted by the system's OpenSSL with the GOST engine. */
  private pemOf(material: ClientTlsMaterial): { certificatePem: string; privateKeyPem: string } {
    if ('cert' in material) return { certificatePem: material.cert, privateKeyPem: material.key };
    const key = createHash('sha256').update(material.pfx).update('\0').update(material.passphrase).digest('hex');
    if (this.converted?.key === key) return this.converted.pem;
    try {
      const pem = openGostPfx(findGostTlsTools(), material.pfx, material.passphrase);
      this.converted = { key, pem };
      return pem;
    } catch (error) {
      if (error instanceof GostTlsUnavailableError) throw new GostTunnelError('unavailable', error.message, false);
      if (error instanceof GostPfxError) throw new GostTunnelError('start-failed', `Клиентский сертификат (PFX) не открывается для ГОСТ-туннеля: ${error.message}`, false);
      throw error;
    }
  }
}
