// Restricted Mode (a workspace the user has not trusted) reads no file inside a workspace
// folder through a setting or a policy entry, whoever wrote it: a relative user setting would
// otherwise resolve into the untrusted folder, and that folder's keys, trusted roots, exceptions
// and `requireTlog: false` would decide what counts as verified.
// https://code.visualstudio.com/api/extension-guides/workspace-trust
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A file named by a setting or by a policy file. */
export interface NamedFile {
  /** Who names it, as the user finds it: `provenanceLens.policyFile`, `/home/me/policy.yaml: images[0].keys[0]`. */
  readonly setting: string;
  /** The path as written. */
  readonly value: string;
  /** Where a relative value resolves: the first workspace folder for a setting, the policy file's directory for a policy entry. */
  readonly base?: string | undefined;
}

/** What the rule needs to know of the workspace. */
export interface WorkspaceFiles {
  /** `vscode.workspace.isTrusted`. */
  readonly trusted: boolean;
  /** The workspace folders on disk (absolute). */
  readonly folders: readonly string[];
  /** The path with symbolic links followed (see realpathOrAncestor). */
  readonly realpath: (path: string) => string;
  /** Paths compared without case (the default file systems of Windows and macOS); default: by platform. */
  readonly caseInsensitive?: boolean;
}

/** The path to read, or why nothing is read. */
export type FileDecision = { readonly path: string } | { readonly ignored: string };

/**
 * Trusted: the value, a relative one resolved against `base`. Restricted Mode: a relative value
 * whose base is a workspace folder (every relative setting) is not resolved at all, and an
 * absolute one inside a workspace folder, before or after following symbolic links, is ignored;
 * `ignored` says so in a sentence for the view and the log.
 */
export function decideFile(named: NamedFile, ws: WorkspaceFiles): FileDecision {
  const { setting, value, base } = named;
  const relativeValue = !isAbsolute(value);
  if (ws.trusted) return { path: relativeValue && base !== undefined ? resolve(base, value) : value };
  const within = insideFolder(ws);
  if (relativeValue && (base === undefined || within(base) !== undefined)) {
    return base === undefined
      ? {
          ignored: `${setting} is a relative path (${value}); ignored in Restricted Mode, where relative paths are not resolved. Give an absolute path outside the workspace, or trust the workspace.`,
        }
      : {
          ignored: `${setting} points into this untrusted workspace (${value}, relative to ${base}); ignored in Restricted Mode. Trust the workspace to use it.`,
        };
  }
  const path = relativeValue ? resolve(base!, value) : resolve(value);
  const real = ws.realpath(path);
  if (within(path) !== undefined || within(real) !== undefined) {
    const shown = real === path ? value : `${value}, which is ${real}`;
    return { ignored: `${setting} points into this untrusted workspace (${shown}); ignored in Restricted Mode. Trust the workspace to use it.` };
  }
  return { path };
}

/** The folder (as given, or its real path) that holds `path`, if any. */
function insideFolder(ws: WorkspaceFiles): (path: string) => string | undefined {
  const fold = ws.caseInsensitive ?? (process.platform === 'win32' || process.platform === 'darwin');
  const norm = (p: string): string => (fold ? resolve(p).toLowerCase() : resolve(p));
  const roots = ws.folders.flatMap((f) => [norm(f), norm(ws.realpath(resolve(f)))]);
  return (path) => {
    const p = norm(path);
    return roots.find((root) => {
      const r = relative(root, p);
      return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
    });
  };
}

/**
 * The real path of `path` (symbolic links followed). One that does not exist yet is its
 * deepest existing ancestor's real path joined with the rest, and a dangling link is followed
 * to where it points, so a link into a workspace folder is seen even when its target is missing.
 */
export function realpathOrAncestor(path: string, hops = 0): string {
  const rest: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    try {
      return join(realpathSync.native(p), ...rest.reverse());
    } catch {
      // 40: Linux's limit of links followed in one lookup (MAXSYMLINKS); a cycle ends there.
      const target = hops < 40 ? linkTarget(p) : undefined;
      if (target !== undefined) return realpathOrAncestor(join(resolve(dirname(p), target), ...rest.reverse()), hops + 1);
      if (dirname(p) === p) return resolve(path);
      rest.push(basename(p));
    }
  }
}

function linkTarget(p: string): string | undefined {
  try {
    return lstatSync(p).isSymbolicLink() ? readlinkSync(p) : undefined;
  } catch {
    return undefined;
  }
}
