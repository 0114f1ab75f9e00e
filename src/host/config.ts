// The one typed reader of the extension's settings (package.json `contributes.configuration`).
// Settings that weaken verification or name programs are restricted: in an untrusted workspace
// only the user's (global) value counts, whatever the workspace's settings say. VS Code applies
// `capabilities.untrustedWorkspaces.restrictedConfigurations` the same way; this is the second lock.
// The third: in Restricted Mode no setting that names a file resolves into a workspace folder,
// not even the user's own (core/restricted-files.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { decideFile, realpathOrAncestor } from '../core/restricted-files';
import { DEFAULT_LIMITS } from '../registry/limits';
import type { WorkspaceFiles } from '../core/restricted-files';
import type { GithubShortcuts, ShortcutNames } from '../verify/policy';

export const SECTION = 'provenanceLens';

export interface LensSettings {
  /**
   * A `.provenance-lens.yaml` policy. This and the other file settings (trustedRoot, caFiles,
   * dockerConfig) hold the path to read: a relative setting resolved against the first
   * workspace folder; in Restricted Mode, absent when the setting points into the workspace.
   */
  readonly policyFile?: string | undefined;
  /** A `trusted_root.json` to verify against instead of Sigstore's public-good root. */
  readonly trustedRoot?: string | undefined;
  /** Never fetch trust material online (TUF); registries are still contacted. */
  readonly offline: boolean;
  /** `host:port` of registries spoken to over plain HTTP. */
  readonly insecureRegistries: readonly string[];
  /** PEM files of extra CAs trusted for registry TLS. */
  readonly caFiles: readonly string[];
  /** A Docker config.json other than the default (its credential helpers are programs). */
  readonly dockerConfig?: string | undefined;
  /** Requests in flight per registry host. */
  readonly concurrency: number;
  /** Memory for cached manifests and signatures, in MB. */
  readonly cacheSizeMb: number;
  /** The platform opened first (`linux/amd64`). */
  readonly defaultPlatform?: string | undefined;
  /** `gh attestation verify`'s shortcuts (`provenanceLens.github.*`), over the policy as the CLI's flags are. */
  readonly github?: GithubShortcuts | undefined;
  /** Also read GitHub's attestations API for each image whose owner or repository is known. */
  readonly githubAttestations?: boolean | undefined;
  /** Restricted settings set by the workspace and ignored because it is not trusted. */
  readonly ignored: readonly string[];
  /** Settings naming files that Restricted Mode does not read, each with the sentence for the view and the log. */
  readonly refused: readonly { readonly setting: string; readonly reason: string }[];
}

/** Keys whose workspace values are ignored in an untrusted workspace. */
export const RESTRICTED = [
  'policyFile',
  'trustedRoot',
  'insecureRegistries',
  'caFiles',
  'dockerConfig',
  'github.owner',
  'github.repo',
  'github.signerWorkflow',
  'github.signerRepo',
] as const;

/** The settings of the gh shortcuts, by shortcut: the names a USAGE sentence about them uses. */
export const GITHUB_SETTINGS: ShortcutNames = {
  owner: `${SECTION}.github.owner`,
  repo: `${SECTION}.github.repo`,
  signerWorkflow: `${SECTION}.github.signerWorkflow`,
  signerRepo: `${SECTION}.github.signerRepo`,
};
type Restricted = (typeof RESTRICTED)[number];

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function bounded(v: unknown, min: number, max: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : fallback;
}

function env(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, value] of Object.entries(v)) if (typeof value === 'string') out[k] = value;
  }
  return out;
}

/** The workspace as the file rule sees it: its folders on disk, and whether it is trusted. */
export function workspaceFiles(trusted: boolean = vscode.workspace.isTrusted): WorkspaceFiles {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return { trusted, folders, realpath: realpathOrAncestor };
}

export function readSettings(trusted: boolean = vscode.workspace.isTrusted): LensSettings {
  // null: these are window (and machine) settings. The one resource setting,
  // provenanceLens.goreleaser.env, is not read here: its value depends on the file's folder
  // in a multi-root workspace, so it is read per file with goreleaserEnv(uri).
  const c = vscode.workspace.getConfiguration(SECTION, null);
  const ignored: string[] = [];
  const restricted = (key: Restricted): unknown => {
    if (trusted) return c.get(key);
    const i = c.inspect(key);
    if (i && (i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined)) ignored.push(`${SECTION}.${key}`);
    return i?.globalValue ?? i?.defaultValue;
  };
  const ws = workspaceFiles(trusted);
  const refused: { setting: string; reason: string }[] = [];
  const file = (key: Restricted, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const setting = `${SECTION}.${key}`;
    const d = decideFile({ setting, value, base: ws.folders[0] }, ws);
    if ('path' in d) return d.path;
    refused.push({ setting, reason: d.ignored });
    return undefined;
  };
  const policyFile = file('policyFile', text(restricted('policyFile')));
  const dockerConfig = file('dockerConfig', text(restricted('dockerConfig')));
  const trustedRoot = file('trustedRoot', text(restricted('trustedRoot')));
  const caFiles = strings(restricted('caFiles')).flatMap((f) => file('caFiles', f) ?? []);
  const defaultPlatform = text(c.get('defaultPlatform'));
  const github: { -readonly [K in keyof GithubShortcuts]: string } = {};
  for (const key of ['owner', 'repo', 'signerWorkflow', 'signerRepo'] as const) {
    const value = text(restricted(`github.${key}`));
    if (value !== undefined) github[key] = value;
  }
  return {
    ...(policyFile ? { policyFile } : {}),
    ...(trustedRoot ? { trustedRoot } : {}),
    offline: c.get('offline') === true,
    insecureRegistries: strings(restricted('insecureRegistries')),
    caFiles,
    ...(dockerConfig ? { dockerConfig } : {}),
    concurrency: bounded(c.get('concurrency'), 1, 64, DEFAULT_LIMITS.concurrencyPerHost),
    cacheSizeMb: bounded(c.get('cacheSizeMb'), 8, 4096, 64),
    ...(defaultPlatform ? { defaultPlatform } : {}),
    ...(Object.keys(github).length > 0 ? { github } : {}),
    githubAttestations: c.get('github.fetchAttestations') === true,
    ignored,
    refused,
  };
}

/** The workspace's own policy, used when the setting names none (and the workspace is trusted). */
export const WORKSPACE_POLICY = '.provenance-lens.yaml';

/**
 * The policy file verification uses: the setting (as readSettings resolved it), else
 * `.provenance-lens.yaml` in a workspace folder, but only in a trusted workspace: an untrusted one
 * could otherwise relax the requirements (readSettings already ignores its setting, and any user
 * setting pointing into it).
 */
export function policyPath(settings: LensSettings, trusted: boolean = vscode.workspace.isTrusted): string | undefined {
  if (settings.policyFile) return settings.policyFile;
  if (!trusted) return undefined;
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const candidate = join(f.uri.fsPath, WORKSPACE_POLICY);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The resource setting read by goreleaserEnv: `{{ .Env.NAME }}` values for goreleaser templates. */
export const GORELEASER_ENV = 'goreleaser.env';

/**
 * Values for `{{ .Env.NAME }}` in the templates of the goreleaser file (or workspace folder)
 * `uri`: a resource setting, so in a multi-root workspace the file's folder's own value counts
 * (merged over the workspace's and the user's, as VS Code merges objects).
 */
export function goreleaserEnv(uri: vscode.Uri): Readonly<Record<string, string>> {
  return env(vscode.workspace.getConfiguration(SECTION, uri).get(GORELEASER_ENV));
}

/** provenanceLens.diagnostics.severity: how a failed, unsigned or unpinned image shows in Problems. */
export const DIAGNOSTICS_SEVERITY = 'diagnostics.severity';
export type DiagnosticsSeverity = 'error' | 'warning' | 'information' | 'off';
const SEVERITIES: readonly DiagnosticsSeverity[] = ['error', 'warning', 'information', 'off'];

/**
 * The severity of the Problems entry of an image a file names (a resource setting: a folder of a
 * multi-root workspace may choose its own); `warning` when unset or not one of the four values.
 */
export function diagnosticsSeverity(uri: vscode.Uri | undefined): DiagnosticsSeverity {
  const v = vscode.workspace.getConfiguration(SECTION, uri ?? null).get(DIAGNOSTICS_SEVERITY);
  return SEVERITIES.find((s) => s === v) ?? 'warning';
}

/** True when a change to the configuration touches this extension. */
export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
