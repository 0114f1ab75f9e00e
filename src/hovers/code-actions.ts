// Quick fixes on the Problems entries of goreleaser files (diagnostics.ts). An image whose
// signer is not the one expected, or not pinned: pin the signer seen in the policy (one fix per
// signer). An unsigned image: state an exception, with a reason. Any image entry: show it in the
// image panel. A template waiting for `{{ .Env.NAME }}`: give NAME a value in
// provenanceLens.goreleaser.env. The policy fixes only propose an edit the user confirms
// (src/commands/policy-fixes.ts); in Restricted Mode they are offered disabled, saying why.
import * as vscode from 'vscode';
import type { Cause, Signer } from '../model/cause';
import type { ImageVerdictDiagnostic } from '../fixes/image-diagnostics';
import type { SourceRange } from '../goreleaser/types';
import { PolicyFixCommandIds, RESTRICTED_FIX } from '../commands/policy-fixes';
import type { PolicyFixTarget } from '../commands/policy-fixes';
import { OPEN_IMAGE_PANEL_COMMAND } from '../panel/image-panel';
import { shortName, signerWords } from './pin-words';
import type { GoreleaserFeatureDeps } from './deps';
import { GoreleaserCommandIds } from './deps';
import { DIAGNOSTIC_SOURCE, imageDiagnostics } from './diagnostics';
import type { GoreleaserDocuments } from './documents';
import type { GoreleaserModel } from './release-context';

const PINNABLE: ReadonlySet<Cause['code']> = new Set(['IDENTITY_MISMATCH', 'ISSUER_MISMATCH', 'UNPINNED']);
const MAX_SIGNERS = 3;

export { shortName } from './pin-words';

/** The distinct signers the causes name as seen, keys left out (they are pinned with their file). */
export function signersToPin(causes: readonly Cause[]): Signer[] {
  const out = new Map<string, Signer>();
  for (const c of causes) {
    if (!PINNABLE.has(c.code)) continue;
    for (const s of c.seen ?? []) if ('identity' in s) out.set(`${s.identity}\0${s.issuer ?? ''}`, s);
  }
  return [...out.values()].slice(0, MAX_SIGNERS);
}

function sameRange(d: vscode.Diagnostic, document: vscode.TextDocument, r: SourceRange): boolean {
  return document.offsetAt(d.range.start) === r.start && document.offsetAt(d.range.end) === r.end;
}

function fix(title: string, diagnostic: vscode.Diagnostic, command: vscode.Command, preferred = false): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.command = command;
  if (preferred) action.isPreferred = true;
  return action;
}

export function imageFixes(
  document: vscode.TextDocument,
  diagnostic: vscode.Diagnostic,
  d: ImageVerdictDiagnostic<unknown>,
  trusted: boolean,
): vscode.CodeAction[] {
  const target: PolicyFixTarget = { reference: d.reference, file: document.uri.toString() };
  const name = shortName(d.reference);
  const out: vscode.CodeAction[] = [];
  const signers = signersToPin(d.causes);
  for (const s of signers) {
    out.push(
      fix(
        `Pin ${signerWords(s)} as the signer of ${name} in the policy…`,
        diagnostic,
        { title: 'Pin signer', command: PolicyFixCommandIds.pinSigner, arguments: [target, s] },
        signers.length === 1,
      ),
    );
  }
  if (d.state === 'unsigned') {
    out.push(
      fix(`Add an exception for ${name} to the policy, with a reason…`, diagnostic, {
        title: 'Add exception',
        command: PolicyFixCommandIds.addException,
        arguments: [target],
      }),
    );
  }
  if (!trusted) for (const a of out) a.disabled = { reason: RESTRICTED_FIX };
  const platform = d.causes.find((c) => c.digest !== undefined && c.platform !== undefined && c.platform !== 'index')?.digest;
  out.push(
    fix(`Show ${name} in the image panel`, diagnostic, {
      title: 'Show',
      command: OPEN_IMAGE_PANEL_COMMAND,
      arguments: [d.reference, ...(platform ? [platform] : [])],
    }),
  );
  return out;
}

/** `.Env.NAME` → `NAME`; other variables have no setting. */
function envNames(variables: readonly string[]): string[] {
  return variables.flatMap((v) => /^\.Env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(v)?.[1] ?? []).filter((v, i, all) => all.indexOf(v) === i);
}

function envFixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, model: GoreleaserModel): vscode.CodeAction[] {
  const source = [...model.analysis.diagnostics, ...model.release.diagnostics].find(
    (x) => x.code === diagnostic.code && sameRange(diagnostic, document, x.range),
  );
  return envNames(source?.variables ?? []).map((name) =>
    fix(
      `Set ${name} in provenanceLens.goreleaser.env…`,
      diagnostic,
      { title: 'Set value', command: GoreleaserCommandIds.setEnv, arguments: [name, document.uri.toString()] },
      true,
    ),
  );
}

export class GoreleaserCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly documents: GoreleaserDocuments,
    private readonly deps: GoreleaserFeatureDeps,
  ) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const model = await this.documents.model(document);
    if (!model) return [];
    const images = imageDiagnostics(model, this.deps.service);
    return ours.flatMap((diagnostic) => {
      if (diagnostic.code === 'template-unresolved') return envFixes(document, diagnostic, model);
      const image = images.find((d) => d.code === diagnostic.code && d.message === diagnostic.message && sameRange(diagnostic, document, d.range));
      return image ? imageFixes(document, diagnostic, image, vscode.workspace.isTrusted) : [];
    });
  }
}
