import type { Cause } from '../../model/cause';
import type { GraphProblem, ImageGraph } from '../../model/image-graph';
import { imageCauses } from './causes';
import { attestationNoun, coverageSentence } from './coverage-sentence';
import type { ImageState } from '../../model/verdict';
import type { DigestVerdict } from './digest-verdict';
import { coverageOf } from './digest-verdict';
import type { ImageCheck } from './image-checks';
import { imageCheck } from './image-checks';
import type { CoverageRule, ImagePolicy } from '../policy';
import type { ArtifactVerification } from './verify-artifact';

/**
 * The verdict on a whole image (README.md, "What \"verified\" means"): verified only if every
 * platform is covered by a verified signature (its own, or the index's) and every requirement
 * holds. Verified attestations do not count as signatures (as `cosign verify` does not count
 * them), except cosign v3's `https://sigstore.dev/cosign/sign/v1` statements, which are
 * signatures; under `coverage: signatures-or-attestations` a verified attestation covers its digest too (as
 * slsa-verifier accepts slsa-github-generator images, which carry only an attestation).
 * A required predicate type is met per platform, only by a VERIFIED attestation covering
 * the index or that platform; BuildKit's unsigned statements never meet it.
 */
export interface ImageVerdict {
  verified: boolean;
  state: ImageState;
  /** One plain sentence: who covers what, and what is not covered. */
  coverage: string;
  /** The rule that decided what covers a digest (always set by `imageVerdict`). */
  coverageRule?: CoverageRule;
  digests: DigestVerdict[];
  /** Image-level checks: COVERAGE per platform, REQUIRED_ATTESTATION per requirement, EXCEPTION. */
  checks: ImageCheck[];
  /** The policy's stated exception, when it was applied. */
  exception?: { reason: string };
  /** Why the image is not verified, most important first (causes.ts); none when verified or excepted. */
  causes: Cause[];
}

interface Requirement {
  name: string;
  predicateTypes: string[];
}

/** The policy's required attestations, whichever field holds them (alternatives per requirement). */
function requirementsOf(policy: ImagePolicy): Requirement[] {
  const all = (policy as { requiredAttestations?: Requirement[] }).requiredAttestations;
  return all ?? policy.requiredPredicateTypes.map((t) => ({ name: t, predicateTypes: [t] }));
}

export function imageVerdict(graph: ImageGraph, results: readonly ArtifactVerification[], policy: ImagePolicy): ImageVerdict {
  const rule = policy.coverage ?? 'signatures';
  const { digests, nested } = coverageOf(graph, results, rule);
  const index = digests.find((d) => d.target === 'index');
  const platforms = digests.filter((d) => d.target !== 'index');
  const checks: ImageCheck[] = platforms.map((p) => coverageCheck(p, index, rule));
  if (platforms.length === 0) checks.push(imageCheck('COVERAGE', 'fail', 'The image lists no platform manifest, so nothing can be covered.'));

  // Lists that could hold a platform and were cut: what was not examined is covered only by a
  // verified signature on an index above it, whose digest commits to every entry.
  const indexCovered = (digest: string | undefined): boolean => {
    if (digest === undefined) return false;
    const above = [digest, ...(graph.indexes?.find((n) => n.digest === digest)?.via ?? []), graph.digest];
    return above.some((d) => (d === graph.digest ? index : nested.get(d))?.ownState === 'verified');
  };
  const platformCuts = graph.problems.filter(
    (p): p is GraphProblem & { cut: NonNullable<GraphProblem['cut']> } => p.cut?.cap === 'platforms' || p.cut?.cap === 'nesting',
  );
  const blocking = platformCuts.filter((p) => !indexCovered(p.cut.index));
  for (const p of platformCuts) {
    const which = p.cut.index === graph.digest ? 'the index' : `index ${p.cut.index}`;
    checks.push(
      blocking.includes(p)
        ? imageCheck(
            'COVERAGE',
            'warn',
            `${p.message.replace(/ What was not read was not checked\.$/, '')} No verified signature covers ${which}, so what it lists beyond them could be unsigned.`,
            { ...(p.cut.index ? { digest: p.cut.index } : {}), coverageRule: rule },
          )
        : imageCheck(
            'COVERAGE',
            'info',
            `${p.cut.unread} entries of ${which} were not examined; the verified signature on ${which === 'the index' ? 'it' : which} covers them, since its digest commits to each of them.`,
            { ...(p.cut.index ? { digest: p.cut.index } : {}), coverageRule: rule },
          ),
    );
  }

  for (const r of requirementsOf(policy)) {
    const onIndex = r.predicateTypes.some((t) => index?.attestations.includes(t) ?? false);
    const missing = platforms.filter((p) => !r.predicateTypes.some((t) => p.attestations.includes(t) || onIndex));
    const which = r.predicateTypes.length === 1 ? r.predicateTypes[0]! : `any of ${r.predicateTypes.join(', ')}`;
    if (missing.length === 0 && platforms.length > 0 && (platformCuts.length === 0 || onIndex)) {
      checks.push(
        imageCheck('REQUIRED_ATTESTATION', 'pass', `A verified ${r.name} attestation covers every platform.`, { predicateType: which, requirement: r.name }),
      );
    } else if (missing.length === 0 && platforms.length > 0) {
      checks.push(
        imageCheck(
          'REQUIRED_ATTESTATION',
          'warn',
          `A verified ${r.name} attestation (${which}) covers every platform examined, but not every entry of the index was examined, and only one on the index itself would cover those.`,
          { predicateType: which, requirement: r.name },
        ),
      );
    } else {
      const unsigned = results.some((a) => a.state !== 'verified' && a.predicateType !== undefined && r.predicateTypes.includes(a.predicateType));
      const note = unsigned ? ' (one exists, but it is unsigned, by another signer or failing, which does not count)' : '';
      checks.push(
        imageCheck(
          'REQUIRED_ATTESTATION',
          'fail',
          `The policy requires a verified ${r.name} attestation (${which}); none covers ${missing.map((p) => p.target).join(', ') || 'the image'}${note}.`,
          { predicateType: which, requirement: r.name, platforms: missing.map((p) => p.target) },
        ),
      );
    }
  }

  const covered = platforms.length > 0 && platforms.every((p) => p.state === 'verified');
  const requirementsHold = !checks.some((c) => c.code === 'REQUIRED_ATTESTATION' && c.status !== 'pass');
  // Signatures or attestations a cap left unread could be the ones a failed requirement needs.
  const signedUnread = graph.problems.some((p) => p.cut !== undefined && p.cut.unsigned !== true && p.cut.cap !== 'platforms' && p.cut.cap !== 'nesting');
  const states = platforms.map((p) => p.state);
  let state: ImageState;
  if (covered && requirementsHold) state = 'verified';
  else if (states.length > 0 && states.every((s) => s === 'unsigned') && (index === undefined || index.ownState === 'unsigned')) state = 'unsigned';
  else if (states.some((s) => s === 'failed')) state = 'failed';
  else if (states.some((s) => s === 'not-checked')) state = 'not-checked';
  // An index listing no platform is never "signed, signer not pinned": nothing there is covered.
  else if (states.length > 0 && states.every((s) => s === 'verified' || s === 'unpinned') && requirementsHold) state = 'unpinned';
  else state = signedUnread || checks.some((c) => c.code === 'REQUIRED_ATTESTATION' && c.status === 'warn') ? 'not-checked' : 'failed';
  // Entries not examined, under no verified index signature: nothing can be said of them.
  if (blocking.length > 0 && state !== 'failed') state = 'not-checked';

  const verdict: ImageVerdict = { verified: state === 'verified', state, coverage: '', causes: [], coverageRule: rule, digests, checks };
  if (policy.exception !== undefined) {
    if (state === 'unsigned') {
      verdict.state = 'excepted';
      verdict.exception = { reason: policy.exception.reason };
      checks.push(imageCheck('EXCEPTION', 'info', `The policy excepts this image from signing: ${policy.exception.reason}`));
    } else {
      checks.push(
        imageCheck(
          'EXCEPTION',
          'info',
          `The policy states an exception (${policy.exception.reason}), but the image is not unsigned, so it is judged on its signatures.`,
        ),
      );
    }
  }
  verdict.coverage = coverageSentence(graph, verdict);
  verdict.causes = imageCauses({
    graph,
    results,
    policy,
    rule,
    state: verdict.state,
    digests,
    checks,
    blockingCuts: blocking,
    requirements: requirementsOf(policy),
  });
  return verdict;
}

function coverageCheck(p: DigestVerdict, index: DigestVerdict | undefined, rule: CoverageRule): ImageCheck {
  const evidence = { digest: p.digest, platforms: [p.target], coverageRule: rule };
  const why = `(coverage: ${rule})`;
  const pass = (message: string, coveredBy: 'signature' | 'attestation') => imageCheck('COVERAGE', 'pass', message, { ...evidence, coveredBy });
  if (p.unexamined !== undefined) {
    return imageCheck(
      'COVERAGE',
      'warn',
      `${p.target} (${p.digest}) could not be examined as an image manifest [${p.unexamined.code}]: ${p.unexamined.message} A runtime could still pull it, so no signature can cover it.`,
      evidence,
    );
  }
  if (p.throughDigest !== undefined && p.ownState !== 'verified')
    return pass(`${p.target} is covered through nested index ${p.throughDigest}, which is itself covered ${why}.`, 'signature');
  if (p.ownState === 'verified' && p.coveredBy !== 'attestation') return pass(`${p.target} is signed by ${p.signedBy.join(', ')} ${why}.`, 'signature');
  if (p.throughIndex && index!.coveredBy !== 'attestation')
    return pass(`${p.target} is covered through the index, signed by ${index!.signedBy.join(', ')} ${why}.`, 'signature');
  if (p.ownState === 'verified')
    return pass(
      `${p.target} is covered by a verified ${attestationNoun(p.attestations)} by ${(p.attestedBy ?? []).join(', ')}, with no signature ${why}.`,
      'attestation',
    );
  if (p.throughIndex)
    return pass(
      `${p.target} is covered by a verified ${attestationNoun(index!.attestations)} on the index, by ${(index!.attestedBy ?? []).join(', ')}, with no signature ${why}.`,
      'attestation',
    );
  const what = rule === 'signatures' ? 'signature' : 'signature or attestation';
  switch (p.state) {
    case 'unpinned':
      return imageCheck(
        'COVERAGE',
        'warn',
        `${p.target} has only valid ${what}s whose identity nothing pinned (${[...p.unpinnedBy, ...(index?.unpinnedBy ?? [])].join(', ')}) ${why}.`,
        evidence,
      );
    case 'not-checked':
      return imageCheck('COVERAGE', 'warn', `${p.target} could not be checked: part of what covers it could not be read ${why}.`, evidence);
    case 'failed': {
      const failing = [p, index].filter((d): d is DigestVerdict => d !== undefined && d.ownState === 'failed');
      const by = failing.every((d) => (d.mismatchedBy?.length ?? 0) > 0) ? [...new Set(failing.flatMap((d) => d.mismatchedBy!))] : [];
      const verb = by.length > 0 ? `are signed by ${by.join(', ')}, not the signer the policy expects` : 'do not verify';
      return imageCheck(
        'COVERAGE',
        'fail',
        `${p.target} is not covered: the ${what}s on it${index ? ' and on the index' : ''} ${verb} ${why}.${attestationHint(p, index, rule)}`,
        evidence,
      );
    }
    default:
      return imageCheck(
        'COVERAGE',
        'fail',
        `${p.target} is not covered: no ${what} on it${index ? ' or on the index' : ''} ${why}.${attestationHint(p, index, rule)}`,
        evidence,
      );
  }
}

/** Under cosign's rule, a verified attestation that would have covered the platform is named, with the rule that would count it. */
function attestationHint(p: DigestVerdict, index: DigestVerdict | undefined, rule: CoverageRule): string {
  if (rule !== 'signatures') return '';
  const on = (p.attestedBy?.length ?? 0) > 0 ? p : (index?.attestedBy?.length ?? 0) > 0 ? index : undefined;
  if (on === undefined) return '';
  const where = on === index ? 'on the index' : 'on it';
  return ` A verified ${attestationNoun(on.attestations)} ${where} by ${on.attestedBy!.join(', ')} does not count as a signature under coverage: signatures (cosign verify's rule); coverage: signatures-or-attestations (slsa-verifier's rule) accepts it.`;
}
