// Arbitraries for GoReleaser templates: token soup that reaches every corner of the lexer,
// parser and executor (keywords, functions, variables, numbers near the limits, broken
// delimiters), and the real templates of the goreleaser configs in the shared fixtures.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';

const TOKENS = [
  '{{',
  '}}',
  '{{-',
  '-}}',
  '{{ ',
  ' }}',
  ' ',
  '\n',
  '.',
  '.Tag',
  '.Version',
  '.Env',
  '.Env.REGISTRY',
  '.Env.UNSET',
  '.Arch',
  '.Now',
  '.Now.Format',
  '$',
  '$x',
  '$y',
  ':=',
  '=',
  ',',
  '|',
  '(',
  ')',
  '"',
  '"%d"',
  '"%s"',
  '"%999999999d"',
  '"%.200f"',
  '"a"',
  '""',
  '`raw`',
  "'x'",
  '\\',
  '"\\u00zz"',
  'if',
  'else',
  'else if',
  'end',
  'range',
  'with',
  'break',
  'continue',
  'define',
  'template',
  'block',
  'nil',
  'true',
  'false',
  'printf',
  'print',
  'println',
  'index',
  'len',
  'slice',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'and',
  'or',
  'not',
  'call',
  'html',
  'urlquery',
  'js',
  'tolower',
  'toupper',
  'title',
  'replace',
  'split',
  'trim',
  'trimprefix',
  'trimsuffix',
  'contains',
  'time',
  'envOrDefault',
  'isEnvSet',
  'incpatch',
  'incminor',
  'incmajor',
  'filter',
  'reverseFilter',
  'map',
  'indexOrDefault',
  'list',
  'in',
  'abs',
  'dir',
  'base',
  'mdv2escape',
  '0',
  '1',
  '-1',
  '3',
  '1000000',
  '100000000',
  '9007199254740993',
  '1e999',
  '0x1f',
  '0b101',
  '1_000',
  '3.5',
  "'\\n'",
  '/*',
  '*/',
  '{{/*',
  '*/}}',
  'ghcr.io/',
  ':',
  '@sha256:',
  'x',
];

export const templateSoup: fc.Arbitrary<string> = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((t) => t.join(''));

/** One action `{{ ... }}` of soup, closed, so more of them get past the lexer into the parser. */
export const actionSoup: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(fc.constantFrom('', 'x/', '-'), fc.array(fc.constantFrom(...TOKENS.filter((t) => !t.includes('{{') && !t.includes('}}'))), { maxLength: 8 })),
    { minLength: 1, maxLength: 5 },
  )
  .map((actions) => actions.map(([text, tokens]) => `${text}{{ ${tokens.join(' ')} }}`).join(''));

/** Every string of a YAML file (any depth) that holds a template action. */
export function templatesIn(dir: string): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes('{{')) out.add(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) visit(doc.toJS());
    }
  };
  walk(dir);
  return [...out];
}

/** A template with one edit: soup inserted, a range deleted, or a range repeated. */
export function editedTemplate(templates: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...templates), fc.constantFrom('insert', 'delete', 'repeat'), fc.nat(), fc.nat({ max: 12 }), templateSoup)
    .map(([t, edit, n, len, soup]) => {
      const i = n % (t.length + 1);
      if (edit === 'insert') return t.slice(0, i) + soup + t.slice(i);
      if (edit === 'delete') return t.slice(0, i) + t.slice(i + len);
      return t.slice(0, i + len) + t.slice(i, i + len).repeat(50) + t.slice(i + len);
    });
}
