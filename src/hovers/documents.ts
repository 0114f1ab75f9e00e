// The open goreleaser files as models: parsed and rendered once per document version and set of
// values (settings, picked tag, git facts), shared by the hover, lens, link and diagnostics
// providers. Git runs only in a trusted workspace, on local files, with a timeout.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { GORELEASER_GLOB } from '../goreleaser/file-names';
import type { GitFacts } from '../goreleaser/git-context';
import { readGitFacts } from '../goreleaser/git-context';
import { moduleBeside } from '../goreleaser/go-module';
import { goreleaserEnv } from '../host/config';
import type { GoreleaserFeatureDeps } from './deps';
import type { GoreleaserModel } from './release-context';
import { buildModel } from './release-context';

export const GORELEASER_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: GORELEASER_GLOB },
  { scheme: 'untitled', pattern: GORELEASER_GLOB },
];

const MAX_CHARS = 1024 * 1024;

export function isGoreleaserDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(GORELEASER_SELECTOR, document) > 0;
}

interface Cached {
  readonly version: number;
  readonly generation: number;
  readonly model: Promise<GoreleaserModel | undefined>;
}

export class GoreleaserDocuments implements vscode.Disposable {
  private readonly cache = new Map<string, Cached>();
  private readonly git = new Map<string, Promise<GitFacts>>();
  private generation = 0;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The values changed (settings, a picked tag, the release list): every model is stale. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly deps: GoreleaserFeatureDeps) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('provenanceLens.goreleaser')) this.invalidate(false);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate(true)),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
    );
    // A reload of the releases follows a file change or a tag the user picked (Switch tag…).
    const stop = deps.service.onDidChange((e) => {
      if (e.kind === 'releases') this.invalidate(true);
    });
    this.disposables.push({ dispose: stop });
  }

  /** The model of a goreleaser document (undefined when it is too large to read). */
  model(document: vscode.TextDocument): Promise<GoreleaserModel | undefined> {
    const key = document.uri.toString();
    const known = this.cache.get(key);
    if (known && known.version === document.version && known.generation === this.generation) return known.model;
    const model = this.build(document);
    this.cache.set(key, { version: document.version, generation: this.generation, model });
    return model;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.cache.clear();
  }

  private invalidate(git: boolean): void {
    this.generation++;
    if (git) this.git.clear();
    this.emitter.fire();
  }

  private async build(document: vscode.TextDocument): Promise<GoreleaserModel | undefined> {
    const text = document.getText();
    if (text.length > MAX_CHARS) {
      this.deps.log.logger.warn(`${document.uri.fsPath} is larger than ${MAX_CHARS} characters; no hovers or lenses for it.`);
      return undefined;
    }
    const file = document.uri.fsPath;
    const [git, modulePath] = await Promise.all([this.gitFacts(document.uri), document.uri.scheme === 'file' ? moduleBeside(file) : undefined]);
    const picked = document.uri.scheme === 'untitled' ? undefined : this.deps.state.releaseTag(file);
    // The setting as it applies to this file: its folder's value in a multi-root workspace; the
    // go.mod beside it for ko's image names, as the CLI's `release` reads it.
    return buildModel(text, {
      file,
      env: goreleaserEnv(document.uri),
      git,
      ...(picked !== undefined ? { picked } : {}),
      ...(modulePath !== undefined ? { modulePath } : {}),
    });
  }

  /** Git facts of the file's folder; none in an untrusted workspace or for a non-local file. */
  private gitFacts(uri: vscode.Uri): Promise<GitFacts> {
    if (!vscode.workspace.isTrusted || uri.scheme !== 'file') return Promise.resolve({});
    const dir = dirname(uri.fsPath);
    let facts = this.git.get(dir);
    if (!facts) {
      facts = readGitFacts(dir, { timeoutMs: 3000 });
      this.git.set(dir, facts);
    }
    return facts;
  }
}
