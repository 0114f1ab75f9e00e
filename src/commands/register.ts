// Registers every command of the manifest. Each handler's failure is shown once, as a sentence
// (scrubbed of secrets), and logged; a cancelled operation is silent.
import * as vscode from 'vscode';
import { secrets } from '../core/redact';
import { isAbort } from '../releases/failure';
import type { LensServices } from './context';
import { copyDigest, copyPinnedReference } from './copy';
import type { CommandId } from '../host/ids';
import { CommandIds } from '../host/ids';
import { compareWithPrevious, compareWithRelease } from './compare';
import { addImage, pickTag, refresh, removeImage, retry } from './images';
import { addAttestationFile, fetchGithubAttestations, removeAttestationFiles } from './attestations';
import { showProvenance } from './provenance';
import { signIn, signOut } from './sign-in';
import { inspectImage, verifyImage } from './verify';
import { openPolicy, runDemo } from './walkthrough';

type Handler = (s: LensServices, ...args: unknown[]) => unknown;

const HANDLERS: Record<Exclude<CommandId, 'provenanceLens.showVersion'>, Handler> = {
  [CommandIds.verifyImage]: (s, arg) => verifyImage(s, arg),
  [CommandIds.inspectImage]: (s, arg) => inspectImage(s, arg),
  [CommandIds.addImage]: (s, arg) => addImage(s, arg),
  [CommandIds.removeImage]: (s, arg) => removeImage(s, arg),
  [CommandIds.copyDigest]: (s, arg) => copyDigest(s, arg),
  [CommandIds.copyPinnedReference]: (s, arg) => copyPinnedReference(s, arg),
  [CommandIds.showProvenance]: (s, arg) => showProvenance(s, arg),
  [CommandIds.signIn]: (s, arg) => signIn(s, arg),
  [CommandIds.signOut]: (s, arg) => signOut(s, arg),
  [CommandIds.refresh]: (s) => refresh(s),
  [CommandIds.retry]: (s, arg) => retry(s, arg),
  [CommandIds.pickTag]: (s, arg) => pickTag(s, arg),
  [CommandIds.compareWithPrevious]: (s, arg) => compareWithPrevious(s, arg),
  [CommandIds.compareWithRelease]: (s, arg) => compareWithRelease(s, arg),
  [CommandIds.openLog]: (s) => s.log.show(),
  [CommandIds.openPolicy]: (s) => openPolicy(s),
  [CommandIds.runDemo]: () => runDemo(),
  [CommandIds.addAttestationFile]: (s, arg, files) =>
    addAttestationFile(s, arg, Array.isArray(files) ? files.filter((f): f is vscode.Uri => f instanceof vscode.Uri) : undefined),
  [CommandIds.removeAttestationFiles]: (s, arg) => removeAttestationFiles(s, arg),
  [CommandIds.fetchGithubAttestations]: (s, arg) => fetchGithubAttestations(s, arg),
};

export function registerCommands(services: () => LensServices): vscode.Disposable[] {
  return Object.entries(HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      const s = services();
      try {
        return await handler(s, ...args);
      } catch (e) {
        if (isAbort(e)) return undefined;
        const message = secrets.scrub(e instanceof Error ? e.message : String(e));
        s.log.logger.error(`${id} failed: ${message}`);
        // The error is shown; when the log cannot be opened, there is nothing more to tell.
        void vscode.window.showErrorMessage(message, 'Open log').then(
          (c) => c && s.log.show(),
          () => undefined,
        );
        return undefined;
      }
    }),
  );
}
