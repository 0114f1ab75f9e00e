// Arbitraries for image references, after the grammar of distribution/reference
// (https://github.com/distribution/reference/blob/main/reference.go) that
// src/registry/reference.ts implements: valid parts, and near-valid text to break the parser.
import fc from 'fast-check';

export const pathComponent = fc.stringMatching(/^[a-z0-9]{1,6}(?:(?:[._]|__|-{1,3})[a-z0-9]{1,6}){0,2}$/);
export const tag = fc.stringMatching(/^\w[\w.-]{0,20}$/);
const hexOf = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
export const digest = fc.oneof(
  hexOf(64).map((h) => `sha256:${h}`),
  hexOf(128).map((h) => `sha512:${h}`),
);

const hostLabel = fc.stringMatching(/^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,8}[a-zA-Z0-9])$/);
const port = fc.integer({ min: 1, max: 65535 }).map(String);

/** A registry host that the parser must recognise as one: dotted, with a port, localhost or IPv6. */
export const domain = fc.oneof(
  fc
    .tuple(fc.array(hostLabel, { minLength: 2, maxLength: 4 }), fc.option(port, { nil: undefined }))
    .map(([labels, p]) => `${labels.join('.')}${p ? `:${p}` : ''}`),
  fc.tuple(hostLabel, port).map(([label, p]) => `${label}:${p}`),
  fc.option(port, { nil: undefined }).map((p) => `localhost${p ? `:${p}` : ''}`),
  fc.tuple(fc.ipV6(), fc.option(port, { nil: undefined })).map(([ip, p]) => `[${ip}]${p ? `:${p}` : ''}`),
  fc.constantFrom('docker.io', 'index.docker.io', 'registry-1.docker.io', 'ghcr.io', 'Registry.Example.com'),
);

export interface ReferenceParts {
  domain?: string;
  path: string[];
  tag?: string;
  digest?: string;
}

export const referenceParts: fc.Arbitrary<ReferenceParts> = fc.record(
  { domain: domain, path: fc.array(pathComponent, { minLength: 1, maxLength: 4 }), tag, digest },
  { requiredKeys: ['path'] },
);

export function referenceText(p: ReferenceParts): string {
  return `${p.domain ? `${p.domain}/` : ''}${p.path.join('/')}${p.tag !== undefined ? `:${p.tag}` : ''}${p.digest !== undefined ? `@${p.digest}` : ''}`;
}

/** Pieces of references and of what breaks them, for token-soup strings. */
const PIECES = [
  'a',
  'Z',
  '0',
  '.',
  '_',
  '__',
  '-',
  ':',
  '/',
  '//',
  '@',
  ' ',
  '\t',
  '\u00a0',
  '\u200b',
  '[',
  ']',
  '%',
  '+',
  'docker.io/',
  'index.docker.io/',
  'localhost',
  'localhost:5000/',
  '[::1]:5000/',
  'registry:65536/',
  'ghcr.io/',
  'library/',
  'oci-layout:',
  'oci-layout:/tmp/x',
  'sha256:',
  'sha512:',
  'md5:',
  `sha256:${'a'.repeat(64)}`,
  `sha256:${'A'.repeat(64)}`,
  `sha512:${'0'.repeat(128)}`,
  ':latest',
  ':v1.2.3',
  ':-x',
  ':.x',
  `:${'t'.repeat(130)}`,
  'x'.repeat(250),
  '\u0000',
  'é',
  '\n',
];

/** Strings made of reference pieces: far more of them reach deep into the parser than random text. */
export const referenceSoup = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((a) => a.join(''));
