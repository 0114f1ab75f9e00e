// Asks for an image reference: a quick pick that offers the workspace's images first (goreleaser
// configs, added, checked), then the history, and accepts anything typed once it parses. The
// parse error shows inline, on the typed row, as the user types.
import * as vscode from 'vscode';
import { normalizeReference } from '../releases/image-list';
import type { LensServices } from './context';

interface Row extends vscode.QuickPickItem {
  readonly reference?: string;
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
    return { label: value.trim(), description: reference !== value.trim() ? reference : undefined, detail: '$(arrow-right) Use this reference', reference, alwaysShow: true };
  } catch (e) {
    return { label: value.trim(), detail: `$(error) ${e instanceof Error ? e.message : String(e)}`, alwaysShow: true };
  }
}

export async function pickReference(s: LensServices, options: PickOptions): Promise<string | undefined> {
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
  const update = () => {
    const value = pick.value.trim();
    const exact = fixed.some((r) => r.reference !== undefined && r.label === value);
    pick.items = value && !exact ? [typedRow(value), ...fixed] : fixed;
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
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen?.reference) finish(chosen.reference);
        // An invalid typed reference: the error is on its row; the picker stays open.
      }),
      pick.onDidHide(() => finish(undefined)),
    );
    pick.show();
  });
}
