import type { Cut, GraphProblem } from '../model/image-graph';

/**
 * The caps of one walk: whatever a registry sends, the work stays bounded and linear. Each cut is
 * reported as a TRUNCATED problem naming its cap (`Cut`); what a cut means for the verdict is the
 * verifier's business (graph-types.ts `Cut`).
 */
export interface WalkLimits {
  /** Platform manifests examined per walk, nested indexes included. */
  platforms: number;
  /** Index levels below the image's own index that are walked (2: an index in an index in the index). */
  nesting: number;
  /** BuildKit attestation manifests read per index. */
  attestationManifests: number;
  /** Layers read per BuildKit attestation manifest or cosign signature manifest. */
  layers: number;
  /** Signatures, attestations and SBOMs kept per walk. */
  artifacts: number;
  /**
   * BuildKit's unsigned in-index statements kept per walk (within `artifacts`). They never change
   * the verdict and each costs a read: BuildKit writes about two per platform.
   */
  statements: number;
  /** Referrers kept per digest. */
  referrers: number;
  /** Artifacts whose own referrers are looked up, per walk. */
  nestedReferrers: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = {
  platforms: 128,
  nesting: 2,
  attestationManifests: 256,
  layers: 64,
  artifacts: 4096,
  statements: 512,
  referrers: 256,
  nestedReferrers: 64,
};

/** A TRUNCATED problem for a cut: the message names the cap and what was not examined. */
export function truncated(at: string, cut: Cut, what: string): GraphProblem {
  return { at, code: 'TRUNCATED', message: `${what} (cap: ${cut.limit} ${CAP_NOUN[cut.cap]}). What was not read was not checked.`, cut };
}

const CAP_NOUN: Record<Cut['cap'], string> = {
  platforms: 'platform manifests per image',
  nesting: 'levels of nested indexes',
  'attestation-manifests': 'BuildKit attestation manifests per index',
  layers: 'layers per attestation or signature manifest',
  artifacts: 'signatures, attestations and SBOMs per image',
  statements: 'unsigned BuildKit statements per image',
  referrers: 'referrers per digest',
  'nested-referrers': 'referrer lookups of referrers per image',
};
