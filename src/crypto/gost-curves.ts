// Elliptic-curve parameter sets for GOST R 34.10-2012 (RFC 4357 section 11.4, RFC 7836
// appendix A.1, RFC 9215). All are given in short Weierstrass form y^2 = x^3 + ax + b;
// TC26 256 A and 512 C are twisted Edwards curves whose Weierstrass forms these are
// (RFC 7836 gives both). Point arithmetic is @noble/curves' generic Weierstrass code.
import { weierstrass, type WeierstrassPoint, type WeierstrassPointCons } from '@noble/curves/abstract/weierstrass.js';

export type GostKeySize = 256 | 512;

export type GostParamSetName =
  | 'cryptopro-test'
  | 'cryptopro-A'
  | 'cryptopro-B'
  | 'cryptopro-C'
  | 'cryptopro-XchA'
  | 'cryptopro-XchB'
  | 'tc26-256-A'
  | 'tc26-256-B'
  | 'tc26-256-C'
  | 'tc26-256-D'
  | 'tc26-512-test'
  | 'tc26-512-A'
  | 'tc26-512-B'
  | 'tc26-512-C';

export interface GostParamSet {
  readonly name: GostParamSetName;
  /** The parameter-set OID that goes into SubjectPublicKeyInfo. */
  readonly oid: string;
  /** The names OpenSSL's gost engine accepts in `-pkeyopt paramset:...`. */
  readonly opensslName: string;
  readonly keySize: GostKeySize;
  /** Bytes in one coordinate / scalar: 32 or 64. */
  readonly byteLength: 32 | 64;
  readonly p: bigint;
  readonly a: bigint;
  readonly b: bigint;
  /** Order of the prime subgroup. */
  readonly q: bigint;
  readonly cofactor: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
  /**
   * Whether a key's AlgorithmIdentifier parameters carry the digest OID. RFC 9215 and
   * OpenSSL omit it for the TC26 256-bit sets and 512 C, and include it otherwise.
   */
  readonly digestOidInKeyParams: boolean;
  readonly Point: WeierstrassPointCons<bigint>;
}

export type GostPoint = WeierstrassPoint<bigint>;

interface Definition {
  name: GostParamSetName;
  oid: string;
  opensslName: string;
  keySize: GostKeySize;
  p: string;
  a: string;
  b: string;
  q: string;
  cofactor: number;
  gx: string;
  gy: string;
  digestOidInKeyParams: boolean;
}

// Shared curves: XchA is CryptoPro A, XchB is CryptoPro C, TC26 256 B/C/D are CryptoPro A/B/C.
const CRYPTOPRO_A = {
  p: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97',
  a: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD94',
  b: 'A6',
  q: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893',
  cofactor: 1,
  gx: '1',
  gy: '8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14',
};
const CRYPTOPRO_B = {
  p: '8000000000000000000000000000000000000000000000000000000000000C99',
  a: '8000000000000000000000000000000000000000000000000000000000000C96',
  b: '3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B',
  q: '800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F',
  cofactor: 1,
  gx: '1',
  gy: '3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC',
};
const CRYPTOPRO_C = {
  p: '9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B',
  a: '9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D7598',
  b: '805A',
  q: '9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9',
  cofactor: 1,
  gx: '0',
  gy: '41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67',
};

const DEFINITIONS: readonly Definition[] = [
  {
    // The curve of the worked example in GOST R 34.10-2012 / RFC 7091 (tests only).
    name: 'cryptopro-test', oid: '1.2.643.2.2.35.0', opensslName: 'TEST', keySize: 256, digestOidInKeyParams: true,
    p: '8000000000000000000000000000000000000000000000000000000000000431',
    a: '7',
    b: '5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E',
    q: '8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3',
    cofactor: 1,
    gx: '2',
    gy: '08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8',
  },
  { name: 'cryptopro-A', oid: '1.2.643.2.2.35.1', opensslName: 'A', keySize: 256, digestOidInKeyParams: true, ...CRYPTOPRO_A },
  { name: 'cryptopro-B', oid: '1.2.643.2.2.35.2', opensslName: 'B', keySize: 256, digestOidInKeyParams: true, ...CRYPTOPRO_B },
  { name: 'cryptopro-C', oid: '1.2.643.2.2.35.3', opensslName: 'C', keySize: 256, digestOidInKeyParams: true, ...CRYPTOPRO_C },
  { name: 'cryptopro-XchA', oid: '1.2.643.2.2.36.0', opensslName: 'XA', keySize: 256, digestOidInKeyParams: true, ...CRYPTOPRO_A },
  { name: 'cryptopro-XchB', oid: '1.2.643.2.2.36.1', opensslName: 'XB', keySize: 256, digestOidInKeyParams: true, ...CRYPTOPRO_C },
  {
    name: 'tc26-256-A', oid: '1.2.643.7.1.2.1.1.1', opensslName: 'TCA', keySize: 256, digestOidInKeyParams: false,
    p: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97',
    a: 'C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335',
    b: '295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513',
    q: '400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67',
    cofactor: 4,
    gx: '91E38443A5E82C0D880923425712B2BB658B9196932E02C78B2582FE742DAA28',
    gy: '32879423AB1A0375895786C4BB46E9565FDE0B5344766740AF268ADB32322E5C',
  },
  { name: 'tc26-256-B', oid: '1.2.643.7.1.2.1.1.2', opensslName: 'TCB', keySize: 256, digestOidInKeyParams: false, ...CRYPTOPRO_A },
  { name: 'tc26-256-C', oid: '1.2.643.7.1.2.1.1.3', opensslName: 'TCC', keySize: 256, digestOidInKeyParams: false, ...CRYPTOPRO_B },
  { name: 'tc26-256-D', oid: '1.2.643.7.1.2.1.1.4', opensslName: 'TCD', keySize: 256, digestOidInKeyParams: false, ...CRYPTOPRO_C },
  {
    // The curve of the 512-bit worked example in GOST R 34.10-2012 / RFC 7091 (tests only).
    name: 'tc26-512-test', oid: '1.2.643.7.1.2.1.2.0', opensslName: 'TEST', keySize: 512, digestOidInKeyParams: true,
    p: '4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373',
    a: '7',
    b: '1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC4361834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC',
    q: '4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF',
    cofactor: 1,
    gx: '24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A',
    gy: '2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E',
  },
  {
    name: 'tc26-512-A', oid: '1.2.643.7.1.2.1.2.1', opensslName: 'A', keySize: 512, digestOidInKeyParams: true,
    p: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7',
    a: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4',
    b: 'E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760',
    q: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275',
    cofactor: 1,
    gx: '3',
    gy: '7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4',
  },
  {
    name: 'tc26-512-B', oid: '1.2.643.7.1.2.1.2.2', opensslName: 'B', keySize: 512, digestOidInKeyParams: true,
    p: '8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006F',
    a: '8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006C',
    b: '687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116',
    q: '800000000000000000000000000000000000000000000000000000000000000149A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD',
    cofactor: 1,
    gx: '2',
    gy: '1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD',
  },
  {
    name: 'tc26-512-C', oid: '1.2.643.7.1.2.1.2.3', opensslName: 'C', keySize: 512, digestOidInKeyParams: false,
    p: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7',
    a: 'DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E143064546E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3',
    b: 'B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE038CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1',
    q: '3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED',
    cofactor: 4,
    gx: 'E2E31EDFC23DE7BDEBE241CE593EF5DE2295B7A9CBAEF021D385F7074CEA043AA27272A7AE602BF2A7B9033DB9ED3610C6FB85487EAE97AAC5BC7928C1950148',
    gy: 'F5CE40D95B5EB899ABBCCFF5911CB8577939804D6527378B8C108C3D2090FF9BE18E2D33E3021ED2EF32D85822423B6304F726AA854BAE07D0396E9A9ADDC40F',
  },
];

const hex = (value: string): bigint => BigInt(`0x${value}`);

function build(definition: Definition): GostParamSet {
  const p = hex(definition.p);
  const params = {
    p,
    n: hex(definition.q),
    h: BigInt(definition.cofactor),
    a: hex(definition.a),
    b: hex(definition.b),
    Gx: hex(definition.gx),
    Gy: hex(definition.gy),
  };
  return Object.freeze({
    name: definition.name,
    oid: definition.oid,
    opensslName: definition.opensslName,
    keySize: definition.keySize,
    byteLength: definition.keySize === 256 ? 32 : 64,
    p,
    a: params.a,
    b: params.b,
    q: params.n,
    cofactor: params.h,
    gx: params.Gx,
    gy: params.Gy,
    digestOidInKeyParams: definition.digestOidInKeyParams,
    Point: weierstrass(params),
  } satisfies GostParamSet);
}

export const GOST_PARAM_SETS: readonly GostParamSet[] = DEFINITIONS.map(build);

export function paramSetByName(name: GostParamSetName): GostParamSet {
  const found = GOST_PARAM_SETS.find((set) => set.name === name);
  if (!found) throw new RangeError(`unknown GOST parameter set "${name}"`);
  return found;
}

export function paramSetByOid(oid: string): GostParamSet | undefined {
  return GOST_PARAM_SETS.find((set) => set.oid === oid);
}

/** Looks a set up by an OpenSSL `paramset:` value (A, B, C, XA, XB, TCA..TCD for 256; A..C for 512). */
export function paramSetByOpensslName(keySize: GostKeySize, name: string): GostParamSet | undefined {
  return GOST_PARAM_SETS.find((set) => set.keySize === keySize && set.opensslName === name.toUpperCase() && !set.name.includes('test'));
}
