// Where the releases of the tree come from: the workspace's goreleaser files (one release per
// config, rendered for its tag), the images the user added (workspaceState) and the images
// checked this session. Re-read when a goreleaser file, the settings or the lists change.
import * as vscode from 'vscode';
import type { Release } from '../releases/types';
import type { LensSettings } from './config';
import { GORELEASER_GLOB } from '../goreleaser/file-names';
import type { ExtensionState } from './state';

export class ReleaseSources implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The workspace's image references as a release (src/hovers/workspace.ts sets it once files are read). */
  private workspace: () => Release | undefined = () => undefined;

  constructor(
    private readonly state: ExtensionState,
    private readonly settings: () => LensSettings,
    private readonly log: (m: string) => void,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(GORELEASER_GLOB);
    const changed = () => this.changed();
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed), this.emitter);
  }

  /** Announces a change, once per burst (a save touches a file several times). */
  changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, 200);
  }

  /** Where the "Workspace images" release comes from; announces a change. */
  setWorkspace(release: () => Release | undefined): void {
    this.workspace = release;
    this.changed();
  }

  /** Every release, goreleaser configs first, then the workspace's images, then those added and checked. */
  async releases(): Promise<Release[]> {
    const out: Release[] = [];
    try {
      // The goreleaser parser (and `yaml`) load only when there is something to parse.
      const { goreleaserReleases } = await import('./goreleaser-files.js');
      out.push(...(await goreleaserReleases(this.state, this.settings(), this.log)));
    } catch (e) {
      this.log(`Reading the goreleaser files failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const workspace = this.workspace();
    if (workspace) out.push(workspace);
    const user = this.state.userImages.read();
    if (user.length) out.push({ id: 'user', origin: 'user', name: '', images: user.map((reference) => ({ reference })) });
    const listed = new Set(out.flatMap((r) => r.images.map((i) => i.reference)));
    const session = this.state.sessionImages.read().filter((r) => !listed.has(r));
    if (session.length) out.push({ id: 'session', origin: 'session', name: '', images: session.map((reference) => ({ reference })) });
    return out;
  }

  /** References of every image the workspace knows (goreleaser, added, checked), for pickers. */
  async knownImages(): Promise<{ reference: string; from: string }[]> {
    const out: { reference: string; from: string }[] = [];
    for (const r of await this.releases()) {
      for (const i of r.images) {
        if (i.reference !== null && !out.some((o) => o.reference === i.reference)) {
          const file = r.file ?? i.file;
          out.push({
            reference: i.reference,
            from:
              r.origin === 'goreleaser' || r.origin === 'workspace'
                ? `${file ? vscode.workspace.asRelativePath(file) : 'goreleaser'}${r.origin === 'workspace' && i.line ? `:${i.line}` : ''}${i.origin ? ` ${i.origin}` : ''}`
                : r.origin === 'user'
                  ? 'added to the release view'
                  : 'checked this session',
          });
        }
      }
    }
    return out;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
