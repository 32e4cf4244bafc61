// X.501 distinguished names with the attributes of Russian qualified certificates
// (SNILS, OGRN, OGRNIP, INN, INNLE) besides the usual ones. Short names follow OpenSSL
// and Windows (SN = surname, G = given name, T = title, E = email address).
import { Tag, der, readOid, readString, type DerNode } from './der.ts';

export type NameAttributeKey =
  | 'CN' | 'SN' | 'G' | 'T' | 'O' | 'OU' | 'L' | 'ST' | 'STREET' | 'C' | 'E'
  | 'SNILS' | 'OGRN' | 'OGRNIP' | 'INN' | 'INNLE';

type StringKind = 'utf8' | 'printable' | 'numeric' | 'ia5';

interface AttributeDefinition {
  key: NameAttributeKey;
  oid: string;
  label: string;
  kind: StringKind;
  /** Allowed digit counts for numeric identifiers. */
  digits?: readonly number[];
}

const ATTRIBUTES: readonly AttributeDefinition[] = [
  { key: 'CN', oid: '2.5.4.3', label: 'common name', kind: 'utf8' },
  { key: 'SN', oid: '2.5.4.4', label: 'surname', kind: 'utf8' },
  { key: 'G', oid: '2.5.4.42', label: 'given name', kind: 'utf8' },
  { key: 'T', oid: '2.5.4.12', label: 'title', kind: 'utf8' },
  { key: 'O', oid: '2.5.4.10', label: 'organization', kind: 'utf8' },
  { key: 'OU', oid: '2.5.4.11', label: 'organizational unit', kind: 'utf8' },
  { key: 'L', oid: '2.5.4.7', label: 'locality', kind: 'utf8' },
  { key: 'ST', oid: '2.5.4.8', label: 'state or province', kind: 'utf8' },
  { key: 'STREET', oid: '2.5.4.9', label: 'street address', kind: 'utf8' },
  { key: 'C', oid: '2.5.4.6', label: 'country', kind: 'printable' },
  { key: 'E', oid: '1.2.840.113549.1.9.1', label: 'email', kind: 'ia5' },
  { key: 'SNILS', oid: '1.2.643.100.3', label: 'SNILS', kind: 'numeric', digits: [11] },
  { key: 'OGRN', oid: '1.2.643.100.1', label: 'OGRN', kind: 'numeric', digits: [13] },
  { key: 'OGRNIP', oid: '1.2.643.100.5', label: 'OGRNIP', kind: 'numeric', digits: [15] },
  // INN of a person (12 digits); older certificates put a legal entity's INN here as 10
  // digits padded with two leading zeros, so 10 is accepted too.
  { key: 'INN', oid: '1.2.643.3.131.1.1', label: 'INN', kind: 'numeric', digits: [10, 12] },
  { key: 'INNLE', oid: '1.2.643.100.4', label: 'INN of a legal entity', kind: 'numeric', digits: [10] },
];

const BY_KEY = new Map(ATTRIBUTES.map((a) => [a.key, a]));
const BY_OID = new Map(ATTRIBUTES.map((a) => [a.oid, a]));

/** The order attributes are written in when a name is built from an object. */
export const NAME_ATTRIBUTE_ORDER: readonly NameAttributeKey[] = [
  'E', 'SNILS', 'INN', 'INNLE', 'OGRN', 'OGRNIP', 'C', 'ST', 'L', 'STREET', 'O', 'OU', 'T', 'CN', 'SN', 'G',
];

export interface NameAttribute {
  oid: string;
  /** Short name when the attribute is one of the known ones. */
  key?: NameAttributeKey;
  value: string;
}

/** Attributes keyed by short name; with multiple values of one key the first is kept. */
export type NameFields = Partial<Record<NameAttributeKey, string>>;

/** Input for building a name: an object (written in NAME_ATTRIBUTE_ORDER) or an explicit list. */
export type NameInput = NameFields | ReadonlyArray<{ key: NameAttributeKey; value: string }>;

export class NameError extends Error {
  override name = 'NameError';
}

function encodeValue(definition: AttributeDefinition, value: string): Uint8Array {
  if (definition.digits) {
    if (!/^\d+$/.test(value) || !definition.digits.includes(value.length)) {
      throw new NameError(`${definition.label} must be ${definition.digits.join(' or ')} digits, got "${value}"`);
    }
  }
  if (definition.key === 'C' && !/^[A-Z]{2}$/.test(value)) throw new NameError(`country must be two capital letters, got "${value}"`);
  if (value.length === 0) throw new NameError(`${definition.label} must not be empty`);
  switch (definition.kind) {
    case 'numeric':
      return der.numeric(value);
    case 'printable':
      return der.printable(value);
    case 'ia5':
      if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(value)) throw new NameError(`not an email address: "${value}"`);
      return der.ia5(value);
    default:
      return der.utf8(value);
  }
}

/** DER of a Name: one attribute per RDN, in the given order. */
export function encodeName(input: NameInput): Uint8Array {
  const entries: Array<{ key: NameAttributeKey; value: string }> = Array.isArray(input)
    ? [...input]
    : NAME_ATTRIBUTE_ORDER.flatMap((key) => {
      const value = (input as NameFields)[key];
      return value === undefined ? [] : [{ key, value }];
    });
  if (entries.length === 0) throw new NameError('a name needs at least one attribute');
  const rdns = entries.map(({ key, value }) => {
    const definition = BY_KEY.get(key);
    if (!definition) throw new NameError(`unknown name attribute "${key}"`);
    return der.setOf(der.sequence(der.oid(definition.oid), encodeValue(definition, value)));
  });
  return der.sequence(...rdns);
}

export function parseName(node: DerNode): NameAttribute[] {
  node.expect(Tag.sequence, 'Name');
  const out: NameAttribute[] = [];
  for (const rdn of node.children) {
    rdn.expect(Tag.set, 'RelativeDistinguishedName');
    for (const pair of rdn.children) {
      pair.expect(Tag.sequence, 'AttributeTypeAndValue');
      const oid = readOid(pair.child(0, 'attribute type'));
      const valueNode = pair.child(1, 'attribute value');
      let value: string;
      try {
        value = readString(valueNode);
      } catch {
        // A non-string value (rare): show its encoding rather than failing the whole name.
        value = `#${Buffer.from(valueNode.raw).toString('hex')}`;
      }
      out.push({ oid, key: BY_OID.get(oid)?.key, value });
    }
  }
  return out;
}

export function nameFields(attributes: readonly NameAttribute[]): NameFields {
  const fields: NameFields = {};
  for (const attribute of attributes) {
    if (attribute.key && fields[attribute.key] === undefined) fields[attribute.key] = attribute.value;
  }
  return fields;
}

function escapeValue(value: string): string {
  // RFC 4514 style escaping of the characters that would make the text ambiguous.
  return value.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}

/** One-line text form, attributes in encoding order: "CN=..., SNILS=..., C=RU". */
export function formatName(attributes: readonly NameAttribute[]): string {
  return attributes.map((a) => `${a.key ?? a.oid}=${escapeValue(a.value)}`).join(', ');
}

/**
 * Name comparison for chain building (RFC 5280 section 7.1, simplified): same attributes
 * in the same order, values compared case-insensitively with whitespace runs collapsed.
 */
export function namesMatch(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  const normalise = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase();
  return a.every((attribute, i) => attribute.oid === b[i].oid && normalise(attribute.value) === normalise(b[i].value));
}
