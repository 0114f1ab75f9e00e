// Where "Verify image" (and the tree's Verify) lands: the image's result.
import * as vscode from 'vscode';
import type { ImageLoad } from '../releases/types';
import { failureNotice } from '../views/labels';
import type { LensServices } from './context';
import { CommandIds } from '../host/ids';
import type { Target } from './targets';
import { showImagePanel } from '../panel/image-panel';

/** What these commands use of the services (src/commands/context.ts). */
export type OpenResultDeps = Pick<LensServices, 'context' | 'log' | 'panel' | 'tree' | 'view'>;

/** Selects the image in the Releases view (expanding its release), without taking focus. */
export async function revealImage(s: OpenResultDeps, reference: string): Promise<boolean> {
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

/** An image that could not be read: what happened, and the way out (sign in, or the log). */
function sayFailure(s: OpenResultDeps, target: Target, load: ImageLoad): void {
  if (load.status !== 'failed') return;
  const signIn = load.failure.code === 'UNAUTHORIZED' && load.failure.registry;
  const action = signIn ? 'Sign in' : 'Open log';
  // The failure is shown; when the log cannot be opened, there is nothing more to tell (the
  // sign-in command reports its own failures).
  void vscode.window.showErrorMessage(failureNotice(target.reference, load.failure), action).then(
    (choice) => {
      if (choice === 'Sign in') void vscode.commands.executeCommand(CommandIds.signIn, load.failure.registry);
      if (choice === 'Open log') s.log.show();
    },
    () => undefined,
  );
}

/**
 * Where a verification lands: the image panel (src/panel) with the verdict, the checks and the
 * provenance, the platform of the target selected; the image's node selected in the Releases
 * view. An image that could not be read at all gets a notification that says what to do instead.
 */
export async function openResult(s: OpenResultDeps, target: Target, load: ImageLoad): Promise<void> {
  await revealImage(s, target.reference);
  if (load.status !== 'loaded') {
    sayFailure(s, target, load);
    return;
  }
  showImagePanel(s.context, target.reference, s.panel, target.platform ? { platform: target.platform } : {});
}
