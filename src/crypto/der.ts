// A small ASN.1 BER/DER reader and DER writer for the structures this layer handles
// (X.509, PKCS#8, CMS). Kept in-house so that exact bytes are always at hand (signatures
// are computed over original encodings) and so that malformed input always surfaces as a
// DerError with a position, never as a crash deep inside a library.

export class DerError extends Error {
  constructor(message: string, readonly offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'DerError';
  }
}

export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers used here. */
export const Tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  sequence: 0x10,
  set: 0x11,
  numericString: 0x12,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  universalString: 0x1c,
  bmpString: 0x1e,
} as const;

const MAX_DEPTH = 64;

/** One decoded TLV. Offsets index into `source`. */
export class DerNode {
  private childCache?: DerNode[];

  constructor(
    readonly source: Uint8Array,
    readonly tagClass: number,
    readonly constructed: boolean,
    readonly tagNumber: number,
    /** Offset of the identifier octet. */
    readonly start: number,
    readonly contentStart: number,
    /** End of the content (excluding an end-of-contents marker of indefinite length). */
    readonly contentEnd: number,
    /** End of the whole element. */
    readonly end: number,
    private readonly depth: number,
  ) {}

  /** The element's own encoding, identifier to end (a view, not a copy). */
  get raw(): Uint8Array {
    return this.source.subarray(this.start, this.end);
  }

  /** The content octets (a view). For constructed indefinite forms, the nested encodings. */
  get content(): Uint8Array {
    return this.source.subarray(this.contentStart, this.contentEnd);
  }

  is(tagClass: number, tagNumber: number): boolean {
    return this.tagClass === tagClass && this.tagNumber === tagNumber;
  }

  isUniversal(tagNumber: number): boolean {
    return this.is(TagClass.universal, tagNumber);
  }

  isContext(tagNumber: number): boolean {
    return this.is(TagClass.context, tagNumber);
  }

  get children(): DerNode[] {
    if (!this.constructed) throw new DerError(`expected a constructed element, found ${this.describe()}`, this.start);
    this.childCache ??= readChildren(this.source, this.contentStart, this.contentEnd, this.depth + 1);
    return this.childCache;
  }

  /** Child `index`, failing with a clear message when absent. */
  child(index: number, what = `element ${index}`): DerNode {
    const found = this.children[index];
    if (!found) throw new DerError(`missing ${what} in ${this.describe()}`, this.start);
    return found;
  }

  describe(): string {
    const classes = ['universal', 'application', 'context', 'private'];
    return `[${classes[this.tagClass]} ${this.tagNumber}${this.constructed ? ' constructed' : ''}]`;
  }

  expect(tagNumber: number, what: string, tagClass: number = TagClass.universal): this {
    if (!this.is(tagClass, tagNumber)) throw new DerError(`${what}: unexpected ${this.describe()}`, this.start);
    return this;
  }

  /** Like expect(), and the element must use the primitive encoding. */
  expectPrimitive(tagNumber: number, what: string): this {
    this.expect(tagNumber, what);
    if (this.constructed) throw new DerError(`${what}: constructed encoding not allowed`, this.start);
    return this;
  }
}

function readHeader(source: Uint8Array, offset: number, limit: number, depth: number): DerNode {
  if (depth > MAX_DEPTH) throw new DerError('nesting too deep', offset);
  if (offset >= limit) throw new DerError('unexpected end of data', offset);
  const identifier = source[offset];
  const tagClass = identifier >> 6;
  const constructed = (identifier & 0x20) !== 0;
  let tagNumber = identifier & 0x1f;
  let position = offset + 1;
  if (tagNumber === 0x1f) {
    // High tag number form: base-128 digits.
    tagNumber = 0;
    let digits = 0;
    for (;;) {
      if (position >= limit) throw new DerError('truncated tag', offset);
      const byte = source[position++];
      tagNumber = tagNumber * 128 + (byte & 0x7f);
      if (++digits > 4) throw new DerError('tag number too large', offset);
      if ((byte & 0x80) === 0) break;
    }
  }
  if (position >= limit) throw new DerError('truncated length', offset);
  const first = source[position++];
  if (first === 0x80) {
    if (!constructed) throw new DerError('indefinite length on a primitive element', offset);
    // BER indefinite length: children run until an end-of-contents marker (00 00).
    const contentStart = position;
    let cursor = position;
    for (;;) {
      if (cursor + 2 <= limit && source[cursor] === 0 && source[cursor + 1] === 0) {
        return new DerNode(source, tagClass, constructed, tagNumber, offset, contentStart, cursor, cursor + 2, depth);
      }
      cursor = readHeader(source, cursor, limit, depth + 1).end;
    }
  }
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count > 6) throw new DerError('length too large', offset);
    if (position + count > limit) throw new DerError('truncated length', offset);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + source[position++];
  }
  const end = position + length;
  if (end > limit) throw new DerError(`element claims ${length} bytes but only ${limit - position} remain`, offset);
  return new DerNode(source, tagClass, constructed, tagNumber, offset, position, end, end, depth);
}

function readChildren(source: Uint8Array, start: number, end: number, depth: number): DerNode[] {
  const out: DerNode[] = [];
  let cursor = start;
  while (cursor < end) {
    const node = readHeader(source, cursor, end, depth);
    out.push(node);
    cursor = node.end;
  }
  return out;
}

/** Decodes one element that must span the whole input. */
export function parseDer(bytes: Uint8Array): DerNode {
  const node = readHeader(bytes, 0, bytes.length, 0);
  if (node.end !== bytes.length) throw new DerError(`${bytes.length - node.end} trailing bytes after the element`, node.end);
  return node;
}

// ---- typed readers -------------------------------------------------------------------

export function readOid(node: DerNode): string {
  node.expectPrimitive(Tag.oid, 'OBJECT IDENTIFIER');
  const bytes = node.content;
  if (bytes.length === 0) throw new DerError('empty OBJECT IDENTIFIER', node.start);
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) {
    value = (value << 7n) | BigInt(bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    } else if (i === bytes.length - 1) {
      throw new DerError('truncated OBJECT IDENTIFIER', node.start);
    }
  }
  const first = arcs[0];
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** INTEGER as a (possibly negative) bigint. */
export function readInteger(node: DerNode): bigint {
  node.expectPrimitive(Tag.integer, 'INTEGER');
  const bytes = node.content;
  if (bytes.length === 0) throw new DerError('empty INTEGER', node.start);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  if (bytes[0] & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

export function readSmallInteger(node: DerNode): number {
  const value = readInteger(node);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DerError('INTEGER out of range', node.start);
  }
  return Number(value);
}

/** ENUMERATED as a number (CRL reasons, OCSP and time-stamp statuses). */
export function readEnumerated(node: DerNode): number {
  node.expectPrimitive(Tag.enumerated, 'ENUMERATED');
  const bytes = node.content;
  if (bytes.length === 0 || bytes.length > 4) throw new DerError('ENUMERATED out of range', node.start);
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

export function readBoolean(node: DerNode): boolean {
  node.expectPrimitive(Tag.boolean, 'BOOLEAN');
  if (node.content.length !== 1) throw new DerError('BOOLEAN must be one byte', node.start);
  return node.content[0] !== 0;
}

/** OCTET STRING content; BER constructed (chunked) forms are concatenated. */
export function readOctetString(node: DerNode): Uint8Array {
  if (!node.isUniversal(Tag.octetString)) throw new DerError(`OCTET STRING: unexpected ${node.describe()}`, node.start);
  return node.constructed ? concatBytes(node.children.map(readOctetString)) : node.content;
}

/** Content of an OCTET STRING-like element whatever its (implicit) tag. */
export function readImplicitOctets(node: DerNode): Uint8Array {
  if (!node.constructed) return node.content;
  return concatBytes(node.children.map((child) => readImplicitOctets(child)));
}

export function readBitString(node: DerNode): { bytes: Uint8Array; unusedBits: number } {
  node.expectPrimitive(Tag.bitString, 'BIT STRING');
  const content = node.content;
  if (content.length === 0) throw new DerError('empty BIT STRING', node.start);
  const unusedBits = content[0];
  if (unusedBits > 7) throw new DerError('BIT STRING: invalid unused bit count', node.start);
  return { bytes: content.subarray(1), unusedBits };
}

/** Any of the character string types, decoded to a JS string. */
export function readString(node: DerNode): string {
  const content = node.content;
  if (node.tagClass !== TagClass.universal || node.constructed) {
    throw new DerError(`expected a string, found ${node.describe()}`, node.start);
  }
  switch (node.tagNumber) {
    case Tag.utf8String:
      return new TextDecoder('utf-8', { fatal: false }).decode(content);
    case Tag.numericString:
    case Tag.printableString:
    case Tag.ia5String:
    case Tag.teletexString: // treated as Latin-1, as most software does
      return Buffer.from(content).toString('latin1');
    case Tag.bmpString: {
      let out = '';
      for (let i = 0; i + 1 < content.length; i += 2) out += String.fromCharCode((content[i] << 8) | content[i + 1]);
      return out;
    }
    case Tag.universalString: {
      let out = '';
      for (let i = 0; i + 3 < content.length; i += 4) {
        out += String.fromCodePoint(((content[i] << 24) | (content[i + 1] << 16) | (content[i + 2] << 8) | content[i + 3]) >>> 0);
      }
      return out;
    }
    default:
      throw new DerError(`expected a string, found ${node.describe()}`, node.start);
  }
}

export function readTime(node: DerNode): Date {
  if (node.constructed) throw new DerError('constructed time encoding not allowed', node.start);
  const text = Buffer.from(node.content).toString('latin1');
  let match: RegExpMatchArray | null;
  let year: number;
  if (node.isUniversal(Tag.utcTime)) {
    match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text);
    if (!match) throw new DerError(`bad UTCTime "${text}"`, node.start);
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy; // RFC 5280 section 4.1.2.5.1
  } else if (node.isUniversal(Tag.generalizedTime)) {
    match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?(Z|[+-]\d{4})?$/.exec(text);
    if (!match) throw new DerError(`bad GeneralizedTime "${text}"`, node.start);
    year = Number(match[1]);
  } else {
    throw new DerError(`expected a time, found ${node.describe()}`, node.start);
  }
  const [, , month, day, hour, minute, second = '00', zone = 'Z'] = match;
  let ms = Date.UTC(year, Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (zone !== 'Z') {
    const sign = zone[0] === '+' ? 1 : -1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new DerError(`bad time "${text}"`, node.start);
  return date;
}

// ---- writer --------------------------------------------------------------------------

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Encodes a TLV with a low tag number (< 31). */
export function encodeTlv(tagClass: number, constructed: boolean, tagNumber: number, content: Uint8Array): Uint8Array {
  if (tagNumber >= 31) throw new RangeError('high tag numbers are not supported by the writer');
  const identifier = (tagClass << 6) | (constructed ? 0x20 : 0) | tagNumber;
  return concatBytes([Uint8Array.of(identifier), encodeLength(content.length), content]);
}

export const der = {
  sequence(...items: Uint8Array[]): Uint8Array {
    return encodeTlv(TagClass.universal, true, Tag.sequence, concatBytes(items));
  },
  /** SET OF, sorted by encoding as DER requires. */
  setOf(...items: Uint8Array[]): Uint8Array {
    const sorted = [...items].sort(compareBytes);
    return encodeTlv(TagClass.universal, true, Tag.set, concatBytes(sorted));
  },
  /** Non-negative INTEGER (nothing here needs negative ones). */
  integer(value: bigint | number): Uint8Array {
    const v = BigInt(value);
    if (v < 0n) throw new RangeError('negative INTEGER is not supported by the writer');
    return der.unsignedInteger(bigintToBytes(v));
  },
  /** INTEGER from unsigned big-endian bytes (serial numbers). */
  unsignedInteger(bytes: Uint8Array): Uint8Array {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.subarray(start);
    const content = trimmed.length === 0 ? Uint8Array.of(0) : trimmed[0] & 0x80 ? concatBytes([Uint8Array.of(0), trimmed]) : trimmed;
    return encodeTlv(TagClass.universal, false, Tag.integer, content);
  },
  /** Non-negative ENUMERATED. */
  enumerated(value: number): Uint8Array {
    const integer = der.integer(value);
    return encodeTlv(TagClass.universal, false, Tag.enumerated, integer.subarray(2));
  },
  boolean(value: boolean): Uint8Array {
    return encodeTlv(TagClass.universal, false, Tag.boolean, Uint8Array.of(value ? 0xff : 0));
  },
  null(): Uint8Array {
    return Uint8Array.of(Tag.null, 0);
  },
  oid(dotted: string): Uint8Array {
    const arcs = dotted.split('.').map((arc) => {
      if (!/^\d+$/.test(arc)) throw new RangeError(`bad OID "${dotted}"`);
      return BigInt(arc);
    });
    if (arcs.length < 2 || arcs[0] > 2n) throw new RangeError(`bad OID "${dotted}"`);
    const values = [arcs[0] * 40n + arcs[1], ...arcs.slice(2)];
    const bytes: number[] = [];
    for (const value of values) {
      const digits: number[] = [Number(value & 0x7fn)];
      for (let rest = value >> 7n; rest > 0n; rest >>= 7n) digits.unshift(Number(rest & 0x7fn) | 0x80);
      bytes.push(...digits);
    }
    return encodeTlv(TagClass.universal, false, Tag.oid, Uint8Array.from(bytes));
  },
  octetString(bytes: Uint8Array): Uint8Array {
    return encodeTlv(TagClass.universal, false, Tag.octetString, bytes);
  },
  bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
    return encodeTlv(TagClass.universal, false, Tag.bitString, concatBytes([Uint8Array.of(unusedBits), bytes]));
  },
  /** A BIT STRING of named bits (KeyUsage): minimal length, unused trailing bits counted. */
  namedBits(bits: readonly number[]): Uint8Array {
    if (bits.length === 0) return der.bitString(new Uint8Array(0));
    const highest = Math.max(...bits);
    const bytes = new Uint8Array((highest >> 3) + 1);
    for (const bit of bits) bytes[bit >> 3] |= 0x80 >> (bit & 7);
    return der.bitString(bytes, 7 - (highest & 7));
  },
  utf8(text: string): Uint8Array {
    return encodeTlv(TagClass.universal, false, Tag.utf8String, Buffer.from(text, 'utf8'));
  },
  printable(text: string): Uint8Array {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError(`not a PrintableString: "${text}"`);
    return encodeTlv(TagClass.universal, false, Tag.printableString, Buffer.from(text, 'latin1'));
  },
  numeric(text: string): Uint8Array {
    if (!/^[0-9 ]*$/.test(text)) throw new RangeError(`not a NumericString: "${text}"`);
    return encodeTlv(TagClass.universal, false, Tag.numericString, Buffer.from(text, 'latin1'));
  },
  ia5(text: string): Uint8Array {
    if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError(`not an IA5String: "${text}"`);
    return encodeTlv(TagClass.universal, false, Tag.ia5String, Buffer.from(text, 'latin1'));
  },
  utcTime(date: Date): Uint8Array {
    const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
    return encodeTlv(TagClass.universal, false, Tag.utcTime, Buffer.from(text, 'latin1'));
  },
  generalizedTime(date: Date): Uint8Array {
    const text = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
    return encodeTlv(TagClass.universal, false, Tag.generalizedTime, Buffer.from(text, 'latin1'));
  },
  /** RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050. */
  time(date: Date): Uint8Array {
    const year = date.getUTCFullYear();
    return year >= 1950 && year < 2050 ? der.utcTime(date) : der.generalizedTime(date);
  },
  /** [n] EXPLICIT: a constructed context tag around one encoded element. */
  explicit(tagNumber: number, inner: Uint8Array): Uint8Array {
    return encodeTlv(TagClass.context, true, tagNumber, inner);
  },
  /** [n] IMPLICIT constructed: context tag replacing a SEQUENCE/SET tag; content = items. */
  implicitConstructed(tagNumber: number, ...items: Uint8Array[]): Uint8Array {
    return encodeTlv(TagClass.context, true, tagNumber, concatBytes(items));
  },
  /** [n] IMPLICIT primitive: context tag replacing a primitive tag. */
  implicitPrimitive(tagNumber: number, content: Uint8Array): Uint8Array {
    return encodeTlv(TagClass.context, false, tagNumber, content);
  },
};

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** Replaces the identifier octet of an encoding (e.g. [0] IMPLICIT SET -> SET for signing). */
export function withTag(encoding: Uint8Array, identifier: number): Uint8Array {
  const copy = Uint8Array.from(encoding);
  copy[0] = identifier;
  return copy;
}

/** Minimal big-endian bytes of a non-negative bigint (at least one byte). */
export function bigintToBytes(value: bigint, length?: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  if (length === undefined) return bytes;
  if (bytes.length > length) throw new RangeError(`value does not fit in ${length} bytes`);
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}
