/**
 * What a GoReleaser template is rendered with: the fields of internal/tmpl/tmpl.go (`tmpl.New`),
 * the environment (`.Env`, `isEnvSet`, `envOrDefault`) and a clock (`time`). The caller builds it from
 * what it knows (a tag, the workspace's git, settings); whatever it leaves out is unresolved, never
 * guessed. Field reference: https://goreleaser.com/customization/templates/#common-fields
 */
import { parseLooseSemver } from './semver';
import type { TemplateValue } from './template-values';

export interface TemplateContext {
  /** Field values (`Tag`, `Version`, …). A name of `fieldNames` absent here is unresolved when used. */
  readonly fields: Readonly<Record<string, TemplateValue>>;
  /**
   * The names this context offers (default: GoReleaser's global fields). Using a name outside is an
   * error, as with GoReleaser's `missingkey=error`: `.Arch` does not exist in an image template.
   */
  readonly fieldNames?: readonly string[];
  /** The environment, complete: a name not here is not set (`isEnvSet` is false, `.Env.X` is unresolved). */
  readonly env: Readonly<Record<string, string>>;
  /** Variables whose value depends on something unknown (a config `env:` entry using an unset variable). */
  readonly unknownEnv?: Readonly<Record<string, readonly string[]>>;
  /** The clock `time` formats (GoReleaser: time.Now().UTC()); absent, `time` is unresolved. */
  readonly now?: Date;
}

/** Fields of every GoReleaser template (tmpl.New), plus GoReleaser Pro's `Var` and prefixed tags. */
export const GORELEASER_FIELDS: readonly string[] = [
  'ProjectName',
  'ModulePath',
  'Version',
  'RawVersion',
  'Summary',
  'Tag',
  'PreviousTag',
  'Branch',
  'Commit',
  'ShortCommit',
  'FullCommit',
  'CommitDate',
  'CommitTimestamp',
  'GitURL',
  'IsGitDirty',
  'IsGitClean',
  'GitTreeState',
  'Env',
  'Date',
  'Timestamp',
  'Now',
  'Major',
  'Minor',
  'Patch',
  'Prerelease',
  'IsSnapshot',
  'IsSingleTarget',
  'IsNightly',
  'IsDraft',
  'ReleaseNotes',
  'ReleaseURL',
  'TagSubject',
  'TagContents',
  'TagBody',
  'Runtime',
  'Var',
  'PrefixedTag',
  'PrefixedPreviousTag',
  'PrefixedSummary',
];

/** Fields of one artifact (tmpl.WithArtifact): there in `builds`/`archives`, not in image templates. */
export const ARTIFACT_FIELDS: readonly string[] = [
  'Os',
  'Arch',
  'Amd64',
  'I386',
  'Arm',
  'Arm64',
  'Mips',
  'Ppc64',
  'Riscv64',
  'Target',
  'Binary',
  'ArtifactName',
  'ArtifactExt',
  'ArtifactPath',
];

export interface ContextOptions {
  readonly commit?: string;
  /** Default: the first 7 characters of `commit` (git's usual abbreviation). */
  readonly shortCommit?: string;
  readonly branch?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly projectName?: string;
  /** The Go module of the project (`.ModulePath`; GoReleaser runs `go list -m`): the go.mod beside the config. */
  readonly modulePath?: string;
  readonly previousTag?: string;
  readonly commitDate?: Date;
  /** The release time (`.Date`, `.Timestamp`, `.Now`); also the clock of `time` unless `now` is given. */
  readonly date?: Date;
  readonly now?: Date;
  readonly dirty?: boolean;
  readonly gitURL?: string;
  /** Defaults: a release run (not a snapshot, not a nightly). */
  readonly snapshot?: boolean;
  readonly nightly?: boolean;
  readonly draft?: boolean;
}

const RFC3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The fields GoReleaser derives from a tag (internal/pipe/git, internal/pipe/semver):
 * `Version` is the tag without a leading `v`; `Major`/`Minor`/`Patch`/`Prerelease` come from
 * Masterminds semver (a tag that is not semver leaves them unresolved; GoReleaser would stop).
 */
export function contextFromTag(tag: string | undefined, options: ContextOptions = {}): TemplateContext {
  const fields: Record<string, TemplateValue> = {
    IsSnapshot: options.snapshot ?? false,
    IsNightly: options.nightly ?? false,
  };
  if (tag !== undefined) {
    fields.Tag = tag;
    fields.Version = tag.startsWith('v') ? tag.slice(1) : tag;
    const sv = parseLooseSemver(tag);
    if (sv)
      Object.assign(fields, {
        Major: sv.major,
        Minor: sv.minor,
        Patch: sv.patch,
        Prerelease: sv.prerelease,
        RawVersion: `${sv.major}.${sv.minor}.${sv.patch}`,
      });
  }
  if (options.commit !== undefined) {
    Object.assign(fields, { Commit: options.commit, FullCommit: options.commit, ShortCommit: options.shortCommit ?? options.commit.slice(0, 7) });
  }
  if (options.branch !== undefined) fields.Branch = options.branch;
  if (options.projectName !== undefined) fields.ProjectName = options.projectName;
  if (options.modulePath !== undefined) fields.ModulePath = options.modulePath;
  if (options.previousTag !== undefined) fields.PreviousTag = options.previousTag;
  if (options.gitURL !== undefined) fields.GitURL = options.gitURL;
  if (options.draft !== undefined) fields.IsDraft = options.draft;
  if (options.dirty !== undefined)
    Object.assign(fields, { IsGitDirty: options.dirty, IsGitClean: !options.dirty, GitTreeState: options.dirty ? 'dirty' : 'clean' });
  if (options.commitDate) Object.assign(fields, { CommitDate: RFC3339(options.commitDate), CommitTimestamp: Math.floor(options.commitDate.getTime() / 1000) });
  if (options.date) Object.assign(fields, { Date: RFC3339(options.date), Timestamp: Math.floor(options.date.getTime() / 1000), Now: options.date });
  const now = options.now ?? options.date;
  return { fields, env: { ...(options.env ?? {}) }, ...(now ? { now } : {}) };
}

/** Where an unresolved name comes from, so the edge can say where to set it. */
export type VariableSource = 'env' | 'tag' | 'git' | 'config' | 'module' | 'clock' | 'release';

const SOURCES: Readonly<Record<string, VariableSource>> = {
  Tag: 'tag',
  Version: 'tag',
  RawVersion: 'tag',
  Major: 'tag',
  Minor: 'tag',
  Patch: 'tag',
  Prerelease: 'tag',
  PreviousTag: 'tag',
  TagSubject: 'tag',
  TagContents: 'tag',
  TagBody: 'tag',
  PrefixedTag: 'tag',
  PrefixedPreviousTag: 'tag',
  Commit: 'git',
  ShortCommit: 'git',
  FullCommit: 'git',
  CommitDate: 'git',
  CommitTimestamp: 'git',
  Branch: 'git',
  IsGitDirty: 'git',
  IsGitClean: 'git',
  GitTreeState: 'git',
  GitURL: 'git',
  Summary: 'git',
  PrefixedSummary: 'git',
  ProjectName: 'config',
  Var: 'config',
  ModulePath: 'module',
  Date: 'clock',
  Timestamp: 'clock',
  Now: 'clock',
  time: 'clock',
};

/** `.Env.X` -> env; `.Tag` -> tag; `time` -> clock; run-time facts (`.IsDraft`, `.ReleaseURL`, `abs`) -> release. */
export function variableSource(name: string): VariableSource {
  if (name.startsWith('.Env.')) return 'env';
  return SOURCES[name.replace(/^\./, '')] ?? 'release';
}
