// Where a certificate says its revocation status is published: the OCSP responders of its
// Authority Information Access extension (RFC 5280 4.2.2.1, id-ad-ocsp) and the CRLs of its CRL
// Distribution Points (4.2.1.13), as URLs (GeneralName uniformResourceIdentifier, [6]).
import { DerError, TagClass, parseDer, readOid, type DerNode } from './der.ts';
import type { Certificate } from './x509.ts';

const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

function uris(node: DerNode, found: string[] = []): string[] {
  if (node.tagClass === TagClass.context && node.tagNumber === 6 && !node.constructed) found.push(Buffer.from(node.content).toString('latin1'));
  else if (node.constructed) for (const child of node.children) uris(child, found);
  return found;
}

const http = (url: string) => /^https?:\/\//i.test(url);

/** The http(s) OCSP responders the certificate names (none: it names none, or the extension is malformed). */
export function ocspResponderUrls(certificate: Certificate): string[] {
  const extension = certificate.extensions.find((e) => e.oid === AUTHORITY_INFO_ACCESS);
  if (!extension) return [];
  try {
    return parseDer(extension.value)
      .children.filter((access) => access.children.length === 2 && readOid(access.child(0)) === AD_OCSP)
      .flatMap((access) => uris(access.child(1)))
      .filter(http);
  } catch (error) {
    if (error instanceof DerError) return [];
    throw error;
  }
}

/** The http(s) CRLs the certificate names. */
export function crlDistributionUrls(certificate: Certificate): string[] {
  const extension = certificate.extensions.find((e) => e.oid === CRL_DISTRIBUTION_POINTS);
  if (!extension) return [];
  try {
    return uris(parseDer(extension.value)).filter(http);
  } catch (error) {
    if (error instanceof DerError) return [];
    throw error;
  }
}
