// The one typed reader of the extension's settings (package.json `contributes.configuration`).
// Settings that weaken verification or name programs are restricted: in an untrusted workspace
// only the user's (global) value counts, whatever the workspace's settings say. VS Code applies
// `capabilities.untrustedWorkspaces.restrictedConfigurations` the same way; this is the second lock.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';

export const SECTION = 'provenanceLens';

export interface LensSettings {
  /** A `.provenance-lens.yaml` policy (absolute, or relative to the first workspace folder). */
  readonly policyFile?: string;
  /** A `trusted_root.json` to verify against instead of Sigstore's public-good root. */
  readonly trustedRoot?: string;
  /** Never fetch trust material online (TUF); registries are still contacted. */
  readonly offline: boolean;
  /** `host:port` of registries spoken to over plain HTTP. */
  readonly insecureRegistries: readonly string[];
  /** PEM files of extra CAs trusted for registry TLS. */
  readonly caFiles: readonly string[];
  /** A Docker config.json other than the default (its credential helpers are programs). */
  readonly dockerConfig?: string;
  /** Requests in flight per registry host. */
  readonly concurrency: number;
  /** Memory for cached manifests and signatures, in MB. */
  readonly cacheSizeMb: number;
  /** The platform opened first (`linux/amd64`). */
  readonly defaultPlatform?: string;
  /** Restricted settings set by the workspace and ignored because it is not trusted. */
  readonly ignored: readonly string[];
}

/** Keys whose workspace values are ignored in an untrusted workspace. */
export const RESTRICTED = ['policyFile', 'trustedRoot', 'insecureRegistries', 'caFiles', 'dockerConfig'] as const;
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
  const policyFile = text(restricted('policyFile'));
  const dockerConfig = text(restricted('dockerConfig'));
  const trustedRoot = text(restricted('trustedRoot'));
  const defaultPlatform = text(c.get('defaultPlatform'));
  return {
    ...(policyFile ? { policyFile } : {}),
    ...(trustedRoot ? { trustedRoot } : {}),
    offline: c.get('offline') === true,
    insecureRegistries: strings(restricted('insecureRegistries')),
    caFiles: strings(restricted('caFiles')),
    ...(dockerConfig ? { dockerConfig } : {}),
    concurrency: bounded(c.get('concurrency'), 1, 64, 8),
    cacheSizeMb: bounded(c.get('cacheSizeMb'), 8, 4096, 64),
    ...(defaultPlatform ? { defaultPlatform } : {}),
    ignored,
  };
}

/** The workspace's own policy, used when the setting names none (and the workspace is trusted). */
export const WORKSPACE_POLICY = '.provenance-lens.yaml';

/**
 * The policy file verification uses: the setting (absolute, or relative to the first workspace
 * folder), else `.provenance-lens.yaml` in a workspace folder, but only in a trusted workspace: an
 * untrusted one could otherwise relax the requirements (readSettings already ignores its setting).
 */
export function policyPath(settings: LensSettings, trusted: boolean = vscode.workspace.isTrusted): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (settings.policyFile) return isAbsolute(settings.policyFile) || !folder ? settings.policyFile : join(folder.uri.fsPath, settings.policyFile);
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

/** True when a change to the configuration touches this extension. */
export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
