/**
 * The image panel's model, built from what the engines computed in the extension host: the
 * image graph (src/registry), its verification (src/verify) and its provenance
 * (src/provenance). Pure and synchronous; the result is plain JSON for `postMessage`, so the
 * page never sees an engine type and nothing but these fields leaves the host.
 */
import type { ProvenanceReport } from '../provenance/collect';
import type { ArtifactFormat, ArtifactKind, ImageGraph } from '../model/image-graph';
import { unpinnedSigners } from '../verify/image';
import type { ImageVerification } from '../verify/image';
import type { CheckContext } from './model-checks';
import { panelArtifact, panelCheck } from './model-checks';
import { panelProvenance, prettyJson } from './model-provenance';
import { VERDICTS, isEngineState, worstOf } from '../model/verdict';
import { artifactCause, causesAbout, causesOf } from '../releases/verification';
import { causeShort } from '../releases/cause-words';
import { instanceName } from '../releases/artifact-words';
import { plural, sentence } from '../views/verdict-text';
import type { ArtifactState, EngineState } from '../model/verdict';
import type { CheckStatus } from '../verify';
import type {
  ArtifactFormat as PanelArtifactFormat,
  ArtifactKind as PanelArtifactKind,
  CheckStatus as PanelCheckStatus,
  PanelModel,
  PanelNotice,
  PanelPlatform,
  PanelRaw,
  PanelSbom,
  PanelArtifactState,
  PanelStateWords,
  PanelVerdict,
  PanelVerdictState,
} from '../protocol/panel';

/** A part that could not be computed, with its code: shown as a notice, the rest still stands. */
export interface PartFailure {
  readonly code: string;
  readonly message: string;
}

export interface PanelModelOptions {
  /** Why there is no verification (the engine failed); without it, none was asked for. */
  readonly verificationFailure?: PartFailure;
  /** Why there is no provenance. */
  readonly provenanceFailure?: PartFailure;
}

// The protocol spells out the vocabulary's states, the artifact kinds and formats and the check
// statuses for the page (it imports nothing else); these fail to compile if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
type _VerdictStatesAgree = Holds<Same<PanelVerdictState, EngineState | 'not-verified'>>;
type _ArtifactStatesAgree = Holds<Same<PanelArtifactState, ArtifactState | 'not-verified'>>;
type _ArtifactKindsAgree = Holds<Same<PanelArtifactKind, ArtifactKind>>;
type _ArtifactFormatsAgree = Holds<Same<PanelArtifactFormat, ArtifactFormat>>;
type _CheckStatusesAgree = Holds<Same<PanelCheckStatus, CheckStatus>>;

/** The vocabulary as the page reads it. */
export const PANEL_STATES: Readonly<Record<PanelVerdictState, PanelStateWords>> = Object.fromEntries(
  (Object.keys(VERDICTS) as PanelVerdictState[])
    .filter((s) => s === 'not-verified' || isEngineState(s))
    .map((s) => {
      const { long, codicon } = VERDICTS[s];
      return [s, { label: `${long.charAt(0).toUpperCase()}${long.slice(1)}`, words: long, icon: codicon }];
    }),
) as Record<PanelVerdictState, PanelStateWords>;

export function toPanelModel(graph: ImageGraph, verification?: ImageVerification, provenance?: ProvenanceReport, options: PanelModelOptions = {}): PanelModel {
  const ctx: CheckContext = verification ? { instance: verification.trustRoot.instance } : {};
  const artifacts = graph.artifacts.map((a, i) => {
    const r = verification?.artifacts[i];
    const cause = verification && r ? artifactCause(verification, r)?.message : undefined;
    return panelArtifact(graph, a, i, r, ctx, cause === undefined ? undefined : sentence(cause));
  });
  const platformList = platforms(graph, verification);
  const focus = worstPlatform(platformList);
  const provenanceList = provenance ? panelProvenance(provenance, verification, graph) : [];
  const sboms: PanelSbom[] = artifacts.flatMap((a, i) =>
    a.kind !== 'sbom'
      ? []
      : [
          {
            id: `sbom-${i}`,
            ...(a.predicateType ? { predicateType: a.predicateType } : {}),
            standard: sbomStandard(a.predicateType, graph.artifacts[i]?.artifactType ?? a.mediaType),
            formatLabel: a.formatLabel,
            coversDigest: a.coversDigest,
            coversLabel: a.coversLabel,
            digest: a.digest,
            state: a.state,
          },
        ],
  );
  const predicateTypes = [...new Set(artifacts.filter((a) => a.kind !== 'signature' && a.predicateType).map((a) => a.predicateType!))].sort();

  return {
    reference: graph.reference,
    ...(graph.registry !== undefined ? { registry: graph.registry } : {}),
    repository: graph.repository,
    ...(graph.tag !== undefined ? { tag: graph.tag } : {}),
    digest: graph.digest,
    pinnedReference: pinned(graph),
    mediaType: graph.mediaType,
    kind: graph.kind,
    size: graph.size,
    verdict: verdict(graph, verification),
    states: PANEL_STATES,
    checks: (verification?.verdict.checks ?? []).map((c) => panelCheck(c, ctx)),
    platforms: platformList,
    ...(focus !== undefined ? { focusPlatform: focus } : {}),
    artifacts,
    provenance: provenanceList,
    sboms,
    predicateTypes,
    problems: graph.problems.map((p) => ({ at: p.at, code: p.code, message: p.message })),
    notices: notices(graph, verification, provenance, options),
    raw: raw(graph, verification),
  };
}

/** `registry/repository@digest`: the reference to deploy. */
export function pinned(graph: Pick<ImageGraph, 'registry' | 'repository' | 'digest'>): string {
  return `${graph.registry !== undefined ? `${graph.registry}/` : ''}${graph.repository}@${graph.digest}`;
}

function verdict(graph: ImageGraph, verification: ImageVerification | undefined): PanelVerdict {
  if (verification === undefined) {
    const signatures = graph.artifacts.filter((a) => a.kind === 'signature').length;
    const others = graph.artifacts.length - signatures;
    return {
      state: 'not-verified',
      label: PANEL_STATES['not-verified'].label,
      coverage: `No signature was checked. The registry holds ${plural(signatures, 'signature')} and ${plural(others, 'attestation or SBOM', 'attestations or SBOMs')} for this image.`,
    };
  }
  const v = verification.verdict;
  const [first, ...more] = causesOf(verification);
  return {
    state: v.state,
    label: PANEL_STATES[v.state].label,
    ...(first ? { cause: sentence(first.message), moreCauses: more.map((c) => sentence(c.message)) } : {}),
    ...(v.coverage ? { coverage: v.coverage } : {}),
    trustRoot: trustRootWords(verification),
  };
}

/**
 * The roots the verification used: its own, then each other one some artifact was checked
 * against (GitHub's, beside public-good), "Sigstore public-good; GitHub's Sigstore instance for 2 artifacts".
 */
export function trustRootWords(v: Pick<ImageVerification, 'trustRoot' | 'artifacts'>): string {
  const others = new Map<string, number>();
  for (const a of v.artifacts) {
    const instance = a.trustRoot?.instance;
    if (instance !== undefined && instance !== v.trustRoot.instance) others.set(instance, (others.get(instance) ?? 0) + 1);
  }
  return [instanceName(v.trustRoot.instance), ...[...others].map(([instance, n]) => `${instanceName(instance)} for ${plural(n, 'artifact')}`)].join('; ');
}

function platforms(graph: ImageGraph, verification: ImageVerification | undefined): PanelPlatform[] {
  return graph.platforms.map((p) => {
    const d = verification?.verdict.digests.find((x) => x.digest === p.digest);
    const [cause] = verification ? causesAbout(verification, p.digest) : [];
    return {
      platform: p.platform,
      digest: p.digest,
      mediaType: p.mediaType,
      size: p.size,
      ...(p.imageSize !== undefined ? { imageSize: p.imageSize } : {}),
      state: d?.state ?? 'not-verified',
      throughIndex: d?.throughIndex ?? false,
      signedBy: [...(d?.signedBy ?? [])],
      ...(cause ? { cause: sentence(cause.message), causeShort: causeShort(cause, p.platform) } : {}),
    };
  });
}

/** The platform a panel opens on: the first of the worst state (one severity order), so a failed image opens where it fails. */
export function worstPlatform(list: readonly PanelPlatform[]): string | undefined {
  const worst = worstOf(list.map((p) => p.state));
  return list.find((p) => p.state === worst)?.digest;
}

function notices(
  graph: ImageGraph,
  verification: ImageVerification | undefined,
  provenance: ProvenanceReport | undefined,
  o: PanelModelOptions,
): PanelNotice[] {
  const out: PanelNotice[] = [];
  if (o.verificationFailure)
    out.push({ severity: 'error', message: `Signatures could not be verified: ${o.verificationFailure.message} [${o.verificationFailure.code}]` });
  else if (verification === undefined)
    out.push({ severity: 'info', message: 'Signatures were not checked: this shows what the registry holds, not who signed it.' });
  if (verification?.verdict.state === 'unpinned') out.push(pinNotice(verification));
  if (o.provenanceFailure)
    out.push({ severity: 'warn', message: `Provenance could not be read: ${o.provenanceFailure.message} [${o.provenanceFailure.code}]` });
  if (graph.problems.length > 0) {
    out.push({
      severity: 'warn',
      message: `${plural(graph.problems.length, 'part')} of the image could not be read; what they hold is not shown and counts as not checked, never as unsigned.`,
    });
  }
  if (provenance !== undefined && provenance.digest !== graph.digest) {
    out.push({
      severity: 'warn',
      message: `The provenance was read for ${provenance.digest}, not ${graph.digest}: the tag moved between the two reads. Refresh.`,
    });
  }
  return out;
}

/**
 * What to do about "unpinned": the signers seen, and where to pin one. Only named, never applied:
 * whether a signer is the release workflow is the user's call (as the CLI's hint).
 */
function pinNotice(verification: ImageVerification): PanelNotice {
  const pins = unpinnedSigners(verification)
    .slice(0, 2)
    .map((s) => `identity: ${JSON.stringify(s.identity)}${s.issuer !== undefined ? ` and issuer: ${JSON.stringify(s.issuer)}` : ''}`);
  const how =
    pins.length > 0
      ? ` If the signer is your release workflow, pin it in the workspace's .provenance-lens.yaml under defaults: ${pins.join('; or ')}.`
      : " Pin the signer (identity and issuer, or a key) in the workspace's .provenance-lens.yaml.";
  return {
    severity: 'warn',
    message: `No signer is pinned for this image, so its valid signatures are not "verified": anyone can obtain a Sigstore certificate.${how} Another file can be named in the setting provenanceLens.policyFile.`,
  };
}

function raw(graph: ImageGraph, verification: ImageVerification | undefined): PanelRaw[] {
  const out: PanelRaw[] = [{ id: 'raw-graph', label: 'Image graph', detail: "the command line's inspect --json", json: prettyJson(graph) ?? '' }];
  if (verification) out.push({ id: 'raw-verification', label: 'Verification', json: prettyJson(verification) ?? '' });
  return out;
}

function sbomStandard(predicateType: string | undefined, type: string): string {
  const t = `${predicateType ?? ''} ${type}`.toLowerCase();
  if (t.includes('spdx')) return 'SPDX';
  if (t.includes('cyclonedx')) return 'CycloneDX';
  if (t.includes('syft')) return 'Syft JSON';
  return predicateType ?? type;
}
