import { LensError } from '../core/errors';
import { buildGraph } from '../registry/graph';
import type { Artifact, ImageGraph } from '../model/image-graph';
import { openReference } from '../registry/open';
import { parseReference } from '../registry/reference';
import { describeMatcher, policyForImage, trustRootFor } from '../verify/policy';
import type { ImagePolicy } from '../verify/policy';
import { unpinnedSigners } from '../verify/image';
import type { ArtifactVerification, DigestVerdict, ImageVerification } from '../verify/image';
import { policyFromFlags, readPolicyFile } from './policy-flags';
import { describeTrustRoot, privatePki } from '../verify/trust';
import { verifyImage } from '../verify';
import { safeText, short, verdictMark } from './format';
import type { CliCommand, CliIo } from './io';
import { Exit, parseOptions } from './io';
import { withRegistryClient, registryOptionSpec, registryOptionUsage } from './registry-options';
import { trustLoadOptions, trustOptionSpec, trustOptionUsage } from './trust-options';
import { runVerifyRelease } from './verify-release';

/**
 * `provenance-lens verify <ref>`: every signature and attestation of an image, in every
 * format, against the digest each covers, and a verdict per digest and per image.
 * Exit 0 when every requirement holds (or a stated exception applies), 1 for any other verdict
 * (not-checked included: what could not be read could be unsigned, and "not checked" is never
 * "unsigned"), 2 on usage errors and when the image itself is refused or unreadable, so that no
 * verdict was reached. JSON: docs/verify-json.md.
 */
const USAGE = `Usage: provenance-lens verify <reference> [options]
       provenance-lens verify --release <goreleaser file> --tag vX.Y.Z [--env NAME=VALUE]... [options]

Verifies the image's signatures and attestations (cosign .sig/.att, OCI referrers with
Sigstore bundles, BuildKit's unsigned in-index statements) for the index and every platform,
and says which digest each covers. Verified only if every platform is covered by a verified
signature (its own or the index's) and every requirement holds.

  --certificate-identity S            the signer's certificate identity (SAN), exact
  --certificate-identity-regexp R     ... or an RE2 expression (as cosign's), matching the whole SAN
  --certificate-oidc-issuer S         the OIDC issuer, exact
  --certificate-oidc-issuer-regexp R  ... or an RE2 expression matching the whole issuer
  --key FILE                          accept signatures made with this PEM public key (repeatable)
  --insecure-ignore-tlog              do not require a transparency-log entry (key-based signing)
  --require-attestation TYPE          require a verified attestation of this predicate type
                                      covering every platform (repeatable)
  --coverage RULE                     what covers a digest: signatures (default, cosign verify's
                                      rule) or signatures-or-attestations (a verified attestation
                                      from the pinned signer covers it too, as slsa-verifier)
  --trusted-root FILE                 a trusted_root.json (default: the embedded public-good root)
  --certificate-chain FILE            a private PKI: PEM CA certificates (intermediates, then the
                                      root) that replace the root's certificate authorities, as
                                      cosign --certificate-chain; with --insecure-ignore-tlog and
                                      no signed time, certificates are checked at the current time
${trustOptionUsage(38)}
  --policy FILE                       a .provenance-lens.yaml policy (docs/policy.md); flags
                                      given as well replace its value for that requirement
  --json                              machine-readable output (shape: docs/verify-json.md)
  --release FILE                      verify every image the GoReleaser file publishes for --tag
                                      (references rendered as GoReleaser does; --env NAME=VALUE
                                      for its .Env, repeatable): one table, a row per image and
                                      platform; exit 0 only if every image is verified or excepted
${registryOptionUsage}
Exit: 0 verified (or excepted by the policy), 1 not verified, 2 usage or operational error.`;

const OPTIONS = {
  'certificate-identity': { type: 'string' },
  'certificate-identity-regexp': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  'certificate-oidc-issuer-regexp': { type: 'string' },
  key: { type: 'string', multiple: true },
  'insecure-ignore-tlog': { type: 'boolean' },
  'require-attestation': { type: 'string', multiple: true },
  'trusted-root': { type: 'string' },
  coverage: { type: 'string' },
  'certificate-chain': { type: 'string' },
  ...trustOptionSpec,
  policy: { type: 'string' },
  json: { type: 'boolean' },
  release: { type: 'string' },
  tag: { type: 'string' },
  env: { type: 'string', multiple: true },
  ...registryOptionSpec,
} as const;

export const verifyCommand: CliCommand = {
  usage: USAGE,
  run: runVerify,
};

async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, USAGE);
  // Before anything is read: contradicting trust flags are a usage error at once.
  const trustLoad = trustLoadOptions(values, io.env);
  if (values.release !== undefined) return runVerifyRelease(values, positionals, io, trustLoad);
  if (values.tag !== undefined || values.env !== undefined) throw new LensError('USAGE', `--tag and --env apply to --release only.\n${USAGE}`);
  if (positionals.length !== 1) throw new LensError('USAGE', `verify takes exactly one reference.\n${USAGE}`);
  const ref = parseReference(positionals[0]!);
  const base = values.policy === undefined ? undefined : await policyFromFile(values.policy, positionals[0]!, io);
  const policy = await policyFromFlags(values, base);
  const trustRoot = await trustRootFor(policy, values['trusted-root'], trustLoad);
  return withRegistryClient(values, io, async (client, signal) => {
    const { source, target } = openReference(ref, client);
    const signatureRepository = values['signature-repository'];
    const graph = await buildGraph(source, target, { signal, signatureRepository });
    const result = await verifyImage(source, graph, { policy, trustRoot, signal, signatureRepository });
    io.stdout.write(values.json ? `${JSON.stringify(toJson(graph, result, policy), null, 2)}\n` : render(graph, result, policy));
    // Any verdict but verified (or excepted) is a failed verification, not-checked included: what
    // could not be examined could be unsigned. Exit 2 is left for runs that reach no verdict.
    return result.verdict.state === 'verified' || result.verdict.state === 'excepted' ? Exit.ok : Exit.failed;
  });
}

/** The policy file's requirements for this image; a file with any error is refused whole (exit 2). */
async function policyFromFile(path: string, reference: string, io: CliIo): Promise<ImagePolicy> {
  return policyForImage(await readPolicyFile(path, (line) => io.stderr.write(`${line}\n`)), reference);
}

/** The `inspect` shape, plus `verdict`, `trustRoot`, `policy`, and the verification per artifact. */
export function toJson(graph: ImageGraph, result: ImageVerification, policy: ImagePolicy): unknown {
  const artifacts = graph.artifacts.map((a, i) => {
    const { digest: _d, coversDigest: _c, format: _f, ...verification } = result.artifacts[i]!;
    // Kind and predicate type come from the verification (the signed statement), never from the
    // registry's annotations: an artifact whose statement names none shows none.
    const { kind: _k, predicateType: _p, ...found } = a;
    return { ...found, ...verification };
  });
  return { ...graph, artifacts, verdict: result.verdict, trustRoot: result.trustRoot, policy: policySummary(policy) };
}

function policySummary(p: ImagePolicy): Record<string, unknown> {
  const { keys, ...rest } = p;
  return { ...rest, coverage: p.coverage ?? 'signatures', ...(keys ? { keys: keys.map((k) => ({ fingerprint: k.fingerprint, algorithm: k.algorithm, source: k.source })) } : {}) };
}

const HOW: Record<string, string> = {
  unpinned: 'valid signature, but no identity or key pinned', failed: 'no signature verifies', unsigned: 'no signature', 'not-checked': 'could not be read',
};

function render(g: ImageGraph, r: ImageVerification, policy: ImagePolicy): string {
  const v = r.verdict;
  const lines = [safeText(g.reference), `${g.digest}  ${g.kind === 'index' ? 'image index' : 'image manifest'}`];
  const head = v.state === 'verified' ? 'VERIFIED' : v.state === 'excepted' ? 'EXCEPTED (not verified)' : `NOT VERIFIED (${v.state})`;
  lines.push(`${head}: ${safeText(v.coverage)}`, '');
  const byCover = (digest: string) => g.artifacts.map((a, i) => [a, r.artifacts[i]!] as const).filter(([a]) => a.coversDigest === digest && !a.depth);
  for (const d of v.digests) {
    const how = digestHow(d, v.digests[0]!);
    lines.push(`${d.target === 'index' ? 'index' : safeText(d.target)} ${short(d.digest)}  ${verdictMark(d.state)} ${safeText(how)}`);
    const mine = byCover(d.digest);
    if (mine.length === 0) lines.push('    nothing attached to this digest');
    for (const [a, res] of mine) lines.push(...artifactLines(a, res, g));
    for (const p of d.problems) lines.push(`    ! could not read ${safeText(p.at)}: ${safeText(p.message)} [${p.code}]`);
  }
  lines.push('', 'Requirements:');
  for (const c of v.checks) lines.push(`  ${c.status.toUpperCase().padEnd(4)} ${c.code.padEnd(20)} ${safeText(c.message)}`);
  const pki = privatePki({ info: r.trustRoot });
  lines.push('', `Policy: ${describePolicy(policy)}`, `Trust: ${describeTrustRoot(r.trustRoot)}${pki ? `; certificate authorities: the private PKI chain ${safeText(pki.path)} (${safeText(pki.subjects.join('; '))})` : ''}`);
  const notChecked = notCheckedLines(g, r);
  if (notChecked.length > 0) lines.push('Not checked:', ...notChecked.map((l) => `  - ${l}`));
  if (v.state === 'unpinned') lines.push(...pinHint(r));
  return `${lines.join('\n')}\n`;
}

/** The signers seen on valid but unpinned signatures, as the flags that would pin them. */
function pinHint(r: ImageVerification): string[] {
  const flags = unpinnedSigners(r).slice(0, 3).map((s) => [`--certificate-identity ${shellQuote(s.identity)}`, ...(s.issuer !== undefined ? [`--certificate-oidc-issuer ${shellQuote(s.issuer)}`] : [])].join(' '));
  if (flags.length === 0) return [];
  // Only a suggestion: who signed is what the user must decide to trust, never inferred for them.
  return ['', 'To pin a signer seen here, add its flags (only for one you recognise as your release workflow):', ...flags.map((f) => `  ${safeText(f)}`)];
}

/** POSIX single quotes, so a copied suggestion runs as shown whatever the certificate says. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function digestHow(d: DigestVerdict, index: DigestVerdict): string {
  const by = (x: DigestVerdict) => `a verified attestation by ${(x.attestedBy ?? []).join(', ')} (coverage: signatures-or-attestations)`;
  if (d.ownState === 'verified') return d.coveredBy === 'attestation' ? `covered by ${by(d)}` : `signed by ${d.signedBy.join(', ')}`;
  if (d.throughIndex) return index.coveredBy === 'attestation' ? `covered through the index, by ${by(index)}` : 'covered through the index';
  return HOW[d.state] ?? d.state;
}

function artifactLines(a: Artifact, res: ArtifactVerification, g: ImageGraph): string[] {
  const where = a.format === 'cosign-tag' ? `cosign ${a.tag?.split('.').pop() ?? 'tag'}` : a.format === 'referrer' ? `referrer (${a.discovery ?? 'listed'})` : 'BuildKit, in the index';
  const what = res.predicateType ? `${res.kind} ${safeText(res.predicateType)}` : res.kind;
  const out = [`    ${verdictMark(res.state).padEnd(13)} ${what}  ${where}  ${short(a.digest)}`];
  const who = res.identity !== undefined ? `signed by ${safeText(res.identity)} (issuer ${safeText(res.issuer ?? 'unknown')})` : res.keyFingerprint ? `signed with key ${res.keyFingerprint}` : undefined;
  const log = res.checks.find((c) => c.code === 'TLOG' && c.status === 'pass' && c.evidence?.logIndex !== undefined)?.evidence;
  const atNow = res.checks.some((c) => c.code === 'TIMESTAMP' && c.status === 'info' && c.message.startsWith('No signed time: certificate checked at the current time'));
  const facts = [who, atNow ? 'no signed time: certificate checked at the current time' : undefined, log ? `Rekor log index ${log.logIndex}${log.integratedTime ? ` at ${log.integratedTime}` : ''}` : undefined, res.dockerReference ? `docker-reference ${safeText(res.dockerReference)} (shown, not required)` : undefined].filter(Boolean);
  if (res.state === 'verified' || res.state === 'unpinned') out.push(`        checked against ${a.coversDigest}${facts.length ? `; ${facts.join('; ')}` : ''}`);
  const problems = res.checks.filter((c) => c.status === 'fail' || c.status === 'warn');
  for (const c of problems.slice(0, 3)) out.push(`        ${c.status.toUpperCase()} ${c.code}: ${safeText(c.message)}${c.evidence?.cause ? ` (${safeText(c.evidence.cause)})` : ''}`);
  if (res.state === 'unsigned') for (const c of res.checks.filter((x) => x.code === 'SUBJECT')) out.push(`        ${safeText(c.message)}`);
  for (const child of g.artifacts.filter((x) => x.depth && x.coversDigest === a.digest)) out.push(`        + an artifact about it: ${child.kind} ${short(child.digest)}`);
  return out;
}

function describePolicy(p: ImagePolicy): string {
  const from = (k: keyof ImagePolicy['sources']) => (p.sources[k] !== undefined && p.sources[k] !== 'cli' ? ` (${p.sources[k]})` : '');
  const parts: string[] = [];
  if (p.matchedPattern !== undefined) parts.push(`policy entry ${safeText(p.matchedPattern)}`);
  parts.push(p.identity ? `identity ${safeText(describeMatcher(p.identity))}${from('identity')}` : 'no identity pinned');
  parts.push(p.issuer ? `issuer ${safeText(describeMatcher(p.issuer))}${from('issuer')}` : 'no issuer pinned');
  if (p.keys?.length) parts.push(`keys ${p.keys.map((k) => k.fingerprint.slice(0, 19)).join(', ')}${from('keys')}`);
  if (p.github !== undefined) parts.push(`GitHub claims ${Object.keys(p.github).join(', ')}${from('github')}`);
  const required = p.requiredAttestations?.map((r) => r.name) ?? p.requiredPredicateTypes;
  if (required.length) parts.push(`required attestations ${required.join(', ')}${from('requiredPredicateTypes')}`);
  if (p.slsa !== undefined) parts.push(`SLSA expectations ${Object.keys(p.slsa).join(', ')}${from('slsa')}`);
  parts.push(p.requireTlog ? 'transparency-log entry required' : 'transparency-log entry not required');
  if (p.certificateChain !== undefined) parts.push(`private PKI chain ${safeText(p.certificateChain)}${from('certificateChain')}`);
  parts.push(`coverage: ${p.coverage ?? 'signatures'}${from('coverage')}`);
  return [parts.join('; '), ...(p.notes ?? []).map((n) => `  ${safeText(n)}`)].join('\n');
}

function notCheckedLines(g: ImageGraph, r: ImageVerification): string[] {
  const out: string[] = [];
  if (g.artifacts.some((a) => a.format === 'buildkit-index')) out.push("BuildKit's in-index attestations are unsigned: present, their subject compared, nothing vouches for their content.");
  if (r.artifacts.some((a) => a.dockerReference !== undefined)) out.push('docker-reference in cosign payloads is shown, not required to match (cosign does not check it either).');
  if (g.artifacts.some((a) => a.depth)) out.push('Artifacts about artifacts are verified, but do not count towards the image coverage.');
  for (const pr of g.problems) out.push(`${safeText(pr.at)}: ${safeText(pr.message)} [${pr.code}]`);
  return out;
}
