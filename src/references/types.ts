/**
 * Image references where a maintainer writes them: Dockerfiles, compose files, Kubernetes
 * manifests, kustomizations, Helm values, GitHub workflows and GoReleaser configs. Every reader is a
 * pure function of the file's text (no file system, no network), so the CLI and an editor share it;
 * whatever a reader needs from beside the file (a compose `.env`, a chart's `appVersion`, the
 * GoReleaser context) comes in through `ReferenceOptions`.
 *
 * Positions are 1-based lines and columns in UTF-16 code units, as VS Code positions count, plus
 * the offsets (`start`, `end`) of the text the reference was read from, for edits at the edge.
 */
import type { TemplateContext } from '../goreleaser/template-context';

export const FILE_KINDS = ['dockerfile', 'compose', 'kubernetes', 'kustomization', 'helm-values', 'github-workflow', 'goreleaser'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface ReferenceSite {
  /** As written, with the file's variables substituted; null when something cannot be known. */
  readonly reference: string | null;
  /** The text as written in the file (Helm values: the parts joined as the chart joins them). */
  readonly raw: string;
  /** Position of the reference's first character: 1-based line, 1-based UTF-16 column. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** UTF-16 offsets of the text the reference was read from (`raw` for a plain value). */
  readonly start: number;
  readonly end: number;
  /** What the reference waits for, as written: `VERSION`, `matrix.image`, `.Values.image.tag`, `tag`. */
  readonly unresolved?: readonly string[];
  /** Dockerfile `--platform`, substituted when its variables are known, else as written. */
  readonly platform?: string;
  /** Where it was found, for people: `FROM`, `services.web.image`, `Deployment/web containers[app]`. */
  readonly via: string;
  /** Helm values and kustomization images: the keys the reference was composed from. */
  readonly keys?: Readonly<Record<string, KeyRange>>;
}

/** A key's value in a mapping (Helm `tag:`, kustomization `digest:`), for edits at the edge. */
export interface KeyRange {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** Something that kept a file from being read whole: the references found are still reported. */
export interface FileProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

export interface FileReferences {
  readonly kind: FileKind;
  readonly references: readonly ReferenceSite[];
  readonly problems: readonly FileProblem[];
}

export interface ReferenceOptions {
  /**
   * Variables for compose interpolation: the `.env` beside the file, overridden by values the
   * caller was given explicitly, as compose lets the shell override `.env`.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Helm values: `appVersion` of the Chart.yaml beside the values file. */
  readonly appVersion?: string;
  /** GoReleaser: the context `release` renders with (tag, environment, git facts, module path). */
  readonly goreleaser?: TemplateContext;
}
