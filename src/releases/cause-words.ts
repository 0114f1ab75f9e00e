/**
 * A cause (src/model/cause.ts) in a few words, for the places too narrow for its message: a
 * CodeLens title, a tree row's description. The message itself is the engine's and stays the
 * words of every place with room (tooltips, hovers, the panel's header, Problems); this only
 * shortens what it names: a GitHub Actions identity
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect)
 * becomes the parts that differ between the signer seen and the one expected (the repository,
 * else the workflow file, else the ref), so two different failures never read the same.
 */
import { signerName } from '../model/cause';
import type { Cause, Expected, ExpectedSigner } from '../model/cause';
import { workflowIdentity } from '../claims/workflow-identity';
import type { WorkflowIdentity } from '../claims/workflow-identity';

/** A workflow identity with its ref as people say it: `v1.2.0` for `refs/tags/v1.2.0`, `main` for `refs/heads/main`. */
function workflowOf(identity: string | undefined): WorkflowIdentity | undefined {
  const w = identity === undefined ? undefined : workflowIdentity(identity);
  return w ? { ...w, ref: w.ref.replace(/^refs\/(tags|heads)\//, '') } : undefined;
}

/**
 * A policy value as people read it: an exact string as it is; a pattern without its anchors and
 * with its escaped punctuation unescaped (`https://github\.com/rancher/fleet/…` reads as the URL
 * it matches), so a pattern that is a literal in disguise names what it matches.
 */
export function expectedText(e: Expected): string {
  if (typeof e === 'string') return e;
  let text = e.regexp.replace(/^\^/, '').replace(/\$$/, '');
  const group = /^\(\?:(.*)\)$/.exec(text);
  if (group && !group[1]!.includes(')')) text = group[1]!;
  return text.replace(/\\([^A-Za-z0-9])/g, '$1');
}

/**
 * A signer's identity for a row or a table cell: a GitHub workflow identity as
 * `owner/repo/release.yml@v1.2.0` (a tag without `refs/tags/`; a branch keeps `refs/heads/`, so it
 * never reads as a tag), anything else as it is. JSON keeps the whole identity.
 */
export function identityShort(identity: string): string {
  const w = workflowIdentity(identity);
  return w ? `${w.repository}/${w.file}@${w.ref.replace(/^refs\/tags\//, '')}` : identity;
}

/** The two identities, shortened to the parts of a GitHub workflow identity that differ. */
function workflowContrast(seen: string, expected: string): [string, string] {
  const a = workflowOf(seen);
  const b = workflowOf(expected);
  if (!a || !b) return [seen, expected];
  if (a.repository !== b.repository) return [a.repository, b.repository];
  if (a.file !== b.file) return [`${a.repository} ${a.file}`, `${b.repository} ${b.file}`];
  return [`${a.repository}@${a.ref}`, `${b.repository}@${b.ref}`];
}

function expectedIdentity(e: ExpectedSigner | undefined): string | undefined {
  if (e === undefined) return undefined;
  if ('keys' in e) return e.keys.length === 1 ? 'the pinned key' : 'a pinned key';
  return e.identity === undefined ? undefined : expectedText(e.identity);
}

function expectedIssuer(e: ExpectedSigner | undefined): string | undefined {
  return e === undefined || 'keys' in e || e.issuer === undefined ? undefined : expectedText(e.issuer);
}

/** The platforms a cause names (`platform`, or `platforms` when it applies to several), `index` included. */
export function causePlatforms(c: Cause): readonly string[] {
  return c.platforms ?? (c.platform !== undefined ? [c.platform] : []);
}

/**
 * Where a cause applies, for the short words: `linux/s390x`, `linux/arm64 and linux/s390x`,
 * `the index`; `here` is the platform of the row the words are for, which need not name it again.
 */
function where(c: Cause, here: string | undefined): { text: string; many: boolean; here: boolean } | undefined {
  const all = causePlatforms(c);
  const platforms = all.filter((p) => p !== 'index');
  if (platforms.length === 1 && platforms[0] === here) return { text: platforms[0]!, many: false, here: true };
  if (platforms.length === 0) return all.length > 0 ? { text: 'the index', many: false, here: false } : undefined;
  // Two are named; more are counted (a row shows about forty characters).
  const text = platforms.length === 1 ? platforms[0]! : platforms.length === 2 ? `${platforms[0]!} and ${platforms[1]!}` : `${platforms.length} platforms`;
  return { text, many: platforms.length > 1, here: false };
}

/**
 * The cause in a few words: `signed by fleet-fork/fleet, expected rancher/fleet`,
 * `linux/s390x is not signed`, `the signature on the index does not verify`. Falls back to the
 * engine's message where there is nothing to shorten. On the row of platform `here`, a cause
 * about that platform alone leaves its name out: `not signed`.
 */
export function causeShort(c: Cause, here?: string): string {
  const at = where(c, here);
  switch (c.code) {
    case 'IDENTITY_MISMATCH': {
      const seen = c.seen?.[0];
      const expected = expectedIdentity(c.expected);
      if (seen === undefined || expected === undefined) return c.message;
      const [s, e] = workflowContrast(signerName(seen), expected);
      // The identity matched, its GitHub claims (ref, trigger, commit) did not.
      return s === e ? `signed by ${s}, claims not as the policy expects` : `signed by ${s}, expected ${e}`;
    }
    case 'ISSUER_MISMATCH': {
      const seen = c.seen?.[0];
      const expected = expectedIssuer(c.expected);
      if (seen === undefined || 'keyId' in seen || seen.issuer === undefined || expected === undefined) return c.message;
      return `issuer ${seen.issuer}, expected ${expected}`;
    }
    case 'NO_SIGNATURE':
      // Named with the index only when neither the index nor any platform is signed.
      if (causePlatforms(c).includes('index')) return 'nothing is signed';
      if (at === undefined) return c.message;
      return at.here ? 'not signed' : `${at.text} ${at.many ? 'are' : 'is'} not signed`;
    case 'INVALID_SIGNATURE':
      if (at === undefined) return c.message;
      return at.here ? 'its signature does not verify' : `the signature on ${at.text} does not verify`;
    case 'NOT_CHECKED': {
      if (at === undefined) return c.message;
      const problem = c.problem ? ` (${c.problem})` : '';
      return at.here ? `not checked${problem}` : `${at.text} not checked${problem}`;
    }
    case 'UNPINNED': {
      const seen = c.seen?.[0];
      if (seen === undefined) return 'no signer pinned';
      const w = 'keyId' in seen ? undefined : workflowOf(seen.identity);
      return `signer not pinned: ${w ? w.repository : signerName(seen)}`;
    }
    case 'MISSING_ATTESTATION':
      if (at === undefined) return c.message;
      return at.here ? 'no required attestation' : `${at.text} ${at.many ? 'lack' : 'lacks'} a required attestation`;
  }
}

/** The short words of the first cause, and how many more there are: `… (+1 more)`. */
export function causesShort(causes: readonly Cause[]): string | undefined {
  const [first] = causes;
  if (first === undefined) return undefined;
  return causes.length > 1 ? `${causeShort(first)} (+${causes.length - 1} more)` : causeShort(first);
}
