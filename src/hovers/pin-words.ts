// Words of the quick fixes and lenses on image references: an image's short name,
// why a digest is about to be pinned without a verified verdict behind it (the pin quick fix asks
// with it), and a lens's title. Pure (no vscode).
import { workflowIdentity } from '../claims/workflow-identity';
import { keyName } from '../model/cause';
import type { Signer } from '../model/cause';
import { VERDICTS } from '../model/verdict';
import { NO_POLICY } from '../releases/policy-coverage';
import type { ImageLoad } from '../releases/types';
import { causesOf } from '../releases/verification';
import { loadWords } from './verdict-words';

/** `rancher/fleet-agent` of `127.0.0.1:5000/rancher/fleet-agent:v0.13.0`, for titles. */
export function shortName(reference: string): string {
  const path = reference.replace(/[@].*$/, '').replace(/:[^/:]+$/, '');
  return path.split('/').slice(1).join('/') || path;
}

/** A signer in a few words: `fleet-fork/fleet's release.yml`, else the identity. */
export function signerWords(s: Signer): string {
  if (!('identity' in s)) return keyName(s.keyId);
  const w = workflowIdentity(s.identity);
  return w ? `${w.repository}'s ${w.file}` : s.identity;
}

/** A lens title: the image (with its tag) and what is known of it, without reading anything. */
export function lensWords(reference: string, load: ImageLoad, covered: boolean | undefined): string {
  const tag = /:([^/:@]+)(?:@.*)?$/.exec(reference)?.[1];
  const name = `${shortName(reference)}${tag !== undefined ? `:${tag}` : ''}`;
  if (covered === false) return `${name}: ${NO_POLICY}`;
  if (load.status === 'idle') return `${name}: not read yet · verify`;
  return `${name}: ${loadWords(load).text}`;
}

/** Undefined when the image is verified (or excepted) under a policy that names it; else why not, as a clause. */
export function unverifiedReason(load: ImageLoad, covered: boolean | undefined): string | undefined {
  if (load.status === 'failed') return `it could not be read: ${load.failure.message}`;
  if (load.status !== 'loaded') return 'it has not been read yet';
  if (covered === false) return `there is ${NO_POLICY} (no entry of the policy names it), so nobody checked who signed it`;
  if (load.verifying) return 'its verification has not finished';
  if (load.verificationFailure) return `its verification could not run: ${load.verificationFailure.message}`;
  const v = load.verification;
  if (v === undefined) return 'it was not verified';
  if (v.verdict.state === 'verified' || v.verdict.state === 'excepted') return undefined;
  const cause = causesOf(v)[0]?.message;
  return `${VERDICTS[v.verdict.state].long}${cause ? `: ${cause}` : ''}`;
}
