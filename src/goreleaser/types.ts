/**
 * The pure model of a .goreleaser.yaml that editors and the CLI share. Ranges are offsets into
 * the file text (UTF-16 code units, as JavaScript strings and VS Code's `positionAt` count) with
 * 1-based line and column for people; editors map offsets to their own positions at the edge.
 */

export interface SourceRange {
  /** Offset of the first character (for a quoted scalar, the opening quote). */
  readonly start: number;
  /** Offset just after the last character. */
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A template as written in the file: a string scalar, or a default GoReleaser applies when the key is absent. */
export interface TemplateScalar {
  readonly text: string;
  /** The scalar itself; for an alias or a `<<` merge, the original scalar; for a default, the entry it belongs to. */
  readonly range: SourceRange;
  /** Where the value was reached through an alias (`*tags`), when it was. */
  readonly aliasRange?: SourceRange;
  /** True when the key is absent and this is GoReleaser's default. */
  readonly defaulted?: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

export type DiagnosticCode =
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'unexpected-shape'
  | 'template-syntax'
  | 'template-error'
  | 'template-unresolved'
  | 'reference-invalid'
  | 'manifest-list-attestations'
  | 'manifest-list-default-provenance'
  | 'sign-identity-other-repository'
  | 'sign-covers-nothing'
  | 'contains-argument-order'
  | 'ko-image-name';

export interface RelatedLocation {
  readonly message: string;
  readonly range: SourceRange;
}

export interface GoreleaserDiagnostic {
  /** Stable: tests, settings and code actions key on it. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly related?: readonly RelatedLocation[];
  /** Unresolved variables (template-unresolved), as written: `.Env.REGISTRY`, `.Tag`. */
  readonly variables?: readonly string[];
}

/** Sections that publish images (https://goreleaser.com/customization/). */
export type ImageSection = 'dockers' | 'docker_manifests' | 'dockers_v2' | 'kos';

/**
 * Every image reference a config can push, as templates. `image` and `manifest` are published by their
 * entry; `manifest-input` is an image a docker_manifests entry assembles (built by a dockers entry).
 */
export interface ImageTemplateRef {
  readonly section: ImageSection;
  /** Index of the entry in its section. */
  readonly index: number;
  /** The entry's `id`, or GoReleaser's default for it (project name for dockers_v2 and kos). */
  readonly id?: string;
  readonly role: 'image' | 'manifest' | 'manifest-input';
  /** The whole reference as a template; for dockers_v2 and kos `image:tag`. */
  readonly template: string;
  /** The scalar that names it: the image template, or the image/repository of a pair. */
  readonly range: SourceRange;
  /** dockers_v2 (`images` x `tags`) and kos (`repositories` x `tags`): the two halves. */
  readonly pair?: { readonly image: TemplateScalar; readonly tag: TemplateScalar };
  /** The scalar itself (dockers, docker_manifests). */
  readonly scalar?: TemplateScalar;
  /** Platforms as configured (dockers: `--platform` flag, else goos/goarch). */
  readonly platforms: readonly string[];
}
