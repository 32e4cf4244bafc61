// Client certificates for TLS to Kontur's cloud API: a certificate with its private key,
// as PEM files or a PKCS#12 (PFX) container. Checks that the key belongs to the certificate.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { createSecureContext, TLSSocket } from 'node:tls';
import { OID } from './oids.ts';
import { importPrivateKey } from './keys.ts';
import { publicKeyFromPrivate, publicKeysEqual } from './gost3410.ts';
import { parseCertificate, type Certificate } from './x509.ts';

const GOST_KEY_ALGORITHM_OIDS: readonly string[] = [OID.gost3410_2012_256, OID.gost3410_2012_512];

export class ClientCertificateError extends Error {
  constructor(
    /** Which input is wrong: `certificatePem`, `privateKeyPem`, `pfx` or `password`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parses a PEM certificate and key and checks that they are a pair. */
export function checkPemPair(certificatePem: string, privateKeyPem: string): Certificate {
  let certificate: Certificate;
  try {
    certificate = parseCertificate(certificatePem);
  } catch (error) {
    throw new ClientCertificateError('certificatePem', `Сертификат не читается: ${(error as Error).message}`);
  }
  if (GOST_KEY_ALGORITHM_OIDS.includes(certificate.publicKeyAlgorithmOid)) {
    let matches: boolean;
    try {
      matches = !!certificate.publicKey && publicKeysEqual(publicKeyFromPrivate(importPrivateKey(privateKeyPem)), certificate.publicKey);
    } catch (error) {
      throw new ClientCertificateError('privateKeyPem', `Закрытый ключ ГОСТ не читается: ${(error as Error).message}`);
    }
    if (!matches) throw new ClientCertificateError('privateKeyPem', 'Закрытый ключ не соответствует сертификату');
    return certificate;
  }
  // Other algorithms (RSA, ECDSA: e.g. a test endpoint) are left to Node's OpenSSL.
  try {
    const fromKey = createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
    const fromCertificate = new X509Certificate(Buffer.from(certificate.der)).publicKey.export({ type: 'spki', format: 'der' });
    if (!fromKey.equals(fromCertificate)) throw new ClientCertificateError('privateKeyPem', 'Закрытый ключ не соответствует сертификату');
  } catch (error) {
    if (error instanceof ClientCertificateError) throw error;
    throw new ClientCertificateError('privateKeyPem', `Закрытый ключ не читается: ${(error as Error).message}`);
  }
  return certificate;
}

/**
 * Opens a PFX with its password through Node's OpenSSL (the way it will be used for TLS)
 * and returns its certificate. GOST-encrypted PFX files (CryptoPro exports) need OpenSSL's
 * GOST engine, which Node does not load: convert those to PEM first.
 */
export function openPfx(pfx: Buffer, password: string): Certificate {
  let socket: TLSSocket | undefined;
  try {
    const context = createSecureContext({ pfx, passphrase: password });
    // An unconnected socket on that context exposes the certificate OpenSSL loaded.
    socket = new TLSSocket(null as never, { secureContext: context, isServer: true });
    const loaded = socket.getCertificate();
    if (!loaded || !('raw' in loaded) || !loaded.raw) throw new ClientCertificateError('pfx', 'В PFX нет сертификата');
    return parseCertificate(new Uint8Array(loaded.raw));
  } catch (error) {
    if (error instanceof ClientCertificateError) throw error;
    const message = (error as Error).message;
    if (/mac verify failure|invalid password/i.test(message)) throw new ClientCertificateError('password', 'Неверный пароль PFX');
    throw new ClientCertificateError('pfx', `PFX не открывается (${message}). Файлы PFX с ГОСТ-шифрованием преобразуйте в PEM: openssl pkcs12 -engine gost -nodes`);
  } finally {
    socket?.destroy();
  }
}
