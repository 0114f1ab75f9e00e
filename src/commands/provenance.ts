// "Show provenance": the image panel on one platform, whose provenance it reads from every format
// it can be in and normalises (src/provenance). Not verified: the panel says which parts are.
import * as vscode from 'vscode';
import type { PlatformEntry } from '../model/image-graph';
import { showImagePanel } from '../panel/image-panel';
import type { LensServices } from './context';
import { loadWithProgress } from './verify';
import { resolveTarget } from './targets';
import type { VerifyDeps } from './verify';
import type { TargetsDeps } from './targets';

/** What these commands use of the services (src/commands/context.ts). */
export type ProvenanceDeps = Pick<LensServices, 'context' | 'panel' | 'settings'> & VerifyDeps & TargetsDeps;

/** One platform: the target's, else the default platform setting, else the only one, else asked. */
async function choosePlatform(s: ProvenanceDeps, platforms: readonly PlatformEntry[], wanted: string | undefined): Promise<PlatformEntry | undefined> {
  if (wanted) return platforms.find((p) => p.digest === wanted);
  if (platforms.length <= 1) return platforms[0];
  const preferred = s.settings().defaultPlatform;
  const match = platforms.find((p) => p.platform === preferred);
  if (match) return match;
  const chosen = await vscode.window.showQuickPick(
    platforms.map((p) => ({ label: p.platform, description: p.digest, platform: p })),
    {
      title: 'Show provenance: which platform?',
      placeHolder: 'Set provenanceLens.defaultPlatform to skip this question',
    },
  );
  return chosen?.platform;
}

/** Opens the image panel on the platform's provenance; returns the platform's digest. */
export async function showProvenance(s: ProvenanceDeps, arg?: unknown): Promise<string | undefined> {
  const target = await resolveTarget(s, arg, 'Provenance Lens: Show Provenance');
  if (!target) return undefined;
  const load = await loadWithProgress(s, target, `Reading ${target.reference}`, false);
  if (load.status === 'failed') {
    void vscode.window.showErrorMessage(`${target.reference}: ${load.failure.message}`);
    return undefined;
  }
  if (load.status !== 'loaded') return undefined;
  const platform = await choosePlatform(s, load.graph.platforms, target.platform);
  if (!platform) return undefined;
  showImagePanel(s.context, target.reference, s.panel, { platform: platform.digest });
  return platform.digest;
}
