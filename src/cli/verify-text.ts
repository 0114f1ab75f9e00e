import type { Artifact, ImageGraph } from '../model/image-graph';
import { describeMatcher } from '../verify/policy';
import type { ImagePolicy } from '../verify/policy';
import type { ArtifactVerification, DigestVerdict, ImageVerification } from '../verify/image';
import { describeTrustRoot, privatePki } from '../verify/trust';
import { VERDICTS } from '../model/verdict';
import { causeHeadline } from './cause-line';
import { terminalText, short, verdictMark } from './format';
import { pinHint, unpinnedSeen } from './pin-hint';

// The text of `provenance-lens verify <ref>`: the verdict and its first cause, then each digest
// with what is attached to it, the requirements, the policy and trust, what was not checked.

const HOW: Record<string, string> = {
  unpinned: 'valid signature, but no identity or key pinned',
  failed: 'no signature verifies',
  unsigned: 'no signature',
  'not-checked': 'could not be read',
};

export function renderVerification(g: ImageGraph, r: ImageVerification, policy: ImagePolicy): string {
  const v = r.verdict;
  const lines = [terminalText(g.reference), `${g.digest}  ${g.kind === 'index' ? 'image index' : 'image manifest'}`];
  lines.push(...verdictLines(r), '');
  const said = new Map<string, string>();
  const byCover = (digest: string) => g.artifacts.map((a, i) => [a, r.artifacts[i]!] as const).filter(([a]) => a.coversDigest === digest && !a.depth);
  for (const d of v.digests) {
    const how = digestHow(d, v.digests[0]!);
    lines.push(`${d.target === 'index' ? 'index' : terminalText(d.target)} ${short(d.digest)}  ${verdictMark(d.state)} ${terminalText(how)}`);
    const mine = byCover(d.digest);
    if (mine.length === 0) lines.push('    nothing attached to this digest');
    for (const [a, res] of mine) lines.push(...artifactLines(a, res, g, said));
    for (const p of d.problems) lines.push(`    ! could not read ${terminalText(p.at)}: ${terminalText(p.message)} [${p.code}]`);
  }
  lines.push('', 'Requirements:');
  for (const c of v.checks) lines.push(`  ${c.status.toUpperCase().padEnd(4)} ${c.code.padEnd(20)} ${terminalText(c.message)}`);
  const pki = privatePki({ info: r.trustRoot });
  lines.push(
    '',
    `Policy: ${describePolicy(policy)}`,
    `Trust: ${terminalText(describeTrustRoot(r.trustRoot, pki ? [`certificate authorities: the private PKI chain ${pki.path} (${pki.subjects.join('; ')})`] : []))}`,
  );
  // GitHub's root is said only when a signature was checked against it.
  for (const other of (r.trustRoots ?? []).slice(1)) {
    if (r.artifacts.some((a) => a.trustRoot?.sha256 === other.sha256))
      lines.push(`Trust (${other.instance}'s instance): ${terminalText(describeTrustRoot(other))}`);
  }
  const notChecked = notCheckedLines(g, r);
  if (notChecked.length > 0) lines.push('Not checked:', ...notChecked.map((l) => `  - ${l}`));
  // Whenever a signer was seen and not pinned, whatever else is wrong with the image.
  lines.push(...pinHint(unpinnedSeen(v.causes)));
  return `${lines.join('\n')}\n`;
}

/**
 * The verdict: `VERIFIED: <coverage>`; or `NOT VERIFIED: <the first cause, both sides named>`, each
 * further cause on an `Also:` line, and the coverage sentence with the state.
 */
function verdictLines(r: ImageVerification): string[] {
  const v = r.verdict;
  if (v.state === 'verified') return [`VERIFIED: ${terminalText(v.coverage)}`];
  if (v.state === 'excepted') return [`EXCEPTED (not verified): ${terminalText(v.coverage)}`];
  const [first, ...more] = v.causes;
  return [
    `NOT VERIFIED: ${first ? causeHeadline(first) : terminalText(v.coverage)}`,
    ...more.map((c) => `Also: ${terminalText(c.message)}`),
    `Coverage (${VERDICTS[v.state].short}): ${terminalText(v.coverage)}`,
  ];
}

function digestHow(d: DigestVerdict, index: DigestVerdict): string {
  const by = (x: DigestVerdict) => `a verified attestation by ${(x.attestedBy ?? []).join(', ')} (coverage: signatures-or-attestations)`;
  if (d.ownState === 'verified') return d.coveredBy === 'attestation' ? `covered by ${by(d)}` : `signed by ${d.signedBy.join(', ')}`;
  if (d.throughIndex) return index.coveredBy === 'attestation' ? `covered through the index, by ${by(index)}` : 'covered through the index';
  if (d.ownState === 'failed' && (d.mismatchedBy?.length ?? 0) > 0) return `signed by ${d.mismatchedBy!.join(', ')}, not the signer the policy expects`;
  if (d.state === 'failed' && d.ownState !== 'failed' && index.ownState === 'failed' && (index.mismatchedBy?.length ?? 0) > 0) {
    return `the index is signed by ${index.mismatchedBy!.join(', ')}, not the signer the policy expects`;
  }
  return HOW[d.state] ?? d.state;
}

/**
 * An artifact's lines. A failing or warning check already printed under an earlier artifact (the
 * same words: `No identity was pinned …` under each of eight signatures) is not repeated: one line
 * names the codes and the artifact they were printed under. `said` maps each printed line to it.
 */
function artifactLines(a: Artifact, res: ArtifactVerification, g: ImageGraph, said: Map<string, string>): string[] {
  const where =
    a.format === 'cosign-tag'
      ? `cosign ${a.tag?.split('.').pop() ?? 'tag'}`
      : a.format === 'referrer'
        ? `referrer (${a.discovery ?? 'listed'})`
        : a.format === 'bundle-file'
          ? `file ${terminalText(a.origin ?? '')}`
          : a.format === 'github-api'
            ? "GitHub's attestations API"
            : 'BuildKit, in the index';
  const what = res.predicateType ? `${res.kind} ${terminalText(res.predicateType)}` : res.kind;
  const out = [`    ${verdictMark(res.state).padEnd(13)} ${what}  ${where}  ${short(a.digest)}`];
  const who =
    res.identity !== undefined
      ? `signed by ${terminalText(res.identity)} (issuer ${terminalText(res.issuer ?? 'unknown')})`
      : res.keyFingerprint
        ? `signed with key ${res.keyFingerprint}`
        : undefined;
  const log = res.checks.find((c) => c.code === 'TLOG' && c.status === 'pass' && c.evidence?.logIndex !== undefined)?.evidence;
  const atNow = res.checks.some(
    (c) => c.code === 'TIMESTAMP' && c.status === 'info' && c.message.startsWith('No signed time: certificate checked at the current time'),
  );
  const facts = [
    who,
    res.trustRoot?.instance === 'github' ? "signed on GitHub's Sigstore instance" : undefined,
    atNow ? 'no signed time: certificate checked at the current time' : undefined,
    log ? `Rekor log index ${log.logIndex}${log.integratedTime ? ` at ${log.integratedTime}` : ''}` : undefined,
    res.dockerReference ? `docker-reference ${terminalText(res.dockerReference)} (shown, not required)` : undefined,
  ].filter(Boolean);
  if (res.state === 'verified' || res.state === 'unpinned') out.push(`        checked against ${a.coversDigest}${facts.length ? `; ${facts.join('; ')}` : ''}`);
  const problems = res.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  const again = new Map<string, string[]>();
  for (const c of problems.slice(0, 3)) {
    const line = `${c.status.toUpperCase()} ${c.code}: ${terminalText(c.message)}${c.evidence?.cause ? ` (${terminalText(c.evidence.cause)})` : ''}`;
    const first = said.get(line);
    if (first === undefined) {
      said.set(line, short(a.digest));
      out.push(`        ${line}`);
    } else {
      again.set(first, [...(again.get(first) ?? []), `${c.status.toUpperCase()} ${c.code}`]);
    }
  }
  for (const [first, codes] of again) out.push(`        ${codes.join(', ')}: the same as under ${first} above`);
  if (res.state === 'unsigned') for (const c of res.checks.filter((x) => x.code === 'SUBJECT')) out.push(`        ${terminalText(c.message)}`);
  for (const child of g.artifacts.filter((x) => x.depth && x.coversDigest === a.digest))
    out.push(`        + an artifact about it: ${child.kind} ${short(child.digest)}`);
  return out;
}

function describePolicy(p: ImagePolicy): string {
  const from = (k: keyof ImagePolicy['sources']) => (p.sources[k] !== undefined && p.sources[k] !== 'cli' ? ` (${p.sources[k]})` : '');
  const parts: string[] = [];
  if (p.matchedPattern !== undefined) parts.push(`policy entry ${terminalText(p.matchedPattern)}`);
  parts.push(p.identity ? `identity ${terminalText(describeMatcher(p.identity))}${from('identity')}` : 'no identity pinned');
  parts.push(p.issuer ? `issuer ${terminalText(describeMatcher(p.issuer))}${from('issuer')}` : 'no issuer pinned');
  if (p.keys?.length) parts.push(`keys ${p.keys.map((k) => k.fingerprint.slice(0, 19)).join(', ')}${from('keys')}`);
  if (p.github !== undefined) parts.push(`GitHub claims ${Object.keys(p.github).join(', ')}${from('github')}`);
  const required = p.requiredAttestations?.map((r) => r.name) ?? p.requiredPredicateTypes;
  if (required.length) parts.push(`required attestations ${required.join(', ')}${from('requiredPredicateTypes')}`);
  if (p.slsa !== undefined) parts.push(`SLSA expectations ${Object.keys(p.slsa).join(', ')}${from('slsa')}`);
  parts.push(p.requireTlog ? 'transparency-log entry required' : 'transparency-log entry not required');
  if (p.certificateChain !== undefined) parts.push(`private PKI chain ${terminalText(p.certificateChain)}${from('certificateChain')}`);
  parts.push(`coverage: ${p.coverage ?? 'signatures'}${from('coverage')}`);
  return [parts.join('; '), ...(p.notes ?? []).map((n) => `  ${terminalText(n)}`)].join('\n');
}

function notCheckedLines(g: ImageGraph, r: ImageVerification): string[] {
  const out: string[] = [];
  if (g.artifacts.some((a) => a.format === 'buildkit-index'))
    out.push("BuildKit's in-index attestations are unsigned: present, their subject compared, nothing vouches for their content.");
  if (r.artifacts.some((a) => a.dockerReference !== undefined))
    out.push('docker-reference in cosign payloads is shown, not required to match (cosign does not check it either).');
  if (g.artifacts.some((a) => a.depth)) out.push('Artifacts about artifacts are verified, but do not count towards the image coverage.');
  for (const pr of g.problems) out.push(`${terminalText(pr.at)}: ${terminalText(pr.message)} [${pr.code}]`);
  return out;
}
