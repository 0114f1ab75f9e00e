// The workspace's files that may name images, fed to the references index
// (src/references/workspace-index.ts): found with `workspace.findFiles` once activation is over,
// then followed with a file watcher. A `.env` or Chart.yaml that changes has the files beside it
// read again. Only local files are read (the index reads through Node's file system).
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import type { WorkspaceReferenceIndex } from '../references/workspace-index';

/** Dockerfiles and Containerfiles by name, and every YAML file (Kubernetes manifests are known by their content). */
export const REFERENCE_FILES_GLOB = '**/{Dockerfile,Dockerfile.*,*.dockerfile,*.Dockerfile,Containerfile,Containerfile.*,*.containerfile,*.yaml,*.yml}';
const BESIDE_GLOB = '**/{.env,Chart.yaml}';
/** Dependencies and version control name images that are not the project's own. */
const EXCLUDE = '**/{node_modules,vendor,.git}/**';
const MAX_FILES = 20_000;

/** Finds the files that may name images and follows their changes, feeding the references index. */
export class ReferenceFileWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly controller = new AbortController();

  constructor(
    private readonly index: WorkspaceReferenceIndex,
    private readonly log: (m: string) => void,
  ) {}

  /** Finds and reads the files, then follows changes. Never awaited by activation. */
  async start(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(REFERENCE_FILES_GLOB);
    const beside = vscode.workspace.createFileSystemWatcher(BESIDE_GLOB);
    const read = (uri: vscode.Uri) => {
      if (uri.scheme === 'file' && !/[\\/](?:node_modules|vendor|\.git)[\\/]/.test(uri.fsPath)) void this.index.add([uri.fsPath], this.controller.signal);
    };
    const besideChanged = (uri: vscode.Uri) => {
      this.index.besideChanged(uri.fsPath);
      const folder = dirname(uri.fsPath);
      void this.index.add(
        this.index
          .list()
          .filter((f) => dirname(f.file) === folder)
          .map((f) => f.file),
        this.controller.signal,
      );
    };
    this.disposables.push(
      watcher,
      beside,
      watcher.onDidCreate(read),
      watcher.onDidChange(read),
      watcher.onDidDelete((uri) => this.index.remove(uri.fsPath)),
      beside.onDidCreate(besideChanged),
      beside.onDidChange(besideChanged),
      beside.onDidDelete(besideChanged),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scan()),
    );
    await this.scan();
  }

  private async scan(): Promise<void> {
    const started = performance.now();
    const uris = await vscode.workspace.findFiles(REFERENCE_FILES_GLOB, EXCLUDE, MAX_FILES);
    const files = uris
      .filter((u) => u.scheme === 'file')
      .map((u) => u.fsPath)
      .sort();
    const found = new Set(files);
    for (const f of this.index.list()) if (!found.has(f.file)) this.index.remove(f.file);
    await this.index.add(files, this.controller.signal);
    this.log(`Workspace images: ${this.index.size} of ${files.length} files name images (read in ${Math.round(performance.now() - started)} ms).`);
  }

  dispose(): void {
    this.controller.abort();
    this.disposables.forEach((d) => d.dispose());
  }
}
