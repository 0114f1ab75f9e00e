// The verification benchmark, run by `npm run bench`: CPU time to verify one
// signature and a whole 4-platform release (index + 4 platforms; per digest a cosign .sig, a
// cosign .att of SLSA v1 provenance, and cosign v3 referrers: a sign/v1 bundle and an SLSA v1
// attestation bundle), beside raw `@sigstore/verify` (`Verifier.verify` on the same bundles with
// the same trust material and policy) in the same run. The release comes from the mini Sigstore
// (keyless, a certificate per artifact, a Rekor-style log, its own trusted root), so the figures are reproducible
// offline. Network excluded: the graph and every artifact's content are fetched first
// (buildGraph, fetchArtifactContent); only the verification is timed (process.cpuUsage, user +
// system). Medians of several runs, a markdown table with the targets; a missed target is a
// figure, not a failure: only a broken run exits non-zero.
import type { Bundle } from '@sigstore/bundle';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { RegistryClient } from '../src/registry/client';
import { buildGraph } from '../src/registry/graph';
import type { Artifact, ImageGraph } from '../src/model/image-graph';
import { MediaType } from '../src/registry/media-types';
import { openReference } from '../src/registry/open';
import { parseReference } from '../src/registry/reference';
import type { ArtifactContent } from '../src/registry/artifact-content';
import { fetchArtifactContent, isBundleType } from '../src/registry/artifact-content';
import { bundleFromCosignAttestation, bundleFromCosignSignature } from '../src/verify/bundle/cosign-bundle';
import type { ImagePolicy } from '../src/verify/policy/image-policy';
import { parseTrustedRoot } from '../src/verify/trust/trust-parse';
import type { TrustRoot } from '../src/verify/trust/trust-types';
import { verifyArtifact } from '../src/verify/image/verify-artifact';
import { verifyGraphContents } from '../src/verify/image/verify-graph';
import { DEFAULT_PLATFORMS } from '../test/support/fixtures';
import { startRegistry } from '../test/support/registry';
import { GITHUB_ISSUER } from '../test/support/sigstore/ca';
import { SLSA_PROVENANCE_V1 } from '../test/support/sigstore/in-toto';
import { createMiniSigstore } from '../test/support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../test/support/sigstore/release';

const RUNS = 9;
const REPO = 'bench/verify-release';
const TAG = 'v1.0.0';
/** Verifications per sample: one is too short for process.cpuUsage to time alone. */
const REPS = { one: 30, release: 3 };
const TARGET_RATIO = 1.5;
const TARGET_RELEASE_MS = 100;

/** What raw @sigstore/verify is handed: the bundle JSON as stored (or as converted from cosign's annotations) and the signed bytes of a message signature. */
interface RawInput {
  json: string;
  artifact?: Buffer;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * CPU milliseconds (user + system) per call of `a` and of `b`, over `reps` calls of each,
 * alternating: whatever else the machine does weighs on both alike.
 */
function pairedCpuMs(a: () => void, b: () => void, reps: number): [number, number] {
  const sum = [0, 0];
  for (let i = 0; i < reps; i++) {
    [a, b].forEach((task, k) => {
      const start = process.cpuUsage();
      task();
      const d = process.cpuUsage(start);
      sum[k]! += d.user + d.system;
    });
  }
  return [sum[0]! / 1000 / reps, sum[1]! / 1000 / reps];
}

/** The same bundle our verifier checks, for the library alone; BuildKit statements and attachments are not signed, so there is none. */
function rawInput(content: ArtifactContent): RawInput | undefined {
  if (content.kind === 'layer') {
    const converted =
      content.mediaType === MediaType.dsseEnvelope
        ? bundleFromCosignAttestation(content.bytes, content.annotations)
        : bundleFromCosignSignature(content.bytes, content.annotations);
    if (!converted.ok) throw new Error(`a cosign layer did not convert: ${converted.failure.message}`);
    return { json: JSON.stringify(converted.bundle), ...(content.mediaType === MediaType.dsseEnvelope ? {} : { artifact: Buffer.from(content.bytes) }) };
  }
  if (content.kind === 'referrer' && content.layer !== undefined && isBundleType(content.layer.mediaType))
    return { json: Buffer.from(content.layer.bytes).toString('utf8') };
  return undefined;
}

async function main(): Promise<void> {
  const [registry, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
  try {
    const platforms = [...DEFAULT_PLATFORMS];
    const targets = ['index', ...platforms];
    const release = await pushSignedRelease(registry, REPO, {
      sigstore: mini,
      tag: TAG,
      platforms,
      cosignSignatures: targets,
      cosignAttestations: targets,
      referrers: targets,
      certificatePerArtifact: true,
    });
    const identity = release.signer.identity!;
    const trustRoot: TrustRoot = parseTrustedRoot(mini.trustedRootBytes, { kind: 'file', path: 'mini-sigstore trusted_root.json' });
    const policy: ImagePolicy = {
      identity: { exact: identity },
      issuer: { exact: GITHUB_ISSUER },
      requiredPredicateTypes: [SLSA_PROVENANCE_V1],
      requireTlog: true,
      sources: {},
    };

    // Everything from the registry first: the network is not what is measured.
    const client = new RegistryClient({ insecureRegistries: [registry.host] });
    let graph: ImageGraph;
    let contents: ArtifactContent[];
    try {
      const { source, target } = openReference(parseReference(`${registry.host}/${REPO}:${TAG}`), client);
      graph = await buildGraph(source, target);
      contents = await Promise.all(graph.artifacts.map((a) => fetchArtifactContent(source, graph.repository, a)));
    } finally {
      await client.close();
    }

    const ours = () => verifyGraphContents(graph, contents, { policy, trustRoot });
    const checked = ours();
    const signed = graph.artifacts.map((a, i) => [a, contents[i]!, checked.artifacts[i]!] as const).filter(([a]) => a.format !== 'buildkit-index');
    const broken = signed.filter(([, , r]) => r.state !== 'verified');
    if (checked.verdict.state !== 'verified' || broken.length > 0 || signed.length !== targets.length * 4) {
      throw new Error(
        `the release does not verify as built (${checked.verdict.state}, ${signed.length} signed artifacts, ${broken.length} not verified): ${JSON.stringify(broken.map(([, , r]) => r.checks.filter((c) => c.status === 'fail')))}`,
      );
    }

    // Raw @sigstore/verify: same bundles, same trust material (built once, as ours caches it), same identity.
    const verifier = new Verifier(toTrustMaterial(trustRoot.root), { tlogThreshold: 1, ctlogThreshold: 0, timestampThreshold: 1 });
    const libraryPolicy = { subjectAlternativeName: identity, extensions: { issuer: GITHUB_ISSUER } };
    const inputs = signed.map(([, content]) => rawInput(content)!);
    const raw = (x: RawInput) => {
      const bundle: Bundle = bundleFromJSON(JSON.parse(x.json));
      verifier.verify(toSignedEntity(bundle, x.artifact), libraryPolicy);
    };
    const rawRelease = () => inputs.forEach(raw);
    rawRelease(); // throws if any bundle does not verify for the library

    const sigIndex = graph.artifacts.findIndex((a) => a.format === 'cosign-tag' && a.kind === 'signature' && a.coversDigest === graph.digest);
    const sig: Artifact = graph.artifacts[sigIndex]!;
    const oursOne = () => verifyArtifact(sig, contents[sigIndex]!, { policy, trustRoot });
    const rawOne = () => raw(rawInput(contents[sigIndex]!)!);
    if (oursOne().state !== 'verified') throw new Error('the index signature does not verify alone');

    const samples: Record<'oursOne' | 'rawOne' | 'ours' | 'rawRelease', number[]> = { oursOne: [], rawOne: [], ours: [], rawRelease: [] };
    pairedCpuMs(oursOne, rawOne, REPS.one); // warm-up: JIT, trust material
    pairedCpuMs(ours, rawRelease, REPS.release);
    for (let run = 0; run < RUNS; run++) {
      const [o1, r1] = pairedCpuMs(oursOne, rawOne, REPS.one);
      const [o2, r2] = pairedCpuMs(ours, rawRelease, REPS.release);
      samples.oursOne.push(o1);
      samples.rawOne.push(r1);
      samples.ours.push(o2);
      samples.rawRelease.push(r2);
    }
    report(samples, { signed: signed.length, statements: graph.artifacts.length - signed.length, digests: targets.length });
  } finally {
    await registry.stop();
    await mini.dispose();
  }
}

function report(s: Record<'oursOne' | 'rawOne' | 'ours' | 'rawRelease', number[]>, n: { signed: number; statements: number; digests: number }): void {
  const m = { oursOne: median(s.oursOne), rawOne: median(s.rawOne), ours: median(s.ours), rawRelease: median(s.rawRelease) };
  const ms = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const pass = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
  const lines = [
    '',
    '## Verification benchmark',
    '',
    `4-platform release from the mini Sigstore (keyless, Rekor-style log with SETs and inclusion proofs, custom trusted root): ${n.digests} digests (index + ${n.digests - 1} platforms),`,
    `each with a cosign .sig, a cosign .att of SLSA v1 provenance (intoto 0.0.2), a cosign v3 sign/v1 bundle and an SLSA v1 attestation bundle as referrers: ${n.signed} signed artifacts,`,
    `each with its own certificate (same identity, as every cosign run gets one), plus ${n.statements} unsigned BuildKit statements.`,
    `Contents fetched first; CPU time (process.cpuUsage, user + system) of the verification only. Median of ${RUNS} runs after a warm-up, each the mean of ${REPS.one} single verifications or ${REPS.release} whole releases, ours and the library's alternating call by call; Node ${process.versions.node}.`,
    '',
    '| | Provenance Lens | raw `@sigstore/verify` | ratio |',
    '|---|---:|---:|---:|',
    `| one signature (cosign .sig of the index: verifyArtifact vs Verifier.verify) | ${ms(m.oursOne)} | ${ms(m.rawOne)} | ${ratio(m.oursOne, m.rawOne)} |`,
    `| whole release (verifyGraphContents: ${n.signed} bundles + ${n.statements} statements + verdict, vs Verifier.verify × ${n.signed}) | ${ms(m.ours)} | ${ms(m.rawRelease)} | ${ratio(m.ours, m.rawRelease)} |`,
    '',
    '| target | measured | |',
    '|---|---:|---|',
    `| overhead ≤ ${TARGET_RATIO}× the raw library (one signature) | ${ratio(m.oursOne, m.rawOne)} | ${pass(m.oursOne / m.rawOne <= TARGET_RATIO)} |`,
    `| overhead ≤ ${TARGET_RATIO}× the raw library (whole release) | ${ratio(m.ours, m.rawRelease)} | ${pass(m.ours / m.rawRelease <= TARGET_RATIO)} |`,
    `| whole release < ${TARGET_RELEASE_MS} ms | ${ms(m.ours)} | ${pass(m.ours < TARGET_RELEASE_MS)} |`,
    '',
    `Per run (ms): ${(Object.keys(s) as Array<keyof typeof s>).map((k) => `${k} ${s[k].map((x) => x.toFixed(2)).join(', ')}`).join('; ')}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/verify: the run broke: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
