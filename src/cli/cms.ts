// kca cms sign --cert CERT.pem --key KEY.pem [--detached] [--chain CA.pem ...] [--out FILE.sig] FILE
// kca cms verify --signature FILE.sig [--content FILE] [--trusted ROOT.pem ...] [--cert SIGNER.pem ...]
//
// sign writes DER to standard output (or --out). A detached signature hashes FILE by
// streaming, so any size works; an encapsulated one embeds FILE and so reads it whole.
// verify exits 0 when valid, 1 when not, 2 on usage errors; it prints a report of the signer,
// with the CAdES level and the time-stamp when the signature carries them (CAdES-T, -X Long Type 1).
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { signCms, signCmsFile } from '../crypto/cms.ts';
import { verifyCades, verifyCadesStream, type CadesVerifyResult } from '../crypto/cades.ts';
import { digestAlgorithmFor, importPrivateKey } from '../crypto/keys.ts';
import { hashStream } from '../crypto/streebog.ts';
import { certificateThumbprint, parseCertificate, parseCertificates, type Certificate } from '../crypto/x509.ts';
import { formatName, nameFields } from '../crypto/x509-names.ts';

const USAGE = `usage:
  kca cms sign --cert CERT.pem --key KEY.pem [--detached] [--chain CA.pem ...] [--out FILE.sig] FILE|-
  kca cms verify --signature FILE.sig [--content FILE|-] [--trusted ROOT.pem ...] [--cert SIGNER.pem ...]
Without --trusted, verify checks digest, signature and validity but not the chain (said in the report).
`;

class UsageError extends Error {}

async function readAll(name: string): Promise<Uint8Array> {
  if (name !== '-') return readFile(name);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function describeFileError(name: string, error: unknown): string {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${name}: no such file` : `${name}: ${(error as Error).message}`;
}

async function loadCertificates(names: readonly string[]): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (const name of names) {
    try {
      out.push(...parseCertificates(await readFile(name)));
    } catch (error) {
      throw new Error(describeFileError(name, error));
    }
  }
  return out;
}

async function sign(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      cert: { type: 'string' },
      key: { type: 'string' },
      detached: { type: 'boolean', default: false },
      chain: { type: 'string', multiple: true },
      out: { type: 'string', short: 'o' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.cert || !values.key) throw new UsageError('--cert and --key are required');
  if (positionals.length !== 1) throw new UsageError('expected exactly one FILE to sign');
  if (!values.out && process.stdout.isTTY) throw new UsageError('refusing to write a binary signature to a terminal: redirect standard output or use --out');
  const [input] = positionals;

  let certificate: Certificate;
  try {
    certificate = parseCertificate(await readFile(values.cert));
  } catch (error) {
    throw new Error(describeFileError(values.cert, error));
  }
  let privateKey;
  try {
    privateKey = importPrivateKey(await readFile(values.key));
  } catch (error) {
    throw new Error(describeFileError(values.key, error));
  }
  const extraCertificates = await loadCertificates(values.chain ?? []);
  let signature: Uint8Array;
  if (values.detached) {
    signature = input === '-'
      ? signCms({ certificate, privateKey, extraCertificates, contentDigest: await hashStream(process.stdin, digestAlgorithmFor(privateKey.paramSet)) })
      : await signCmsFile(input, { certificate, privateKey, extraCertificates }).catch((error) => {
        throw new Error(describeFileError(input, error));
      });
  } else {
    let content: Uint8Array;
    try {
      content = await readAll(input);
    } catch (error) {
      throw new Error(describeFileError(input, error));
    }
    signature = signCms({ certificate, privateKey, extraCertificates, content, detached: false });
  }
  if (values.out) await writeFile(values.out, signature);
  else await new Promise<void>((resolve, reject) => process.stdout.write(signature, (error) => (error ? reject(error) : resolve())));
  return 0;
}

function report(result: CadesVerifyResult): string {
  const lines: string[] = [];
  if (result.valid) {
    lines.push(result.chainChecked ? 'Signature: VALID' : 'Signature: VALID (certificate chain NOT checked: no --trusted root given)');
  } else {
    lines.push(`Signature: INVALID (${result.reason})`, `Reason: ${result.message}`);
  }
  result.signers.forEach((signer, index) => {
    const certificate = signer.certificate;
    lines.push(result.signers.length > 1 ? `Signer ${index + 1}:` : 'Signer:');
    if (!certificate) {
      lines.push('  certificate: not found');
    } else {
      const fields = nameFields(certificate.subject);
      lines.push(`  ${formatName(certificate.subject)}`);
      for (const key of ['SNILS', 'INN', 'INNLE', 'OGRN', 'OGRNIP', 'E'] as const) {
        if (fields[key]) lines.push(`  ${key}: ${fields[key]}`);
      }
      lines.push(`  Issuer: ${formatName(certificate.issuer)}`);
      lines.push(`  Serial: ${certificate.serialNumberHex}`);
      lines.push(`  Thumbprint: ${certificateThumbprint(certificate)}`);
      lines.push(`  Valid: ${certificate.notBefore.toISOString()} .. ${certificate.notAfter.toISOString()}`);
    }
    if (signer.signingTime) lines.push(`  Signing time: ${signer.signingTime.toISOString()}`);
    if (signer.digestAlgorithm) lines.push(`  Digest: ${signer.digestAlgorithm}`);
    if (signer.level) lines.push(`  Level: ${signer.level}`);
    if (signer.timeStamp) lines.push(`  Time-stamp: ${signer.timeStamp.genTime.toISOString()} by ${formatName(signer.timeStamp.tsa.subject)}`);
    if (signer.chain) lines.push(`  Chain: ${signer.chain.map((c) => nameFields(c.subject).CN ?? formatName(c.subject)).join(' <- ')} (trusted root)`);
    if (!signer.valid && signer.reason && result.signers.length > 1) lines.push(`  Problem: ${signer.reason}: ${signer.message}`);
  });
  return `${lines.join('\n')}\n`;
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      signature: { type: 'string', short: 's' },
      content: { type: 'string', short: 'c' },
      trusted: { type: 'string', multiple: true },
      cert: { type: 'string', multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.signature) throw new UsageError('--signature is required');
  if (values.signature === '-' && values.content === '-') throw new UsageError('--signature and --content cannot both be standard input');
  let cms: Uint8Array;
  try {
    cms = await readAll(values.signature);
  } catch (error) {
    throw new Error(describeFileError(values.signature, error));
  }
  const trustedRoots = values.trusted ? await loadCertificates(values.trusted) : undefined;
  const signerCertificates = await loadCertificates(values.cert ?? []);
  const options = { trustedRoots, skipChainValidation: trustedRoots === undefined, signerCertificates };
  let result: CadesVerifyResult;
  if (values.content) {
    const content = values.content;
    const stream = content === '-' ? process.stdin : createReadStream(content, { highWaterMark: 1 << 20 });
    try {
      result = await verifyCadesStream(cms, stream, options);
    } catch (error) {
      throw new Error(describeFileError(content, error));
    }
  } else {
    result = verifyCades(cms, options);
  }
  process.stdout.write(report(result));
  return result.valid ? 0 : 1;
}

export async function run(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    if (subcommand === 'sign') return await sign(rest);
    if (subcommand === 'verify') return await verify(rest);
    throw new UsageError(subcommand ? `unknown subcommand "${subcommand}"` : 'missing subcommand (sign or verify)');
  } catch (error) {
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const prefix = `kca cms${subcommand === 'sign' || subcommand === 'verify' ? ` ${subcommand}` : ''}`;
    // One line on stderr; usage errors point at --help and exit 2.
    process.stderr.write(`${prefix}: ${(error as Error).message}${usage ? ' (see: kca cms --help)' : ''}\n`);
    return usage ? 2 : 1;
  }
}
