// What the cloud sandbox returns for each SignType (docs/kontur-api.md §6), made with the signer's
// kept key over the file's Streebog-256 digest:
//   0 DetachedCMS        detached CAdES-BES (signingTime, signingCertificateV2)
//   1 RawSign            the bare GOST R 34.10-2012 signature value (64 bytes, as a CMS carries it)
//   2 DetachedCAdEST     CAdES-BES plus a time-stamp of the sandbox TSA over the signature value
//   3 DetachedCAdESXLT1  CAdES-T plus the references and values of the root, the CRL and an OCSP
//                        answer of the sandbox CA, and a CAdES-C time-stamp over them
import { addLongTermValidation, addSignatureTimeStamp } from '../crypto/cades.ts';
import { signCms } from '../crypto/cms.ts';
import type { GostPrivateKey } from '../crypto/gost3410.ts';
import { signRaw } from '../crypto/raw-signature.ts';
import type { Certificate } from '../crypto/x509.ts';
import type { SandboxCa } from './ca.ts';

export async function signatureOfType(signType: number, signer: { certificate: Certificate; privateKey: GostPrivateKey }, digest: Uint8Array, ca: SandboxCa): Promise<Uint8Array> {
  if (signType === 1) return signRaw(signer.privateKey, digest);
  const bes = signCms({ certificate: signer.certificate, privateKey: signer.privateKey, contentDigest: digest, detached: true });
  if (signType === 0) return bes;
  const t = await addSignatureTimeStamp(bes, ca.stamp);
  if (signType === 2) return t;
  if (signType === 3) return addLongTermValidation(t, await ca.validationData(signer.certificate), ca.stamp);
  throw new Error(`unknown SignType ${signType}`);
}
