// Quick fixes on image references outside GoReleaser configs. On a Problems entry of an image:
// the goreleaser entries' fixes (pin the signer seen in the policy, an exception, the image panel;
// src/hovers/code-actions.ts). On any reference the cursor is on: pin it by the digest the
// registry gave (src/fixes/pin-digest.ts): at once when the image is verified under a policy that
// names it, else through a command that reads it first if needed and asks, saying why. On a digest
// drift: pin again to what the tag points to now, under the same rule.
import * as vscode from 'vscode';
import { pinEdit, tagOf } from '../fixes/pin-digest';
import { serviceReference } from '../releases/image-list';
import { shortName, imageFixes } from './code-actions';
import type { GoreleaserFeatureDeps } from './deps';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { unverifiedReason } from './pin-words';
import { shortDigest } from '../registry/digest';
import { DRIFT_CODE, siteVerdictDiagnostics } from './reference-diagnostics';
import type { ReferenceDocuments, ReferenceModel } from './reference-documents';
import { siteReference } from './reference-documents';
import type { SiteDrift } from './reference-drift';
import type { ReferenceSite } from '../references/types';

export const PIN_DIGEST_COMMAND = 'provenanceLens.pinDigest';
/** A digest that only tells whether a site can be pinned at all. */
const PROBE = `sha256:${'0'.repeat(64)}`;

function action(title: string, diagnostics: vscode.Diagnostic[], preferred = false): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  if (diagnostics.length) a.diagnostics = diagnostics;
  if (preferred) a.isPreferred = true;
  return a;
}

function rangeOf(document: vscode.TextDocument, site: Pick<ReferenceSite, 'start' | 'end'>): vscode.Range {
  return new vscode.Range(document.positionAt(site.start), document.positionAt(site.end));
}

export class ReferenceCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly documents: ReferenceDocuments,
    private readonly deps: GoreleaserFeatureDeps,
    private readonly coverage: (reference: string) => boolean | undefined,
    private readonly drift: SiteDrift,
  ) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const model = await this.documents.model(document);
    if (!model) return [];
    const out: vscode.CodeAction[] = [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const images = siteVerdictDiagnostics(model, (r) => this.deps.service.peek(r), this.coverage);
    for (const diagnostic of ours) {
      const image = images.find((d) => d.code === diagnostic.code && d.message === diagnostic.message && rangeOf(document, d.range).isEqual(diagnostic.range));
      if (image) out.push(...imageFixes(document, diagnostic, image, vscode.workspace.isTrusted));
    }
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    for (const site of model.sites.filter((s) => s.start <= end && start <= s.end)) {
      const drift = ours.filter((d) => d.code === DRIFT_CODE && rangeOf(document, site).isEqual(d.range));
      out.push(...this.pinActions(document, model, site, drift));
    }
    return out;
  }

  /** Pin by the digest of the image (or, on a drifted pin, of what its tag points to now). */
  private pinActions(document: vscode.TextDocument, model: ReferenceModel, site: ReferenceSite, drift: vscode.Diagnostic[]): vscode.CodeAction[] {
    const reference = siteReference(site);
    if (reference === null || site.reference === null || pinEdit(model.kind, site, PROBE, model.text) === undefined) return [];
    const pinned = site.reference.includes('@');
    // A pin that holds is left alone; a drifted one is pinned again to what its tag points to now.
    if (pinned && drift.length === 0) return [];
    const from = pinned ? serviceReference({ reference: tagOf(site.reference) ?? null }) : reference;
    if (from === null) return [];
    const name = shortName(from);
    const load = this.deps.service.peek(from);
    const command = (title: string): vscode.Command => ({ title, command: PIN_DIGEST_COMMAND, arguments: [document.uri.toString(), site.start, from] });
    if (load.status !== 'loaded') {
      const a = action(`Verify ${name} and pin its digest…`, drift);
      a.command = command('Verify and pin');
      return [a];
    }
    const digest = load.graph.digest;
    const why = unverifiedReason(load, this.coverage(from));
    if (why === undefined) {
      const edit = pinEdit(model.kind, site, digest, model.text)!;
      const a = action(`Pin ${name} to its verified digest ${shortDigest(digest, 12)}…`, drift, true);
      a.edit = new vscode.WorkspaceEdit();
      a.edit.replace(document.uri, rangeOf(document, edit), edit.text);
      return [a];
    }
    const a = action(`Pin ${name} to ${shortDigest(digest, 12)}… (not verified)…`, drift);
    a.command = command('Pin');
    return [a];
  }
}

/**
 * The pin command: reads the image if needed (with a progress notification), pins at once when it
 * is verified under a policy that names it, else asks first and says why.
 */
export function registerPinDigest(
  documents: ReferenceDocuments,
  deps: GoreleaserFeatureDeps,
  coverage: (reference: string) => boolean | undefined,
): vscode.Disposable {
  return vscode.commands.registerCommand(PIN_DIGEST_COMMAND, async (uri: string, siteStart: number, from: string) => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const version = document.version;
    const load = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${from}…`, cancellable: true },
      (_p, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return deps.service.ensure(from, controller.signal);
      },
    );
    if (load.status === 'idle' || load.status === 'loading') return false;
    if (load.status === 'failed') {
      void vscode.window.showErrorMessage(`${from} could not be read, so there is no digest to pin: ${load.failure.message}`);
      return false;
    }
    const why = unverifiedReason(load, coverage(from));
    const digest = load.graph.digest;
    if (why !== undefined) {
      const answer = await vscode.window.showWarningMessage(
        `${from} is not verified: ${why.replace(/\.$/, '')}.`,
        { modal: true, detail: `Pin ${digest} anyway? A digest fixes which bytes are pulled; it does not say they are the ones your policy trusts.` },
        'Pin Anyway',
      );
      if (answer !== 'Pin Anyway') return false;
    }
    const model = await documents.model(document);
    const site = model?.sites.find((s) => s.start === siteStart);
    const edit = model && site ? pinEdit(model.kind, site, digest, model.text) : undefined;
    if (!edit || document.version !== version) {
      void vscode.window.showWarningMessage('The reference changed while it was read; run the fix again.');
      return false;
    }
    const change = new vscode.WorkspaceEdit();
    change.replace(document.uri, rangeOf(document, edit), edit.text);
    return vscode.workspace.applyEdit(change);
  });
}
