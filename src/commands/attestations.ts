// Attestations from outside the registry, on an image of the Releases view: "Add Attestation
// File…" (a Sigstore bundle, or the .jsonl `gh attestation download` writes), "Remove Attestation
// Files", and "Fetch Attestations from GitHub" (GitHub's attestations API with VS Code's GitHub
// account). Each reloads the image, so its bundles are verified as its artifacts, as
// `verify --bundle` and `--github-attestations` verify them, and its verdict follows.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ImageLoad } from '../releases/types';
import { addedAttestationsSentence } from '../views/attestation-words';
import type { LensServices } from './context';
import { revealImage } from './open-result';
import type { OpenResultDeps } from './open-result';
import { resolveTarget } from './targets';
import type { TargetsDeps } from './targets';
import { openImagePanels, showImagePanel } from '../panel/image-panel';

/** What these commands use: the added attestations, the image's load, the panel and the view. */
export type AttestationDeps = Pick<LensServices, 'attestations' | 'service'> & OpenResultDeps & TargetsDeps;

/** The image again, its added artifacts verified; the view shows it meanwhile, an open panel of it after. */
async function reload(s: AttestationDeps, reference: string): Promise<ImageLoad> {
  s.service.refresh(reference);
  await revealImage(s, reference);
  const load = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Verifying ${reference}` }, () =>
    s.service.ensure(reference),
  );
  // A panel shows what it loaded: the image's panel, if open, takes the new verification.
  for (const panel of openImagePanels()) if (panel.reference === reference) void panel.load(false);
  return load;
}

/** Says what the added attestations did to the image, with a way to the panel. */
function report(s: AttestationDeps, reference: string, load: ImageLoad, format: 'bundle-file' | 'github-api', from: string, files?: readonly string[]): void {
  if (load.status === 'failed') {
    void vscode.window.showErrorMessage(`${reference}: ${load.failure.message}`);
    return;
  }
  if (load.status !== 'loaded') return;
  const text = addedAttestationsSentence(load.graph, load.verification, format, from, files);
  void vscode.window.showInformationMessage(text, 'Show Image').then(
    (choice) => {
      if (choice) showImagePanel(s.context, reference, s.panel);
    },
    () => undefined,
  );
}

/**
 * Adds bundle files to an image: chosen in an open dialog, or `files` (other commands, tests).
 * Each file is read at once, so a file that holds no bundle is refused here, naming its line.
 */
export async function addAttestationFile(s: AttestationDeps, arg?: unknown, files?: readonly vscode.Uri[]): Promise<string[] | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Add Attestation File');
  if (!target) return undefined;
  const uris =
    files ??
    (await vscode.window.showOpenDialog({
      title: `Attestations for ${target.reference}`,
      openLabel: 'Add',
      canSelectMany: true,
      filters: { 'Sigstore bundles (gh attestation download .jsonl)': ['jsonl', 'json'] },
    }));
  if (!uris || uris.length === 0) return undefined;
  const local = uris.filter((u) => u.scheme === 'file');
  if (local.length < uris.length)
    throw new Error(`Attestation files are read from this machine's disk; ${uris.find((u) => u.scheme !== 'file')!.toString()} is not a local file.`);
  const paths = local.map((u) => u.fsPath);
  const read = await s.attestations.addFiles(target.reference, paths);
  s.log.logger.info(`${target.reference}: ${read.length} bundle${read.length === 1 ? '' : 's'} added from ${paths.join(', ')}.`);
  report(s, target.reference, await reload(s, target.reference), 'bundle-file', paths.map((p) => basename(p)).join(', '), paths);
  return paths;
}

/** Forgets the files added to an image, and verifies it without them. */
export async function removeAttestationFiles(s: AttestationDeps, arg?: unknown): Promise<readonly string[]> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Remove Attestation Files');
  if (!target) return [];
  const removed = await s.attestations.removeFiles(target.reference);
  if (removed.length === 0) {
    void vscode.window.showInformationMessage(`No attestation file was added to ${target.reference}.`);
    return [];
  }
  await reload(s, target.reference);
  void vscode.window.showInformationMessage(`Removed ${removed.map((p) => basename(p)).join(', ')} from ${target.reference}.`);
  return removed;
}

/**
 * GitHub's attestations for an image, by digest, under the owner or repository the settings or
 * the policy name (as gh's --owner / --repo). Asks VS Code for a GitHub session, prompting to
 * sign in when there is none.
 */
export async function fetchGithubAttestations(s: AttestationDeps, arg?: unknown): Promise<number | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Fetch Attestations from GitHub');
  if (!target) return undefined;
  const scope = await s.attestations.scopeOf(target.reference);
  if (scope === undefined) {
    const choice = await vscode.window.showWarningMessage(
      `GitHub lists attestations by owner or repository, and none is known for ${target.reference}: set provenanceLens.github.owner or provenanceLens.github.repo, or name repository: (or owner:) in the policy's github: block for this image.`,
      'Open Settings',
    );
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'provenanceLens.github');
    return undefined;
  }
  let token: string | undefined;
  try {
    token = await s.attestations.token(true);
  } catch (e) {
    // Declined at the prompt: nothing to do, nothing to report.
    s.log.logger.info(`GitHub sign-in not completed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  if (token === undefined) return undefined;
  s.attestations.fetchFromGithub(target.reference);
  const load = await reload(s, target.reference);
  report(s, target.reference, load, 'github-api', `GitHub (${scope.repository ?? scope.owner})`);
  return load.status === 'loaded' ? load.graph.artifacts.filter((a) => a.format === 'github-api').length : undefined;
}
