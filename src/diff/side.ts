import type { Signer } from '../model/cause';
import type { ArtifactFormat, ImageGraph } from '../model/image-graph';
import { normalisePlatformString } from '../model/platform';
import type { ProvenanceReport } from '../provenance/collect';
import type { ImageVerification } from '../verify/image';
import type { ImagePolicy } from '../verify/policy';
import { provenanceFields } from './provenance-fields';
import type { SbomFound, SbomSkipped } from './sbom-collect';
import type { SbomPackage } from './sbom-document';
import { countedSigner, ownRefs, signersOf } from './signers';
import type { DiffImage, DiffNote } from './types';

/**
 * One image as the comparison sees it, every part keyed by target: `index` for what is attached
 * to the index, else the platform as containerd normalises it (so `linux/arm64/v8` meets
 * `linux/arm64`), else the digest (a nested index). `label` is how the image itself writes it.
 */
export interface DiffSide {
  image: DiffImage;
  /** The refs that are this release's own: its tag, and the source refs its provenance names (signers.ts ownRefs). */
  ownRefs: Set<string>;
  platforms: Array<{ key: string; label: string; digest: string }>;
  signers: Signer[];
  /** Predicate types of every attestation and SBOM, signed or not. */
  attestationTypes: string[];
  /** Those of them carried at least once with a signature that counts (signersOf's rule: verified, or valid and unpinned). */
  signedAttestationTypes: string[];
  provenance: Array<{ key: string; label: string; from: ArtifactFormat; fields: Map<string, string> }>;
  sboms: Array<{ key: string; label: string; packages: SbomPackage[]; truncated: number }>;
  notes: Array<Omit<DiffNote, 'side'>>;
}

export interface SideInput {
  graph: ImageGraph;
  verification: ImageVerification;
  policy: ImagePolicy;
  /** Whether a policy was given: then the verdict is part of the comparison's output. */
  policyGiven: boolean;
  provenance: ProvenanceReport;
  sboms: { found: SbomFound[]; skipped: SbomSkipped[] };
}

export function diffSide(input: SideInput): DiffSide {
  const { graph, verification, provenance } = input;
  const target = targets(graph);
  const notes: DiffSide['notes'] = [];
  if (graph.problems.length > 0) {
    notes.push({
      code: 'INCOMPLETE',
      message: `${graph.problems.length === 1 ? 'One part' : `${graph.problems.length} parts`} of ${graph.reference} could not be read or were cut (${[...new Set(graph.problems.map((p) => p.code))].join(', ')}); what they hold is not compared. \`provenance-lens inspect\` lists them.`,
    });
  }

  const attestationTypes = new Set<string>();
  const signedAttestationTypes = new Set<string>();
  verification.artifacts.forEach((a, i) => {
    const type = a.predicateType ?? graph.artifacts[i]?.predicateType;
    if ((a.kind !== 'attestation' && a.kind !== 'sbom') || graph.artifacts[i]?.depth || type === undefined) return;
    attestationTypes.add(type);
    if (countedSigner(a, input.policy) !== undefined) signedAttestationTypes.add(type);
  });

  const statements: DiffSide['provenance'] = [];
  const seen = new Set<string>();
  for (const p of provenance.platforms) {
    for (const e of p.provenance) {
      // Index-level provenance is listed under every platform: take it once.
      if (seen.has(`${e.format} ${e.artifactDigest} ${e.coversDigest}`)) continue;
      seen.add(`${e.format} ${e.artifactDigest} ${e.coversDigest}`);
      if (e.error)
        notes.push({
          code: 'UNREADABLE',
          at: e.artifactDigest,
          problem: e.error.code,
          message: `The provenance ${e.artifactDigest} about ${e.coversDigest} could not be read, so it was not compared: ${e.error.message} [${e.error.code}]`,
        });
      if (e.summary) statements.push({ ...target(e.coversDigest), from: e.format, fields: provenanceFields(e.summary) });
    }
  }

  for (const s of input.sboms.skipped) notes.push({ code: s.code, at: s.at, ...(s.problem ? { problem: s.problem } : {}), message: s.message });
  const sboms = input.sboms.found.map((f) => {
    if (f.contents.truncated > 0)
      notes.push({
        code: 'SBOM_TRUNCATED',
        at: f.artifactDigest,
        message: `The SBOM ${f.artifactDigest} lists more packages than are read; ${f.contents.truncated} were not compared.`,
      });
    return { ...target(f.coversDigest), packages: f.contents.packages, truncated: f.contents.truncated };
  });

  const image: DiffImage = { reference: graph.reference, digest: graph.digest };
  if (input.policyGiven) image.verdict = { state: verification.verdict.state, causes: verification.verdict.causes };
  return {
    image,
    ownRefs: ownRefs(
      graph.tag,
      statements.map((st) => st.fields.get('source.ref')),
    ),
    platforms: graph.platforms.map((p) => ({ key: normalisePlatformString(p.platform), label: p.platform, digest: p.digest })),
    signers: signersOf(verification, input.policy),
    attestationTypes: [...attestationTypes].sort(),
    signedAttestationTypes: [...signedAttestationTypes].sort(),
    provenance: statements,
    sboms,
    notes,
  };
}

/** Where something attached to `digest` sits: the index, a platform, or (a nested index) the digest itself. */
function targets(graph: ImageGraph): (digest: string) => { key: string; label: string } {
  return (digest) => {
    if (graph.kind === 'index' && digest === graph.digest) return { key: 'index', label: 'index' };
    const p = graph.platforms.find((x) => x.digest === digest);
    if (p !== undefined) return { key: normalisePlatformString(p.platform), label: p.platform };
    return { key: digest, label: digest };
  };
}
