// "Show provenance": the SLSA provenance of a platform (or of every platform), read from every
// format it can be in and normalised (src/provenance), opened as JSON. Not verified.
import * as vscode from 'vscode';
import { abortSignalOf } from '../host/cancellation';
import type { PlatformEntry } from '../registry/graph-types';
import type { LensServices } from './context';
import { loadWithProgress } from './verify';
import { resolveTarget } from './targets';

async function choosePlatforms(s: LensServices, platforms: readonly PlatformEntry[], wanted: string | undefined): Promise<readonly PlatformEntry[] | undefined> {
  if (wanted) return platforms.filter((p) => p.digest === wanted);
  if (platforms.length <= 1) return platforms;
  const preferred = s.settings().defaultPlatform;
  const items = [
    ...platforms.map((p) => ({ label: p.platform, description: p.digest, platforms: [p], picked: p.platform === preferred })),
    { label: 'All platforms', description: `${platforms.length} platforms`, platforms: [...platforms], picked: false },
  ].sort((a, b) => Number(b.picked) - Number(a.picked));
  const chosen = await vscode.window.showQuickPick(items, { title: 'Show provenance: which platform?', placeHolder: preferred ? `provenanceLens.defaultPlatform is ${preferred}` : 'Pick a platform' });
  return chosen?.platforms;
}

export async function showProvenance(s: LensServices, arg?: unknown): Promise<number | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Show provenance');
  if (!target) return undefined;
  const load = await loadWithProgress(s, target, `Reading ${target.reference}`, false);
  if (load.status === 'failed') {
    void vscode.window.showErrorMessage(`${target.reference}: ${load.failure.message}`);
    return undefined;
  }
  if (load.status !== 'loaded') return undefined;
  const platforms = await choosePlatforms(s, load.graph.platforms, target.platform);
  if (!platforms) return undefined;
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the provenance of ${target.reference}`, cancellable: true }, async (_p, token) => {
    const linked = abortSignalOf(token);
    try {
      return await s.engines.provenance(load.graph, platforms, linked.signal);
    } finally {
      linked.dispose();
    }
  });
  const found = report.platforms.reduce((n, p) => n + p.provenance.length, 0);
  if (found === 0) void vscode.window.showInformationMessage(`No SLSA provenance is attached to ${platforms.length === 1 ? platforms[0]!.platform : 'any platform'} of ${target.reference}.`);
  const name = `${target.reference}${platforms.length === 1 ? `-${platforms[0]!.platform}` : ''}`;
  await s.documents.show('provenance', name, report);
  return found;
}
