import type { Cause, ExpectedSigner, Signer } from '../../model/cause';
import type { GraphProblem, ImageGraph } from '../../model/image-graph';
import type { ImageState } from '../../model/verdict';
import type { CoverageRule, ImagePolicy } from '../policy';
import type { ArtifactWhy } from './cause-classify';
import { CAUSE_ORDER, classifyArtifact, expectedSigner } from './cause-classify';
import { causeMessage } from './cause-message';
import type { Finding } from './cause-message';
import type { DigestVerdict } from './digest-verdict';
import type { ImageCheck } from './image-checks';
import type { ArtifactVerification } from './verify-artifact';

/** What the causes are read from: the verdict's parts, before the verdict exists. */
export interface CauseFacts {
  graph: ImageGraph;
  results: readonly ArtifactVerification[];
  policy: ImagePolicy;
  rule: CoverageRule;
  state: ImageState;
  digests: readonly DigestVerdict[];
  checks: readonly ImageCheck[];
  /** Platform lists cut under no verified index signature (image-verdict.ts). */
  blockingCuts: readonly GraphProblem[];
  /** The policy's requirements, in the order of their REQUIRED_ATTESTATION checks. */
  requirements: ReadonlyArray<{ name: string; predicateTypes: string[] }>;
}

/**
 * Why an image is not verified, most important first (CAUSE_ORDER): for each platform that is not
 * covered, what its own signatures and those of the indexes above it say, and for each requirement
 * that does not hold, why. Findings with the same code and the same signer, expectation or problem
 * are one cause naming every platform they apply to. A verified or excepted image has none.
 */
export function imageCauses(f: CauseFacts): Cause[] {
  if (f.state === 'verified' || f.state === 'excepted') return [];
  const findings: Finding[] = [];
  const targetOf = new Map(f.digests.map((d) => [d.digest, d.target]));
  const index = f.digests.find((d) => d.target === 'index');
  for (const p of f.digests) {
    if (p.target === 'index' || p.state === 'verified') continue;
    findings.push(...platformFindings(f, p, index, targetOf));
  }
  for (const cut of f.blockingCuts) {
    const at = cut.cut?.index === undefined || cut.cut.index === f.graph.digest ? 'index' : `index ${cut.cut.index}`;
    findings.push({
      code: 'NOT_CHECKED',
      key: `TRUNCATED\0${at}`,
      targets: [at],
      at: [at],
      problem: cut.code,
      detail: cut.message,
      digest: cut.cut?.index ?? f.graph.digest,
    });
  }
  findings.push(...requirementFindings(f, index, targetOf));
  if (findings.length === 0 && f.digests.every((d) => d.target === 'index')) {
    findings.push({
      code: 'NOT_CHECKED',
      key: 'NO_PLATFORM',
      targets: ['index'],
      at: ['index'],
      problem: 'NO_PLATFORM',
      detail: 'it lists no platform manifest, so nothing can be covered.',
      digest: f.graph.digest,
    });
  }
  return group(findings, f).sort((a, b) => CAUSE_ORDER.indexOf(a.code) - CAUSE_ORDER.indexOf(b.code));
}

/** The digests whose signatures count for a platform: its own, then the indexes above it. */
function coveringDigests(f: CauseFacts, p: DigestVerdict): string[] {
  const entry = f.graph.platforms.find((x) => x.digest === p.digest);
  return [p.digest, ...(entry?.via ?? []), ...(f.graph.kind === 'index' ? [f.graph.digest] : [])];
}

/** The artifacts that could cover a digest under the rule: signatures, and attestations when they count. */
function candidates(f: CauseFacts, digest: string): ArtifactVerification[] {
  return f.results.filter(
    (r, i) =>
      r.coversDigest === digest &&
      !f.graph.artifacts[i]?.depth &&
      r.format !== 'buildkit-index' &&
      (r.kind === 'signature' || f.rule === 'signatures-or-attestations'),
  );
}

function platformFindings(f: CauseFacts, p: DigestVerdict, index: DigestVerdict | undefined, targetOf: Map<string, string>): Finding[] {
  const one = { targets: [p.target], digest: p.digest };
  if (p.unexamined !== undefined) {
    return [
      {
        code: 'NOT_CHECKED',
        key: p.unexamined.code,
        ...one,
        at: [p.target],
        problem: p.unexamined.code,
        detail: `it is not an image manifest that could be examined, and a runtime could still pull it: ${p.unexamined.message}`,
      },
    ];
  }
  const digests = coveringDigests(f, p);
  const out: Finding[] = [];
  for (const d of digests) {
    for (const a of candidates(f, d)) {
      if (a.state !== p.state && !(p.state === 'not-checked' && a.state === 'not-checked')) continue;
      const why = classifyArtifact(a, f.policy);
      if (why !== undefined) out.push(fromWhy(why, a, p, targetOf.get(d) ?? d));
    }
  }
  if (p.state === 'not-checked') {
    for (const d of digests) {
      for (const problem of f.digests.find((x) => x.digest === d)?.problems ?? []) {
        out.push({
          code: 'NOT_CHECKED',
          key: problem.code,
          ...one,
          at: [targetOf.get(d) ?? d],
          problem: problem.code,
          detail: `${problem.at} could not be read: ${problem.message}`,
        });
      }
    }
    const cut = f.graph.problems.find((x) => x.cut?.cap === 'artifacts');
    if (cut !== undefined) out.push({ code: 'NOT_CHECKED', key: 'TRUNCATED', ...one, at: [p.target], problem: cut.code, detail: cut.message });
  }
  if (out.length > 0) return out;
  if (p.state === 'unsigned' || p.state === 'failed') {
    return [{ code: 'NO_SIGNATURE', key: 'NO_SIGNATURE', ...one, at: [p.target], attestedBy: attestedBy(f, p, index) }];
  }
  return [{ code: 'NOT_CHECKED', key: 'READ', ...one, at: [p.target], problem: 'READ', detail: 'part of what covers it could not be read.' }];
}

/** Under cosign's rule, who made a verified attestation that would cover the platform under slsa-verifier's. */
function attestedBy(f: CauseFacts, p: DigestVerdict, index: DigestVerdict | undefined): string[] | undefined {
  if (f.rule !== 'signatures') return undefined;
  const by = [...(p.attestedBy ?? []), ...(index?.attestedBy ?? [])];
  return by.length > 0 ? [...new Set(by)] : undefined;
}

function fromWhy(why: ArtifactWhy, a: ArtifactVerification, p: DigestVerdict, at: string): Finding {
  const base = { targets: [p.target], digest: p.digest, at: [at], kinds: [kindWord(a)] };
  switch (why.code) {
    case 'IDENTITY_MISMATCH':
    case 'ISSUER_MISMATCH':
    case 'UNPINNED':
      return {
        code: why.code,
        key: why.code === 'UNPINNED' ? '' : signerKey(why.seen),
        ...base,
        seen: [why.seen],
        expected: why.expected,
        ...('check' in why && why.check ? { detail: why.check.message } : {}),
      };
    case 'INVALID_SIGNATURE':
    case 'MISSING_ATTESTATION':
      return { code: why.code, key: why.check.code, ...base, detail: why.check.message, ...(why.seen ? { seen: [why.seen] } : {}) };
    case 'NOT_CHECKED':
      return {
        code: why.code,
        key: why.problem,
        ...base,
        problem: why.problem,
        detail: `the ${kindWord(a) === 'signature' ? 'signature' : 'attestation'} on ${at === 'index' ? 'the index' : at} ${why.clause}`,
      };
  }
}

function kindWord(a: ArtifactVerification): string {
  return a.kind === 'signature' ? 'signature' : (a.predicateType ?? a.kind);
}

function signerKey(s: Signer): string {
  return 'keyId' in s ? s.keyId : `${s.identity}\0${s.issuer ?? ''}`;
}

function requirementFindings(f: CauseFacts, index: DigestVerdict | undefined, targetOf: Map<string, string>): Finding[] {
  const checks = f.checks.filter((c) => c.code === 'REQUIRED_ATTESTATION');
  const out: Finding[] = [];
  f.requirements.forEach((r, i) => {
    const c = checks[i];
    if (c === undefined || c.status === 'pass') return;
    if (c.status === 'warn') {
      out.push({
        code: 'NOT_CHECKED',
        key: `TRUNCATED\0${r.name}`,
        targets: ['index'],
        at: ['index'],
        digest: f.graph.digest,
        problem: 'TRUNCATED',
        detail: c.message,
      });
      return;
    }
    const missing = c.evidence?.platforms ?? [];
    const where = new Set([...missing.flatMap((t) => f.digests.filter((d) => d.target === t).map((d) => d.digest)), ...(index ? [index.digest] : [])]);
    // What stands in for the missing attestation: one that failed or nobody pinned, else BuildKit's unsigned statement.
    const present = f.results.filter(
      (a, j) =>
        where.has(a.coversDigest) &&
        !f.graph.artifacts[j]?.depth &&
        a.predicateType !== undefined &&
        r.predicateTypes.includes(a.predicateType) &&
        a.state !== 'verified',
    );
    const signed = present.find((a) => a.format !== 'buildkit-index');
    const why = signed === undefined ? undefined : classifyArtifact(signed, f.policy);
    const digest = missing.length === 1 ? f.digests.find((d) => d.target === missing[0])?.digest : undefined;
    out.push({
      code: 'MISSING_ATTESTATION',
      key: r.name,
      targets: missing.length > 0 ? missing : ['index'],
      at: signed ? [targetOf.get(signed.coversDigest) ?? signed.coversDigest] : [],
      ...(digest ? { digest } : {}),
      requirement: r,
      ...(why ? { because: why } : {}),
      unsignedOnly: signed === undefined && present.length > 0,
      ...(why && 'seen' in why && why.seen ? { seen: [why.seen] } : {}),
      ...(why && 'expected' in why ? { expected: why.expected } : {}),
    });
  });
  return out;
}

/** One cause per code and key: the platforms (and where the signatures are) gathered, signers merged. */
function group(findings: readonly Finding[], f: CauseFacts): Cause[] {
  const order = ['index', ...f.digests.filter((d) => d.target !== 'index').map((d) => d.target)];
  const rank = (t: string) => (order.includes(t) ? order.indexOf(t) : order.length);
  const byKey = new Map<string, Finding[]>();
  for (const x of findings) byKey.set(`${x.code}\0${x.key}`, [...(byKey.get(`${x.code}\0${x.key}`) ?? []), x]);
  const out: Cause[] = [];
  for (const list of byKey.values()) {
    const first = list[0]!;
    const merged: Finding = {
      ...first,
      targets: uniqueSorted(
        list.flatMap((x) => x.targets),
        rank,
      ),
      at: uniqueSorted(
        list.flatMap((x) => x.at),
        rank,
      ),
      kinds: [...new Set(list.flatMap((x) => x.kinds ?? []))],
      ...(first.seen ? { seen: uniqueSigners(list.flatMap((x) => x.seen ?? [])) } : {}),
    };
    // NO_SIGNATURE on every platform of an index nobody signed: the whole image.
    const wholeImage =
      merged.code === 'NO_SIGNATURE' &&
      f.digests.filter((d) => d.target !== 'index').every((d) => merged.targets.includes(d.target)) &&
      f.digests.some((d) => d.target === 'index' && d.ownState === 'unsigned');
    if (wholeImage) merged.wholeImage = true;
    out.push(toCause(merged, f));
  }
  return out;
}

function toCause(x: Finding, f: CauseFacts): Cause {
  const platforms = x.wholeImage
    ? ['index', ...x.targets]
    : uniqueSorted([...x.at.filter((t) => t === 'index'), ...x.targets], (t) => (t === 'index' ? -1 : 0));
  const cause: Cause = { code: x.code, message: causeMessage(x, f.rule) };
  if (platforms.length === 1) {
    cause.platform = platforms[0]!;
    if (x.digest !== undefined) cause.digest = x.digest;
  } else {
    cause.platforms = platforms;
  }
  if (x.seen && x.seen.length > 0) cause.seen = x.seen;
  const expected: ExpectedSigner | undefined = x.expected ?? (x.code === 'UNPINNED' ? expectedSigner(f.policy) : undefined);
  if (expected !== undefined) cause.expected = expected;
  if (x.problem !== undefined) cause.problem = x.problem;
  return cause;
}

function uniqueSorted(list: readonly string[], rank: (t: string) => number): string[] {
  return [...new Set(list)].sort((a, b) => rank(a) - rank(b));
}

function uniqueSigners(list: readonly Signer[]): Signer[] {
  const seen = new Map<string, Signer>();
  for (const s of list) seen.set(signerKey(s), s);
  return [...seen.values()];
}
