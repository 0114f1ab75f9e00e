// Asks for an image reference: a quick pick that offers the workspace's images first (goreleaser
// configs, added, checked), then the history, and accepts anything typed once it parses. The
// parse error shows inline, on the typed row, as the user types.
import * as vscode from 'vscode';
import { normalizeReference } from '../releases/image-list';
import type { LensServices } from './context';

/** What these commands use of the services (src/commands/context.ts). */
export type ReferencePickerDeps = Pick<LensServices, 'sources' | 'state'>;

interface Row extends vscode.QuickPickItem {
  readonly reference?: string | undefined;
}

export interface PickOptions {
  readonly title: string;
  readonly placeholder?: string;
  /** Prefilled text (e.g. the reference under the cursor). */
  readonly value?: string;
}

function typedRow(value: string): Row {
  try {
    const reference = normalizeReference(value);
    return {
      label: value.trim(),
      ...(reference !== value.trim() ? { description: reference } : {}),
      detail: '$(arrow-right) Use this reference',
      reference,
      alwaysShow: true,
    };
  } catch (e) {
    // The parser's message repeats the input; the row already shows it.
    const why = (e instanceof Error ? e.message : String(e))
      .replace(/^Invalid image reference "(?:[^"\\]|\\.)*"\s*/, '')
      .replace(/^\(at character (\d+)\):\s*/, 'At character $1: ');
    return { label: value.trim(), detail: `$(error) ${why}`, alwaysShow: true };
  }
}

/**
 * What Enter means. The active row, when it shows the text typed (or nothing is typed: the user
 * browsed the list); else the typed text itself when it parses. The active row can be stale when
 * Enter follows fast typing (the list is filtered before the new rows arrive), so a row that does
 * not contain the text never wins over a valid typed reference. `null`: stay open.
 */
function accepted(value: string, active: Row | undefined): string | null {
  if (active?.reference && (value === '' || active.label.toLowerCase().includes(value.toLowerCase()))) return active.reference;
  if (!value) return null;
  try {
    return normalizeReference(value);
  } catch {
    return null; // the error is on the typed row; the picker stays open
  }
}

export async function pickReference(s: ReferencePickerDeps, options: PickOptions): Promise<string | undefined> {
  const known = await s.sources.knownImages();
  const history = s.state.history().filter((h) => !known.some((k) => k.reference === h));
  const fixed: Row[] = [];
  if (known.length) fixed.push({ label: 'In this workspace', kind: vscode.QuickPickItemKind.Separator });
  fixed.push(...known.map((k) => ({ label: k.reference, description: k.from, reference: k.reference })));
  if (history.length) fixed.push({ label: 'Recently used', kind: vscode.QuickPickItemKind.Separator });
  fixed.push(...history.map((h) => ({ label: h, description: 'history', reference: h })));

  const pick = vscode.window.createQuickPick<Row>();
  pick.title = options.title;
  pick.placeholder = options.placeholder ?? 'registry/repository:tag or @sha256:…, e.g. ghcr.io/org/app:v1.2.3';
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  // What is typed comes first, as in an input box: Enter uses the text in the box (the list is
  // there to click). Its row carries the parse error while the text is not a reference.
  const update = () => {
    const value = pick.value.trim();
    pick.items = value ? [typedRow(value), ...fixed.filter((r) => r.label !== value)] : fixed;
  };
  pick.value = options.value ?? '';
  update();
  return new Promise<string | undefined>((resolve) => {
    const disposables: vscode.Disposable[] = [];
    const finish = (result: string | undefined) => {
      disposables.forEach((d) => d.dispose());
      pick.dispose();
      resolve(result);
    };
    disposables.push(
      pick.onDidChangeValue(update),
      pick.onDidAccept(() => {
        const reference = accepted(pick.value.trim(), pick.activeItems[0]);
        if (reference !== null) finish(reference);
      }),
      pick.onDidHide(() => finish(undefined)),
    );
    pick.show();
  });
}
