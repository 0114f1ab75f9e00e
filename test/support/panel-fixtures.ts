// What the image panel is given in tests: an image graph, its verification and its provenance,
// shaped exactly as the engines return them. The verdict is computed by the real imageVerdict
// and the provenance summaries by the real reader, from statements built here; only the
// per-artifact verifier results are written by hand. `hostileImage` is the same image with
// every stranger-written string made hostile.
import { createHash } from 'node:crypto';
import type { ProvenanceEntry, ProvenanceReport } from '../../src/provenance/collect';
import { readProvenance } from '../../src/provenance/summary';
import type { Artifact, ImageGraph, PlatformEntry } from '../../src/model/image-graph';
import type { ImageCheck } from '../../src/verify/image/image-checks';
import { imageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';
import { artifactFacts } from '../../src/verify/image/verify-artifact';
import type { ImageVerification } from '../../src/verify/image/verify-graph';
import type { ImagePolicy } from '../../src/verify/policy/image-policy';
import type { TrustRootInfo } from '../../src/verify/trust/trust-types';

export interface PanelFixture {
  readonly graph: ImageGraph;
  readonly verification: ImageVerification;
  readonly provenance: ProvenanceReport;
}

export const digestOf = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`;
const hex = (d: string): string => d.slice('sha256:'.length);

export const IDENTITY = 'https://github.com/rancher/fleet/.github/workflows/release.yml@refs/tags/v0.13.0';
export const ISSUER = 'https://token.actions.githubusercontent.com';
export const LOG_INDEX = '153046374';
const BUILDKIT_V1 = 'https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md';
const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';

const TRUST_ROOT: TrustRootInfo = {
  instance: 'sigstore-public-good',
  source: { kind: 'embedded', package: '@sigstore/tuf', version: '4.0.2', tufRepository: 'https://tuf-repo-cdn.sigstore.dev' },
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  sha256: 'f'.repeat(64),
  refreshed: false,
  counts: { certificateAuthorities: 2, tlogs: 1, ctlogs: 2, timestampAuthorities: 0 },
};

export interface Strings {
  readonly identity: string;
  readonly issuer: string;
  readonly builderId: string;
  readonly repository: string;
  readonly commit: string;
  readonly buildArgs: Record<string, string>;
  readonly materialUri: string;
  readonly invocationId: string;
  readonly problem?: string;
  readonly failedIdentity: string;
}

const NICE: Strings = {
  identity: IDENTITY,
  issuer: ISSUER,
  builderId: 'https://github.com/rancher/fleet/actions/runs/12345678901',
  repository: 'https://github.com/rancher/fleet',
  commit: '4f9c2e1d0b8a7c6e5d4f3a2b1c0d9e8f7a6b5c4d',
  buildArgs: { VERSION: 'v0.13.0', COMMIT: '4f9c2e1d', BUILD_DATE: '2025-07-01T10:04:11Z' },
  materialUri: 'pkg:docker/registry.suse.com/bci/bci-micro@15.6?platform=linux%2Famd64',
  invocationId: 'https://github.com/rancher/fleet/actions/runs/12345678901/attempts/1',
  failedIdentity: 'https://github.com/someone/fleet-fork/.github/workflows/release.yml@refs/heads/main',
};

function provenanceStatement(s: Strings, subject: string, platform: string): Buffer {
  const [os, arch] = platform.split('/');
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      predicateType: SLSA_V1,
      subject: [{ name: `pkg:docker/127.0.0.1:5000/rancher/fleet-agent@v0.13.0?platform=${encodeURIComponent(platform)}`, digest: { sha256: hex(subject) } }],
      predicate: {
        buildDefinition: {
          buildType: BUILDKIT_V1,
          externalParameters: {
            configSource: { uri: `${s.repository}.git#refs/tags/v0.13.0`, digest: { sha1: s.commit }, path: 'package/Dockerfile.agent' },
            request: {
              frontend: 'dockerfile.v0',
              args: {
                ...Object.fromEntries(Object.entries(s.buildArgs).map(([k, v]) => [`build-arg:${k}`, v])),
                filename: 'package/Dockerfile.agent',
                target: 'agent',
              },
              locals: [{ name: 'context' }, { name: 'dockerfile' }],
              secrets: [{ id: 'GITHUB_TOKEN' }],
            },
          },
          internalParameters: { builderPlatform: `${os}/${arch}` },
          resolvedDependencies: [
            { uri: s.materialUri, digest: { sha256: hex(digestOf(`base ${platform}`)) } },
            { uri: `git+${s.repository}@refs/tags/v0.13.0`, digest: { sha1: s.commit } },
          ],
        },
        runDetails: {
          builder: { id: s.builderId },
          metadata: {
            invocationId: s.invocationId,
            startedOn: '2025-07-01T10:04:11.514Z',
            finishedOn: '2025-07-01T10:06:52.003Z',
            buildkit_reproducible: false,
          },
        },
      },
    }),
  );
}

const check = (code: ImageCheck['code'], status: ImageCheck['status'], message: string, evidence?: ImageCheck['evidence']): ImageCheck =>
  evidence === undefined ? { code, status, message } : { code, status, message, evidence };

function signatureChecks(s: Strings, covers: string): ImageCheck[] {
  return [
    check('CLAIMS', 'pass', `The simple-signing payload names ${covers}.`, { digest: covers }),
    check('CERTIFICATE_CHAIN', 'pass', 'The certificate chains to the Sigstore public-good Fulcio CA and carries a valid SCT.', {
      certificateAuthority: 'sigstore.dev / sigstore-intermediate',
      certificateValidity: { notBefore: '2025-07-01T10:07:01Z', notAfter: '2025-07-01T10:17:01Z' },
      certificateFingerprint: hex(digestOf('certificate')),
    }),
    check('TLOG', 'pass', 'The Rekor entry is included in the log (signed entry timestamp verified).', {
      logIndex: LOG_INDEX,
      logUrl: 'https://rekor.sigstore.dev',
      integratedTime: '2025-07-01T10:07:02.000Z',
      entryKind: 'hashedrekord/0.0.1',
    }),
    check('SIGNATURE', 'pass', 'The signature over the payload verifies with the certificate key.'),
    check('IDENTITY', 'pass', 'The certificate identity matches the policy.', { identity: s.identity }),
    check('ISSUER', 'pass', 'The OIDC issuer matches the policy.', { issuer: s.issuer }),
  ];
}

/** An index of three platforms: the index signed (cosign tag), SLSA provenance signed on the index, BuildKit statements per platform, one failing referrer signature. */
export function panelImage(s: Strings = NICE, reference = '127.0.0.1:5000/rancher/fleet-agent:v0.13.0'): PanelFixture {
  const index = digestOf(`index ${reference}`);
  const keys = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];
  const platforms: PlatformEntry[] = keys.map((key, i) => {
    const [os, architecture, variant] = key.split('/') as [string, string, string | undefined];
    return {
      platform: key,
      os,
      architecture,
      ...(variant ? { variant } : {}),
      digest: digestOf(`platform ${key}`),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 1023 + i,
      imageSize: 31_457_280 - i * 2_000_000,
      attestationManifest: digestOf(`attestation manifest ${key}`),
    };
  });
  const [amd64, arm64] = platforms as [PlatformEntry, PlatformEntry, PlatformEntry];
  const artifacts: Artifact[] = [
    {
      coversDigest: index,
      kind: 'signature',
      format: 'cosign-tag',
      digest: digestOf('sig layer'),
      mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
      manifestDigest: digestOf('sig manifest'),
      tag: `sha256-${hex(index)}.sig`,
      size: 245,
    },
    {
      coversDigest: index,
      kind: 'attestation',
      format: 'cosign-tag',
      digest: digestOf('att layer'),
      mediaType: 'application/vnd.dsse.envelope.v1+json',
      predicateType: SLSA_V1,
      manifestDigest: digestOf('att manifest'),
      tag: `sha256-${hex(index)}.att`,
      size: 9120,
    },
    ...platforms.flatMap((p): Artifact[] => [
      {
        coversDigest: p.digest,
        kind: 'attestation',
        format: 'buildkit-index',
        digest: digestOf(`bk provenance ${p.platform}`),
        mediaType: 'application/vnd.in-toto+json',
        predicateType: SLSA_V1,
        manifestDigest: p.attestationManifest!,
        size: 4242,
      },
      {
        coversDigest: p.digest,
        kind: 'sbom',
        format: 'buildkit-index',
        digest: digestOf(`bk sbom ${p.platform}`),
        mediaType: 'application/vnd.in-toto+json',
        predicateType: SPDX,
        manifestDigest: p.attestationManifest!,
        size: 88_112,
      },
    ]),
    {
      coversDigest: arm64.digest,
      kind: 'signature',
      format: 'referrer',
      digest: digestOf('referrer sig'),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      discovery: 'referrers-tag-schema',
      tag: `sha256-${hex(arm64.digest)}`,
      size: 612,
    },
  ];
  const graph: ImageGraph = {
    reference,
    source: 'registry',
    registry: '127.0.0.1:5000',
    repository: 'rancher/fleet-agent',
    tag: reference.slice(reference.lastIndexOf(':') + 1),
    digest: index,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 2612,
    kind: 'index',
    platforms,
    artifacts,
    others: [],
    referrersApi: false,
    problems: s.problem ? [{ at: `sha256-${hex(amd64.digest)}.sig`, code: 'REGISTRY_ERROR', message: s.problem }] : [],
  };
  const results: ArtifactVerification[] = artifacts.map((a): ArtifactVerification => {
    const base = artifactFacts(a);
    if (a.format === 'buildkit-index') {
      return {
        ...base,
        verified: false,
        state: 'unsigned',
        checks: [
          check('UNSIGNED', 'info', "BuildKit's attestation inside the index: present, not signed; anyone who can push the index can change it."),
          check('SUBJECT', 'pass', `The statement's subject is ${a.coversDigest}.`, { digest: a.coversDigest }),
        ],
      };
    }
    if (a.format === 'referrer') {
      return {
        ...base,
        verified: false,
        state: 'failed',
        identity: s.failedIdentity,
        issuer: s.issuer,
        checks: [
          check('SUBJECT', 'pass', `The referrer manifest's subject is ${a.coversDigest}.`, { expected: a.coversDigest, digest: a.coversDigest }),
          ...signatureChecks(s, a.coversDigest).filter((c) => c.code !== 'IDENTITY' && c.code !== 'CLAIMS'),
          check('IDENTITY', 'fail', `The certificate identity ${s.failedIdentity} does not match the policy's ${s.identity}.`, { identity: s.failedIdentity }),
        ],
      };
    }
    return { ...base, verified: true, state: 'verified', identity: s.identity, issuer: s.issuer, checks: signatureChecks(s, a.coversDigest) };
  });
  const policy = { requiredPredicateTypes: [SLSA_V1], requireTlog: true, sources: {} } as unknown as ImagePolicy;
  const verification: ImageVerification = { artifacts: results, verdict: imageVerdict(graph, results, policy), trustRoot: TRUST_ROOT };

  const entry = (a: Artifact, covers: string, platform: string, attachedTo: 'index' | 'platform'): ProvenanceEntry => {
    const doc = readProvenance(provenanceStatement(s, covers, platform));
    return {
      format: a.format,
      coversDigest: a.coversDigest,
      attachedTo,
      artifactDigest: a.digest,
      predicateType: SLSA_V1,
      verified: false,
      container: attachedTo === 'index' ? 'dsse' : 'statement',
      subjectMatches: true,
      warnings: [],
      summary: doc.summary,
      statement: doc.raw,
    };
  };
  const onIndex = entry(artifacts[1]!, index, 'linux/amd64', 'index');
  const provenance: ProvenanceReport = {
    reference,
    digest: index,
    mediaType: graph.mediaType,
    kind: 'index',
    problems: graph.problems,
    platforms: platforms.map((p) => ({
      platform: p.platform,
      digest: p.digest,
      provenance: [
        onIndex,
        entry(
          artifacts.find((a) => a.coversDigest === p.digest && a.kind === 'attestation')!,
          p.digest,
          p.platform,
          'platform',
        ),
      ],
    })),
  };
  return { graph, verification, provenance };
}

/** One MiB of `A`s, to prove long values are cut for display and still copied whole. */
export const ONE_MIB = 'A'.repeat(1024 * 1024);
export const SCRIPT = '<script>window.__pwned=1;alert(1)</script>';
export const IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
export const JS_URL = 'javascript:window.__pwned=1;alert(document.domain)';
/** Reads `evil.com/exe.txt`-like in a bidi-naive view: U+202E RIGHT-TO-LEFT OVERRIDE. */
export const BIDI = 'https://github.com/rancher/fleet\u202Etxt.exe\u2066hidden\u2069';

/**
 * The same image with every field a stranger writes made hostile: markup, script URLs, bidi
 * controls, zero-width characters and a 1 MiB string. The 1 MiB string is in the statement
 * (raw JSON) and, past the reader's 64 KiB limit, put into one build argument by hand, as if
 * a future reader kept it: the page must not rely on the engine's limits.
 */
export function hostileImage(): PanelFixture {
  const f = panelImage(
    {
      identity: `https://github.com/evil/${SCRIPT}/.github/workflows/release.yml@refs/tags/v1`,
      issuer: `https://token.actions.githubusercontent.com\u202E${IMG}`,
      builderId: JS_URL,
      repository: BIDI,
      commit: `4f9c2e1d\u200B0b8a7c6e5d4f3a2b1c0d9e8f7a6b5c4d${SCRIPT}`,
      buildArgs: { SCRIPT, IMG, JS_URL, BIDI: 'admin\u202Enimda', BIG: ONE_MIB, CONTROL: 'bell\u0007 escape\u001b[31mred' },
      materialUri: JS_URL,
      invocationId: `${JS_URL}//https://github.com/rancher/fleet/actions/runs/1`,
      problem: `${IMG} could not be read`,
      failedIdentity: `data:text/html,${SCRIPT}`,
    },
    '127.0.0.1:5000/rancher/fleet-agent:v0.13.0-hostile',
  );
  const entries = new Set(f.provenance.platforms.flatMap((p) => p.provenance));
  for (const e of entries) {
    e.summary?.parameters.buildArgs.push({ name: 'HUGE', value: `${ONE_MIB}${SCRIPT}` });
    if (e.summary) e.summary.runUrl = JS_URL;
  }
  f.graph.artifacts[0]!.annotations = { 'dev.sigstore.cosign/certificate': SCRIPT, note: BIDI };
  return f;
}
