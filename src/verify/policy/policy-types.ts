import type { Matcher } from './identity-policy';
import type { AttestationRequirement, CoverageRule } from './image-policy';
import type { PublicKeyMaterial } from '../trust';
import type { TemplatePart } from './policy-template';

/**
 * `.provenance-lens.yaml` after validation: what was written, checked and normalised,
 * before it is resolved for one image (policy-resolve.ts). See docs/policy.md.
 */

export type DiagnosticSeverity = 'error' | 'warning';

export type PolicyDiagnosticCode =
  | 'YAML_SYNTAX'
  | 'UNKNOWN_KEY'
  | 'WRONG_TYPE'
  | 'MISSING_KEY'
  | 'INVALID_VALUE'
  | 'INVALID_REGEXP'
  | 'UNKNOWN_TEMPLATE_VARIABLE'
  | 'UNKNOWN_ATTESTATION'
  | 'CONFLICT'
  | 'DUPLICATE_PATTERN'
  | 'KEY_FILE'
  | 'FILE';

export interface PolicyDiagnostic {
  severity: DiagnosticSeverity;
  code: PolicyDiagnosticCode;
  message: string;
  file: string;
  /** 1-based, like editors show them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Where in the document, e.g. `images[2].github.workflow`. */
  at: string;
}

/** An identity as written: exact text or a regexp, either possibly with `{{placeholders}}`. */
export interface MatcherTemplate {
  kind: 'exact' | 'regexp';
  text: string;
  parts: TemplatePart[];
}

export interface GithubSpec {
  /** `org/repo`; absent: the image's `builtIn`, else derived from the image name. */
  repository?: string;
  /** `release.yml` or `.github/workflows/release.yml`; absent: any workflow of the repository. */
  workflow?: string;
  /** Absent: `refs/tags/{{tag}}`. */
  ref?: TemplatePart[];
  trigger?: string;
  commit?: string;
  /**
   * `gh attestation verify`'s shortcuts (github-attestation-policy.ts). With any of them the block
   * reads as gh reads its flags: no ref is pinned unless `ref` says one.
   */
  /** The owner (Source Repository Owner URI, 1.16). */
  owner?: string;
  /** `org/repo/.github/workflows/file.yml[@ref]`: the workflow that signed (the SAN). */
  signerWorkflow?: string;
  /** `org/repo`: any workflow of it signed. */
  signerRepository?: string;
}

export interface SlsaSpec {
  builders?: Matcher[];
  source?: {
    /** Normalised to a URL: `rancher/fleet` is `https://github.com/rancher/fleet`. */
    repository?: string;
    ref?: TemplatePart[];
    commit?: string;
  };
  requireKnownBuildType?: boolean;
}

export interface PolicyKey {
  /** As written. */
  written: string;
  /** Resolved against the policy file's directory. */
  path: string;
  line: number;
  column: number;
  /** Filled by `loadPolicyFile` (or `loadPolicyKeys`); `parsePolicyFile` does no I/O. */
  material?: PublicKeyMaterial;
}

/** What both `defaults` and an image entry may state. */
export interface PolicyRules {
  identity?: MatcherTemplate;
  issuer?: Matcher;
  github?: GithubSpec;
  keys?: PolicyKey[];
  /** Resolved against the policy file's directory. */
  trustedRoot?: string;
  /** PEM CA certificates of a private PKI, resolved against the policy file's directory. */
  certificateChain?: string;
  requireTlog?: boolean;
  coverage?: CoverageRule;
  attestations?: AttestationRequirement[];
  slsa?: SlsaSpec;
}

export interface PolicyDefaults extends PolicyRules {
  /** Derive GitHub identities for images without an explicit one (default true). */
  derive?: boolean;
}

export interface PolicyEntry extends PolicyRules {
  /** The image pattern as written. */
  image: string;
  /** Normalised (`rancher/*` -> `docker.io/rancher/*`), what is matched. */
  pattern: string;
  /** `org/repo` the image is built in. */
  builtIn?: string;
  exception?: { reason: string };
  /** Position in `images:` (0-based) and line, for ties and explanations. */
  index: number;
  line: number;
}

export interface PolicyFile {
  path: string;
  version: 1;
  defaults: PolicyDefaults;
  images: PolicyEntry[];
}

/** `policy` is undefined whenever a diagnostic is an error: a half-read policy is never applied. */
export interface PolicyParseResult {
  policy: PolicyFile | undefined;
  diagnostics: PolicyDiagnostic[];
}
