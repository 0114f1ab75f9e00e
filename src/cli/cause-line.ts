import type { Cause, Expected, ExpectedSigner, Signer } from '../model/cause';
import { terminalText } from './format';

/**
 * A cause (verdict.causes, src/verify/image/causes.ts) in one terminal line: a wrong signer as
 * `signed by …release.yml@refs/tags/v1.3.0, but the policy expects …@refs/tags/v1.2.0`, both
 * sides cut to what differs between them; any other cause as the engine's sentence.
 */
export function causeHeadline(c: Cause): string {
  const seen = c.seen?.[0];
  const expected = c.expected;
  if ((c.code === 'IDENTITY_MISMATCH' || c.code === 'ISSUER_MISMATCH') && seen !== undefined && expected !== undefined) {
    if ('keyId' in seen || 'keys' in expected) return terminalText(`signed by ${signerText(seen)}, but the policy expects ${expectedKeys(expected)}`);
    if (c.code === 'IDENTITY_MISMATCH' && expected.identity !== undefined) {
      const [s, e] = elideShared(seen.identity, expected.identity);
      return terminalText(`signed by ${s}, but the policy expects ${e}`);
    }
    if (c.code === 'ISSUER_MISMATCH' && expected.issuer !== undefined) {
      const [s, e] = elideShared(seen.issuer ?? 'no issuer', expected.issuer);
      return terminalText(`signed with the OIDC issuer ${s}, but the policy expects ${e}`);
    }
  }
  return terminalText(c.message.replace(/\.$/, ''));
}

function signerText(s: Signer): string {
  return 'keyId' in s ? `the key ${s.keyId}` : s.identity;
}

function expectedKeys(e: ExpectedSigner): string {
  if ('keys' in e) return `${e.keys.length > 1 ? 'one of the keys' : 'the key'} ${e.keys.join(', ')}`;
  return e.identity === undefined ? 'another signer' : typeof e.identity === 'string' ? e.identity : `the pattern ${e.identity.regexp}`;
}

/** Elide only what both sides share, and only when it is long enough to be worth an ellipsis. */
const WORTH_ELIDING = 30;

/**
 * The signer seen and the policy's value, cut to the part that differs: a long shared start is
 * replaced by `…` from the last `@` (else `/`) before the difference (one more path segment of
 * context on the seen side), a long shared end by `…` after the `/` that follows it. A pattern is
 * compared by what it matches literally (`\.` as `.`, without `^` and `$`) and shown as written.
 */
export function elideShared(seen: string, expected: Expected): [string, string] {
  const pattern = typeof expected === 'string' ? undefined : expected.regexp;
  const { text, at } = pattern === undefined ? { text: expected as string, at: (i: number) => i } : literalView(pattern);
  const shown = pattern ?? text;
  let prefix = 0;
  while (prefix < seen.length && prefix < text.length && seen[prefix] === text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < seen.length - prefix && suffix < text.length - prefix && seen[seen.length - 1 - suffix] === text[text.length - 1 - suffix]) suffix++;

  let [seenStart, textStart] = [0, 0];
  if (prefix > WORTH_ELIDING) {
    const cut = Math.max(text.lastIndexOf('@', prefix - 1), 0) || text.lastIndexOf('/', prefix - 1);
    if (cut > 0) {
      textStart = cut;
      seenStart = seen.lastIndexOf('/', cut - 1) + 1;
    }
  }
  let [seenEnd, textEnd] = [seen.length, text.length];
  if (suffix > WORTH_ELIDING) {
    const end = (s: string, from: number) => {
      const slash = s.indexOf('/', from);
      return slash < 0 || slash >= s.length - 1 ? s.length : slash + 1;
    };
    seenEnd = end(seen, seen.length - suffix);
    textEnd = end(text, text.length - suffix);
  }
  const piece = (s: string, from: number, to: number, length: number) => `${from > 0 ? '…' : ''}${s.slice(from, to)}${to < length ? '…' : ''}`;
  const expectedShown = piece(shown, textStart === 0 ? 0 : at(textStart), textEnd === text.length ? shown.length : at(textEnd), shown.length);
  return [piece(seen, seenStart, seenEnd, seen.length), pattern === undefined ? expectedShown : `the pattern ${expectedShown}`];
}

/** What a pattern matches literally, and where each of its characters is in the pattern as written. */
function literalView(pattern: string): { text: string; at: (i: number) => number } {
  const chars: string[] = [];
  const where: number[] = [];
  let i = pattern.startsWith('^') ? 1 : 0;
  const end = pattern.endsWith('$') && !pattern.endsWith('\\$') ? pattern.length - 1 : pattern.length;
  for (; i < end; i++) {
    const escaped = pattern[i] === '\\' && i + 1 < end && !/[A-Za-z0-9]/.test(pattern[i + 1]!);
    where.push(i);
    chars.push(escaped ? pattern[++i]! : pattern[i]!);
  }
  where.push(end);
  return { text: chars.join(''), at: (k) => where[k] ?? end };
}

/**
 * Words wrapped to `width` columns, later lines indented by `indent`; a word longer than a line
 * (an identity, a URL) gets a line of its own rather than being cut.
 */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  const lead = /^ */.exec(text)![0];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const next = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
    if (next.length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines;
}
