// PEM armour (RFC 7468): base64 DER between -----BEGIN X----- / -----END X----- lines.

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** All PEM blocks in a text, in order. */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = match[2]
      .split(/\r?\n/)
      .filter((line) => !line.includes(':')) // RFC 1421 headers such as Proc-Type
      .join('')
      .replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new Error(`PEM block "${match[1]}" is not valid base64`);
    blocks.push({ label: match[1], der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return blocks;
}

export function encodePem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** True when the bytes look like PEM text rather than DER (DER starts with a tag byte). */
export function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1');
  return head.includes('-----BEGIN ');
}

/**
 * DER from input that may be DER or PEM. With PEM, takes the first block whose label is
 * one of `labels` (any block when none given).
 */
export function derFromPemOrDer(bytes: Uint8Array, labels: readonly string[] = []): Uint8Array {
  if (!looksLikePem(bytes)) return bytes;
  const blocks = decodePemBlocks(Buffer.from(bytes).toString('latin1'));
  const block = blocks.find((b) => labels.length === 0 || labels.includes(b.label));
  if (!block) {
    throw new Error(labels.length ? `no PEM block labelled ${labels.join(' or ')}` : 'no PEM block found');
  }
  return block.der;
}
