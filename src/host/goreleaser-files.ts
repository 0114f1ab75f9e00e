// The workspace's goreleaser configs as releases: found with findFiles, read through
// workspace.fs (so unsaved-on-disk is not an issue for remote workspaces), rendered for the tag
// the user picked or git's latest. Reading git runs the `git` program: only in a trusted workspace.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { GORELEASER_GLOB } from '../goreleaser/file-names';
import { readGitFacts } from '../goreleaser/git-context';
import { moduleBeside } from '../goreleaser/go-module';
import type { GitFacts } from '../goreleaser/git-context';
import { goreleaserRelease } from '../releases/goreleaser-release';
import type { Release } from '../releases/types';
import type { LensSettings } from './config';
import { goreleaserEnv } from './config';
import type { ExtensionState } from './state';

const MAX_FILES = 20;
const MAX_BYTES = 1024 * 1024;

export async function goreleaserReleases(state: ExtensionState, settings: LensSettings, log: (m: string) => void): Promise<Release[]> {
  const files = await vscode.workspace.findFiles(GORELEASER_GLOB, '**/node_modules/**', MAX_FILES);
  files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const out: Release[] = [];
  for (const uri of files) {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length > MAX_BYTES) {
        log(`${uri.fsPath} is larger than ${MAX_BYTES} bytes; not read.`);
        continue;
      }
      const git: GitFacts = vscode.workspace.isTrusted && uri.scheme === 'file' ? await readGitFacts(dirname(uri.fsPath), { timeoutMs: 3000 }) : {};
      const modulePath = uri.scheme === 'file' ? await moduleBeside(uri.fsPath) : undefined;
      const tag = state.releaseTag(uri.fsPath);
      out.push(
        goreleaserRelease({
          file: uri.fsPath,
          text: Buffer.from(bytes).toString('utf8'),
          env: goreleaserEnv(uri),
          git,
          ...(tag ? { tag } : {}),
          ...(modulePath !== undefined ? { modulePath } : {}),
        }),
      );
    } catch (e) {
      log(`Reading ${uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}
