// A status bar item with the verdict of the release in view: the release of the selected node,
// else the first one. Clicking it shows the Releases view.
import * as vscode from 'vscode';
import type { ReleaseService } from '../releases/release-service';
import { ViewIds } from '../host/ids';
import type { TreeNode } from './nodes';
import type { ReleaseTree } from './release-tree';
import { releaseTitle, verdictIcon, verdictText } from './labels';

export class ReleaseStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('provenanceLens.release', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private releaseId: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly service: ReleaseService, private readonly tree: ReleaseTree, view: vscode.TreeView<TreeNode>) {
    this.item.name = 'Provenance Lens: release verdict';
    this.item.command = `${ViewIds.releases}.focus`;
    const stop = service.onDidChange(() => this.schedule());
    this.disposables.push(this.item, { dispose: stop }, view.onDidChangeSelection((e) => {
      this.releaseId = tree.releaseOf(e.selection[0]) ?? this.releaseId;
      this.update();
    }));
    this.update();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 200);
  }

  /** Text of the item now (tests). */
  get text(): string {
    return this.item.text;
  }

  update(): void {
    const release = (this.releaseId ? this.service.release(this.releaseId) : undefined) ?? this.service.releases.find((r) => r.images.length > 0);
    if (!release) {
      this.item.hide();
      return;
    }
    const s = this.tree.summary(release.id);
    const name = `${releaseTitle(release)}${release.tag ? ` ${release.tag}` : ''}`;
    if (s.loading > 0 && !s.worst) {
      this.item.text = `$(loading~spin) ${name}`;
    } else if (s.idle > 0 && !s.worst && !s.failed) {
      // Nothing is fetched until the view (or a command) asks: say so rather than spin.
      this.item.text = `$(package) ${name}: not checked yet`;
    } else if (s.worst) {
      // An image that could not be read is not "fine": the worst verdict alone would hide it.
      this.item.text = `$(${verdictIcon(s.worst).id}) ${name}: ${verdictText(s.worst)}${s.failed ? ` · ${s.failed} unreadable` : ''}`;
    } else if (s.failed) {
      this.item.text = `$(warning) ${name}: could not be read`;
    } else {
      this.item.text = `$(question) ${name}: ${s.unresolved ? 'references unresolved' : 'no image'}`;
    }
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendText(`${name}: ${s.images} image(s)`);
    for (const [state, n] of Object.entries(s.counts)) md.appendText(`\n- ${n} ${state}`);
    if (s.loading) md.appendText(`\n- ${s.loading} loading`);
    if (s.failed) md.appendText(`\n- ${s.failed} could not be read`);
    if (s.unresolved) md.appendText(`\n- ${s.unresolved} unresolved`);
    this.item.tooltip = md;
    this.item.backgroundColor = s.worst?.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
