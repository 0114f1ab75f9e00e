// The goreleaser features of the editor: hovers, CodeLenses, document links,
// diagnostics and their quick fixes over .goreleaser.yaml files, all thin glue over the pure
// engine (src/goreleaser) and the release service's shared image loads.
import * as vscode from 'vscode';
import { registerPolicyFixCommands } from '../commands/policy-fixes';
import { GoreleaserCodeActions } from './code-actions';
import { GoreleaserCodeLensProvider } from './codelens';
import { registerGoreleaserCommands } from './commands';
import type { GoreleaserFeatureDeps } from './deps';
import { GoreleaserDiagnostics } from './diagnostics';
import { GORELEASER_SELECTOR, GoreleaserDocuments } from './documents';
import { GoreleaserHoverProvider } from './hover';
import { GoreleaserLinkProvider } from './links';
import { timedHover } from '../host/timed';

export type { GoreleaserFeatureDeps } from './deps';

/** Registers everything; the disposables go to `context.subscriptions`. */
export function registerGoreleaserFeatures(context: vscode.ExtensionContext, deps: GoreleaserFeatureDeps): void {
  const documents = new GoreleaserDocuments(deps);
  const lenses = new GoreleaserCodeLensProvider(documents, deps);
  const diagnostics = new GoreleaserDiagnostics(documents, deps);
  context.subscriptions.push(
    documents,
    lenses,
    diagnostics,
    vscode.languages.registerHoverProvider(GORELEASER_SELECTOR, timedHover(new GoreleaserHoverProvider(documents, deps), deps.log.logger)),
    vscode.languages.registerCodeLensProvider(GORELEASER_SELECTOR, lenses),
    vscode.languages.registerDocumentLinkProvider(GORELEASER_SELECTOR, new GoreleaserLinkProvider(documents)),
    vscode.languages.registerCodeActionsProvider(GORELEASER_SELECTOR, new GoreleaserCodeActions(documents, deps), GoreleaserCodeActions.metadata),
    ...registerGoreleaserCommands(deps),
    ...registerPolicyFixCommands(),
  );
}
