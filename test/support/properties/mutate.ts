// Single-field mutations of signed material: every leaf of a JSON document, each changed in the
// ways its encoding allows (bytes flipped inside base64, DER and hex at spread offsets, numbers
// moved by one, text edited, base64-encoded JSON changed leaf by leaf inside), removed, or given
// another type. Nothing is re-signed: this is what someone without the keys can do.

/** One mutation: which field (a JSON path, `#` descends into a decoded value), how, and the new document. */
export interface Mutation<T> {
  field: string;
  how: string;
  apply: (value: T) => T;
}

/** `count` offsets spread over `length` bytes, first and last included. */
export function spread(length: number, count: number): number[] {
  if (length <= 0) return [];
  if (length <= count) return [...Array(length).keys()];
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (length - 1)) / (count - 1))))];
}

export function flipByte(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = out[at]! ^ 0x01;
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-f]{2})+$/;

type StringMutation = { how: string; to: string; inner?: string };

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** A changed character at the start, middle and end, one appended, and the empty string. */
function textMutations(s: string): StringMutation[] {
  const at = spread(s.length, 3);
  const change = (i: number) => s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) === 0x78 ? 0x79 : 0x78) + s.slice(i + 1);
  return [
    ...at.map((i) => ({ how: `char ${i} changed`, to: change(i) })),
    { how: 'a character appended', to: `${s}x` },
    ...(s === '' ? [] : [{ how: 'emptied', to: '' }]),
  ];
}

/** The ways a string is changed, by what it encodes. `regions`: byte flips for opaque bytes (more for certificates). */
export function stringMutations(s: string, regions = 4): StringMutation[] {
  if (/^-----BEGIN [A-Z ]+-----/.test(s.trim())) {
    const blocks = [...s.matchAll(/-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/g)];
    return [
      ...blocks.flatMap((m, b) => {
        const der = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
        return spread(der.length, 16).map((i) => ({
          how: `PEM block ${b} DER byte ${i}/${der.length} flipped`,
          to: s.replace(m[0], `-----BEGIN ${m[1]}-----\n${flipByte(der, i).toString('base64')}\n-----END ${m[1]}-----`),
        }));
      }),
      { how: 'not PEM', to: 'garbage' },
    ];
  }
  if (/^(?:0|[1-9][0-9]*)$/.test(s)) {
    return [{ how: '+1', to: String(BigInt(s) + 1n) }, ...(s !== '0' ? [{ how: '-1', to: String(BigInt(s) - 1n) }] : []), { how: 'not a number', to: 'x' }];
  }
  if (HEX.test(s) && s.length >= 16) {
    return [
      ...spread(s.length, regions).map((i) => ({ how: `hex digit ${i} changed`, to: s.slice(0, i) + (s[i] === '0' ? '1' : '0') + s.slice(i + 1) })),
      { how: 'odd length', to: s.slice(1) },
    ];
  }
  if (BASE64.test(s) && s.length >= 16) {
    const bytes = Buffer.from(s, 'base64');
    // Text decoders skip: the same bytes, spelled as no encoder would.
    const junk: StringMutation[] = [
      { how: 'a character that is not base64 inserted', to: `${s.slice(0, s.length >> 1)}*${s.slice(s.length >> 1)}` },
      ...(s.endsWith('=') ? [{ how: 'padding replaced by junk', to: `${s.slice(0, -1)}<` }] : []),
    ];
    const json = parseJson(bytes.toString('utf8'));
    if (json !== null && typeof json === 'object') {
      // base64 of JSON (a Rekor body, a DSSE payload): each of its fields, then its bytes.
      return [
        ...jsonMutations(json).map((m) => ({ how: m.how, inner: m.field, to: Buffer.from(JSON.stringify(m.apply(json))).toString('base64') })),
        ...spread(bytes.length, 3).map((i) => ({ how: `decoded byte ${i}/${bytes.length} flipped`, to: flipByte(bytes, i).toString('base64') })),
        ...junk,
      ];
    }
    const count = bytes[0] === 0x30 && bytes.length > 200 ? 16 : regions; // a DER certificate: more places that matter
    return [
      ...spread(bytes.length, count).map((i) => ({ how: `decoded byte ${i}/${bytes.length} flipped`, to: flipByte(bytes, i).toString('base64') })),
      { how: 'truncated', to: bytes.subarray(0, -1).toString('base64') },
      { how: 'not base64', to: `${s.slice(0, -4)}!!!!` },
      ...junk,
    ];
  }
  const json = parseJson(s);
  if (json !== null && typeof json === 'object') {
    return [...jsonMutations(json).map((m) => ({ how: m.how, inner: m.field, to: JSON.stringify(m.apply(json)) })), { how: 'not JSON', to: s.slice(0, -1) }];
  }
  return textMutations(s);
}

const clone = <T>(v: T): T => structuredClone(v);

function setAt(doc: unknown, path: readonly (string | number)[], to: unknown, remove = false): unknown {
  const out = clone(doc);
  let node = out as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = to;
  return out;
}

const fieldName = (path: readonly (string | number)[]): string =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(root)';

/**
 * Every field of `doc` mutated on its own: leaves by value (strings by encoding, numbers by one,
 * booleans negated), every field removed and every value given another type; arrays also get
 * their first element repeated. `skip` leaves fields out (their own test covers them).
 */
export function jsonMutations<T>(doc: T, skip: (field: string) => boolean = () => false): Mutation<T>[] {
  const out: Mutation<T>[] = [];
  const visit = (v: unknown, path: (string | number)[]): void => {
    const field = fieldName(path);
    if (path.length > 0 && skip(field)) return;
    const put = (how: string, to: unknown, inner?: string) =>
      out.push({ field: inner ? `${field}#${inner}` : field, how, apply: (d) => setAt(d, path, to) as T });
    if (path.length > 0) {
      out.push({ field, how: 'removed', apply: (d) => setAt(d, path, undefined, true) as T });
      put('another type', typeof v === 'string' ? 1 : typeof v === 'number' ? String(v) : v === null ? {} : typeof v === 'object' ? 'x' : null);
    }
    if (typeof v === 'string') for (const m of stringMutations(v)) put(m.how, m.to, m.inner);
    else if (typeof v === 'number') {
      put('+1', v + 1);
      if (v > 0) put('-1', v - 1);
    } else if (typeof v === 'boolean') put('negated', !v);
    else if (Array.isArray(v)) {
      if (v.length > 0 && path.length > 0) put('first element repeated', [v[0], ...v]);
      v.forEach((c, i) => visit(c, [...path, i]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) visit(c, [...path, k]);
    }
  };
  visit(doc, []);
  return out;
}

/** The payload bytes flipped at `count` spread offsets. */
export function byteMutations(field: string, length: number, count: number): Mutation<Buffer>[] {
  return spread(length, count).map((i) => ({ field, how: `byte ${i}/${length} flipped`, apply: (b) => flipByte(b, i) }));
}

/** Each layer annotation changed in the ways its encoding allows, or removed (manifests only carry string annotations). */
export function annotationMutations<T extends { annotations: Readonly<Record<string, string>> }>(annotations: Readonly<Record<string, string>>): Mutation<T>[] {
  return Object.entries(annotations).flatMap(([key, value]) => [
    {
      field: `annotation ${key}`,
      how: 'removed',
      apply: (l: T) => ({ ...l, annotations: Object.fromEntries(Object.entries(l.annotations).filter(([k]) => k !== key)) }),
    },
    ...stringMutations(value).map((m) => ({
      field: `annotation ${key}${m.inner ? `#${m.inner}` : ''}`,
      how: m.how,
      apply: (l: T) => ({ ...l, annotations: { ...l.annotations, [key]: m.to } }),
    })),
  ]);
}
