import type { CauseCode, Expected, ExpectedSigner, Signer } from '../../model/cause';
import type { CoverageRule } from '../policy';
import type { ArtifactWhy } from './cause-classify';
import { attestationNoun, targetNames } from './coverage-sentence';

/** One reason found on the way, before findings with the same code and key are merged into a cause. */
export interface Finding {
  code: CauseCode;
  /** Findings with the same code and key are one cause (a signer, a problem code, a requirement). */
  key: string;
  /** The platforms (or `index`) it leaves uncovered. */
  targets: string[];
  /** Where the signatures or attestations it is about are (`index`, a platform). */
  at: string[];
  /** The digest of its one target. */
  digest?: string | undefined;
  /** `signature`, or the predicate type of the attestations it is about. */
  kinds?: string[] | undefined;
  seen?: Signer[] | undefined;
  expected?: ExpectedSigner | undefined;
  problem?: string | undefined;
  /** The failing check's or the problem's own sentence. */
  detail?: string | undefined;
  /** NO_SIGNATURE under cosign's rule: who made a verified attestation that the other rule would count. */
  attestedBy?: string[] | undefined;
  /** MISSING_ATTESTATION of a requirement: which, and why the one present does not count. */
  requirement?: { name: string } | undefined;
  because?: ArtifactWhy | undefined;
  unsignedOnly?: boolean | undefined;
  /** NO_SIGNATURE on the index and on every platform. */
  wholeImage?: boolean | undefined;
}

/** One plain sentence for a cause, both sides named where there are two ("signed by X, but the policy expects Y"). */
export function causeMessage(x: Finding, rule: CoverageRule): string {
  const either = rule === 'signatures-or-attestations';
  switch (x.code) {
    case 'IDENTITY_MISMATCH':
      if (x.detail !== undefined) return sentence(`${carrier(x)} ${signedBy(x.seen)}, whose certificate does not match the policy: ${x.detail}`);
      return sentence(`${carrier(x)} ${signedBy(x.seen)}, but the policy expects ${expectedSide(x.expected, 'identity')}`);
    case 'ISSUER_MISMATCH':
      return sentence(
        `${carrier(x)} ${signedBy(x.seen)} with the OIDC issuer ${issuers(x.seen)}, but the policy expects the issuer ${expectedSide(x.expected, 'issuer')}`,
      );
    case 'UNPINNED':
      return sentence(
        `${carrier(x)} ${signedBy(x.seen)}, but ${x.expected && 'identity' in x.expected && x.expected.identity !== undefined ? 'no OIDC issuer is' : 'no identity or key is'} pinned, so nothing says who may sign`,
      );
    case 'NO_SIGNATURE': {
      const what = either ? 'signed or attested' : 'signed';
      const head = x.wholeImage
        ? `The image is not ${what}: no ${either ? 'signature or attestation' : 'signature'} on its index or on ${targetNames(x.targets)}`
        : `${capital(targetNames(x.targets))} ${be(x.targets)} not ${what}`;
      const hint =
        x.attestedBy === undefined
          ? ''
          : `; a verified attestation by ${x.attestedBy.join(', ')} covers ${x.targets.length === 1 ? 'it' : 'them'}, but attestations count only under coverage: signatures-or-attestations`;
      return sentence(`${head}${hint}`);
    }
    case 'INVALID_SIGNATURE':
      return sentence(
        `The ${kindNoun(x.kinds, x.at.length > 1)} on ${targetNames(x.at)} ${x.at.length > 1 ? 'do' : 'does'} not verify: ${x.detail ?? 'not every required check passed'}`,
      );
    case 'MISSING_ATTESTATION':
      if (x.requirement === undefined)
        return sentence(
          `The ${kindNoun(x.kinds, false)} on ${targetNames(x.at)}${x.seen ? `, ${signedBy(x.seen)},` : ''} does not meet the policy: ${x.detail ?? ''}`,
        );
      return sentence(
        `${capital(targetNames(x.targets))} ${x.targets.length > 1 ? 'have' : 'has'} no verified ${x.requirement.name} attestation, which the policy requires${becauseOf(x)}`,
      );
    case 'NOT_CHECKED':
      return sentence(`${capital(targetNames(x.targets))} could not be checked: ${x.detail ?? 'part of what covers it could not be read'}`);
  }
}

/** Why the required attestation that is there does not count. */
function becauseOf(x: Finding): string {
  const where = `the one on ${targetNames(x.at)}`;
  if (x.unsignedOnly) return ": only BuildKit's unsigned statement is there, which does not count";
  const why = x.because;
  if (why === undefined) return '';
  switch (why.code) {
    case 'IDENTITY_MISMATCH':
      return `: ${where} is ${signedBy([why.seen])}, but the policy expects ${expectedSide(why.expected, 'identity')}`;
    case 'ISSUER_MISMATCH':
      return `: ${where} is ${signedBy([why.seen])} with the OIDC issuer ${issuers([why.seen])}, but the policy expects the issuer ${expectedSide(why.expected, 'issuer')}`;
    case 'UNPINNED':
      return `: ${where} is ${signedBy([why.seen])}, but no identity or key is pinned`;
    case 'INVALID_SIGNATURE':
      return `: ${where} does not verify: ${why.check.message}`;
    case 'MISSING_ATTESTATION':
      return `: ${where} does not meet the policy: ${why.check.message}`;
    case 'NOT_CHECKED':
      return `: ${where} ${why.clause}`;
  }
}

/** "linux/amd64 is" for signatures; "The index has a SLSA provenance attestation" for attestations. */
function carrier(x: Finding): string {
  const names = capital(targetNames(x.at));
  const kinds = x.kinds ?? ['signature'];
  if (kinds.every((k) => k === 'signature')) return `${names} ${be(x.at)}`;
  const has = x.at.length > 1 ? 'have' : 'has';
  if (kinds.length > 1) return `${names} ${has} signatures or attestations`;
  const noun = attestationNoun([kinds[0]!]);
  return `${names} ${has} ${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function kindNoun(kinds: readonly string[] | undefined, plural: boolean): string {
  const list = kinds ?? ['signature'];
  const word = list.every((k) => k === 'signature') ? 'signature' : list.some((k) => k === 'signature') ? 'signature or attestation' : attestationNoun(list);
  return plural ? word.replace(/^(\S+)/, '$1s') : word;
}

function signedBy(seen: readonly Signer[] | undefined): string {
  const who = (seen ?? []).map((s) => ('keyId' in s ? `the key ${s.keyId}` : JSON.stringify(s.identity)));
  return `signed by ${who.length > 0 ? orList(who, 'and') : 'an unknown signer'}`;
}

function issuers(seen: readonly Signer[] | undefined): string {
  const list = (seen ?? []).flatMap((s) => ('issuer' in s && s.issuer !== undefined ? [JSON.stringify(s.issuer)] : []));
  return list.length > 0 ? orList([...new Set(list)], 'and') : 'none';
}

/** The policy's side as written: `"https://…@refs/tags/v1.2.0"`, `an identity matching ^https://…$`, `the key sha256:…`. */
export function expectedSide(expected: ExpectedSigner | undefined, part: 'identity' | 'issuer'): string {
  if (expected === undefined) return 'a pinned signer';
  if ('keys' in expected) return `${expected.keys.length > 1 ? 'one of the keys' : 'the key'} ${orList(expected.keys, 'or')}`;
  const value: Expected | undefined = expected[part];
  if (value === undefined) return part === 'identity' ? 'any identity' : 'any issuer';
  return typeof value === 'string' ? JSON.stringify(value) : `${part === 'identity' ? 'an identity' : 'an issuer'} matching ${value.regexp}`;
}

function orList(items: readonly string[], word: 'and' | 'or'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

const be = (list: readonly string[]): string => (list.length > 1 ? 'are' : 'is');
/** A sentence starting with "the index" starts with a capital; one starting with a platform keeps it as written. */
const capital = (s: string): string => (s.startsWith('the ') ? `T${s.slice(1)}` : s);
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);
