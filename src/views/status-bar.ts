// A status bar item with the verdict of the workspace's release: the goreleaser release of the
// selected node, else the first one. Images added by hand or checked this session never take it
// over (one failed lookup would otherwise stand for the workspace); with no goreleaser release
// it shows the added images. Clicking it shows the Releases view.
import * as vscode from 'vscode';
import type { ReleaseService } from '../releases/release-service';
import { ViewIds } from '../host/ids';
import type { TreeNode } from './nodes';
import type { ReleaseTree } from './release-tree';
import { releaseTitle } from './labels';
import { releaseName, releaseStatusText, releaseStatusTooltip, statusRelease } from './verdict-text';

export class ReleaseStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('provenanceLens.release', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];
  private releaseId: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: ReleaseService,
    private readonly tree: ReleaseTree,
    view: vscode.TreeView<TreeNode>,
  ) {
    this.item.name = 'Provenance Lens: release verdict';
    this.item.command = `${ViewIds.releases}.focus`;
    const stop = service.onDidChange(() => this.schedule());
    this.disposables.push(
      this.item,
      { dispose: stop },
      view.onDidChangeSelection((e) => {
        const selected = tree.releaseOf(e.selection[0]);
        if (selected !== undefined && this.service.release(selected)?.origin === 'goreleaser') this.releaseId = selected;
        this.update();
      }),
    );
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
    const release = (this.releaseId ? this.service.release(this.releaseId) : undefined) ?? statusRelease(this.service.releases);
    if (!release) {
      this.item.hide();
      return;
    }
    const s = this.tree.summary(release.id);
    const name = releaseName(releaseTitle(release), release);
    this.item.text = releaseStatusText(name, s);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendText(releaseStatusTooltip(name, s));
    this.item.tooltip = md;
    this.item.backgroundColor = s.worst?.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
