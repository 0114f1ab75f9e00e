/**
 * Checks and their evidence as labelled facts for the panel: the verifier's `ImageCheck`
 * (code, status, sentence, evidence) becomes `PanelCheck` with the evidence in reading order,
 * and a transparency-log entry gets its public search link (public-good Sigstore only).
 */
import type { Artifact, ImageGraph } from '../model/image-graph';
import type { ArtifactVerification, ImageCheck, ImageEvidence } from '../verify/image';
import { artifactPlace, instanceName } from '../releases/artifact-words';
import { githubRunFacts } from './model-github';
import { logSearchUrl, safeLink } from './links';
import type { PanelArtifactState, PanelArtifact, PanelCheck, PanelFact } from '../protocol/panel';

export interface CheckContext {
  /** `TrustRootInfo.instance` of the root the verification used. */
  readonly instance?: string;
}

const CONTENT: Record<NonNullable<ImageEvidence['content']>, string> = {
  'message-signature': 'message signature',
  'dsse-envelope': 'DSSE envelope',
};

/** The evidence of one check as facts, most telling first. */
export function evidenceFacts(e: ImageEvidence | undefined, ctx: CheckContext): PanelFact[] {
  if (e === undefined) return [];
  const facts: PanelFact[] = [];
  const add = (label: string, value: string | undefined, extra: Partial<PanelFact> = {}): void => {
    if (value !== undefined && value !== '') facts.push({ label, value, ...extra });
  };
  add('Identity', e.identity);
  add('Issuer', e.issuer);
  add('Key', e.keyFingerprint, { mono: true });
  add('Certificate SHA-256', e.certificateFingerprint, { mono: true });
  if (e.certificateValidity) add('Certificate valid', `${e.certificateValidity.notBefore} to ${e.certificateValidity.notAfter}`);
  add('Certificate authority', e.certificateAuthority);
  if (e.logIndex !== undefined) {
    const search = logSearchUrl(e.logIndex, e.logUrl, ctx.instance);
    add('Log entry', `${e.logIndex}${e.logUrl ? ` in ${e.logUrl}` : ''}`, search ? { url: search } : {});
  } else {
    add('Log', e.logUrl);
  }
  add('Entry kind', e.entryKind);
  add('Logged at', e.integratedTime);
  if (e.timestamps && e.timestamps.length > 0) add('Signed at', e.timestamps.join(', '));
  add('Digest', e.digest, { mono: true });
  add('Expected digest', e.expected, { mono: true });
  add('Content', e.content ? CONTENT[e.content] : undefined);
  add('Bundle version', e.bundleVersion);
  add('Predicate type', e.predicateType);
  add('docker-reference (shown, not required)', e.dockerReference);
  if (e.platforms && e.platforms.length > 0) add('Platforms', e.platforms.join(', '));
  add('Trust root', e.trustRoot);
  add('Cause', e.cause);
  return facts;
}

export function panelCheck(c: ImageCheck, ctx: CheckContext): PanelCheck {
  const platforms = c.evidence?.platforms;
  return {
    code: c.code,
    status: c.status,
    message: c.message,
    facts: evidenceFacts(c.evidence, ctx),
    ...(platforms && platforms.length > 0 ? { platforms: [...platforms] } : {}),
  };
}

/** "the index", the platform, or what else a digest is in this graph. */
export function coversLabel(graph: ImageGraph, digest: string): string {
  if (digest === graph.digest) return graph.kind === 'index' ? 'the index' : 'the image';
  const platform = graph.platforms.find((p) => p.digest === digest);
  if (platform) return platform.platform;
  return graph.artifacts.some((a) => a.digest === digest || a.manifestDigest === digest) ? 'another artifact' : 'another digest';
}

const DISCOVERY: Record<NonNullable<Artifact['discovery']>, string> = {
  'referrers-api': 'OCI referrers API',
  'referrers-tag-schema': 'referrers tag schema',
  layout: 'OCI layout',
};

/** Where an artifact was found, for people. */
export function formatLabel(a: Pick<Artifact, 'format' | 'tag' | 'discovery' | 'origin'>): string {
  switch (a.format) {
    case 'bundle-file':
      return a.origin ? `bundle file ${a.origin}` : 'bundle file';
    case 'github-api':
      return "GitHub's attestations API";
    case 'cosign-tag':
      return a.tag ? `cosign tag ${a.tag}` : 'cosign tag scheme';
    case 'referrer':
      return a.discovery ? `OCI referrer (${DISCOVERY[a.discovery]})` : 'OCI referrer';
    case 'buildkit-index':
      return 'BuildKit attestation inside the index';
  }
}

/** One graph artifact with its verification (same index in `ImageVerification.artifacts`), if any. */
export function panelArtifact(
  graph: ImageGraph,
  a: Artifact,
  index: number,
  v: ArtifactVerification | undefined,
  ctx: CheckContext,
  cause?: string,
): PanelArtifact {
  const predicateType = v?.predicateType ?? a.predicateType;
  const facts: PanelFact[] = [
    { label: 'Covers', value: `${coversLabel(graph, a.coversDigest)} (${a.coversDigest})` },
    { label: 'Artifact digest', value: a.digest, mono: true },
    { label: 'Found as', value: formatLabel(a) },
    { label: 'Media type', value: a.mediaType },
  ];
  if (a.artifactType) facts.push({ label: 'Artifact type', value: a.artifactType });
  if (predicateType) facts.push({ label: 'Predicate type', value: predicateType, ...urlFor(predicateType) });
  if (a.manifestDigest) facts.push({ label: 'Held by manifest', value: a.manifestDigest, mono: true });
  facts.push({ label: 'Size', value: `${a.size} bytes` });
  if (v?.dockerReference) facts.push({ label: 'docker-reference (shown, not required)', value: v.dockerReference });
  // Which instance signed, and the GitHub Actions run its certificate names.
  const trustRoot = v?.trustRoot ? instanceName(v.trustRoot.instance) : undefined;
  if (trustRoot !== undefined) facts.push({ label: 'Sigstore instance', value: trustRoot });
  facts.push(...githubRunFacts(undefined, v?.github));
  return {
    id: `artifact-${index}`,
    kind: v?.kind ?? a.kind,
    format: a.format,
    formatLabel: formatLabel(a),
    place: artifactPlace(a),
    digest: a.digest,
    mediaType: a.mediaType,
    coversDigest: a.coversDigest,
    coversLabel: coversLabel(graph, a.coversDigest),
    ...(predicateType ? { predicateType } : {}),
    state: artifactState(a, v),
    ...(v?.identity !== undefined ? { identity: v.identity } : {}),
    ...(v?.issuer !== undefined ? { issuer: v.issuer } : {}),
    ...(trustRoot !== undefined ? { trustRoot } : {}),
    ...(cause !== undefined ? { cause } : {}),
    facts,
    checks: (v?.checks ?? []).map((c) => panelCheck(c, ctx)),
    nested: (a.depth ?? 0) > 0,
  };
}

/** BuildKit's in-index statements are unsigned whatever else is known; the rest needs a verification. */
export function artifactState(a: Pick<Artifact, 'format'>, v: Pick<ArtifactVerification, 'state'> | undefined): PanelArtifactState {
  if (v !== undefined) return v.state;
  return a.format === 'buildkit-index' ? 'unsigned' : 'not-verified';
}

/** Predicate types are URIs; the https ones are documentation worth a link. */
function urlFor(value: string): Partial<PanelFact> {
  const url = safeLink(value);
  return url ? { url } : {};
}
