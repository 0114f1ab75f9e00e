// Where "Verify image" (and the tree's Verify) lands: the image's result.
import * as vscode from 'vscode';
import { imageVerdict } from '../releases/verdict';
import type { ImageLoad } from '../releases/types';
import { verificationReasons } from '../releases/verification';
import { failureTitle, shortDigest, verdictText } from '../views/labels';
import type { LensServices } from './context';
import { CommandIds } from './ids';
import type { Target } from './targets';

/** Selects the image in the Releases view (expanding its release), without taking focus. */
export async function revealImage(s: LensServices, reference: string): Promise<boolean> {
  const node = s.tree.findImage(reference);
  if (!node) return false;
  try {
    await s.view.reveal(node, { select: true, focus: false, expand: true });
    return true;
  } catch (e) {
    s.log.logger.debug(`Could not reveal ${reference}: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
}

function sayVerdict(s: LensServices, target: Target, load: ImageLoad): void {
  if (load.status === 'failed') {
    const signIn = load.failure.code === 'UNAUTHORIZED' && load.failure.registry;
    const action = signIn ? 'Sign in' : 'Open log';
    void vscode.window.showErrorMessage(`${target.reference}: ${failureTitle(load.failure)}. ${load.failure.message}`, action).then((choice) => {
      if (choice === 'Sign in') void vscode.commands.executeCommand(CommandIds.signIn, load.failure.registry);
      if (choice === 'Open log') s.log.show();
    });
    return;
  }
  if (load.status !== 'loaded') return;
  const verdict = imageVerdict(load.graph, load.verification);
  const reasons = load.verification ? verificationReasons(load.verification).slice(0, 2).join(' ') : '';
  const failure = load.verificationFailure ? ` Verification could not run: ${load.verificationFailure.message}` : '';
  const text = `${target.reference} (${shortDigest(load.graph.digest)}, ${load.graph.platforms.length} platform${load.graph.platforms.length === 1 ? '' : 's'}): ${verdictText(verdict)}.${reasons ? ` ${reasons}` : ''}${failure}`;
  const show = verdict.state === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(text, 'Copy digest', 'Show provenance').then((choice) => {
    if (choice === 'Copy digest') void vscode.commands.executeCommand(CommandIds.copyDigest, target.reference);
    if (choice === 'Show provenance') void vscode.commands.executeCommand(CommandIds.showProvenance, target.reference);
  });
}

/**
 * THE single call site of the image webview (issue 4 §4).
 * When src/panel/image-panel.ts is in the build, this becomes:
 *   showImagePanel(s.context, target.reference, panelDeps(s), target.platform ? { platform: target.platform } : {});
 * Until then the result is the image's node, revealed in the Releases view, and the verdict in a notification.
 */
export async function openResult(s: LensServices, target: Target, load: ImageLoad): Promise<void> {
  await revealImage(s, target.reference);
  sayVerdict(s, target, load);
}
