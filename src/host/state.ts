// What the extension remembers: the references typed in "Verify image" (globalState: they are
// the user's, across workspaces), the images added to this workspace's release view and the
// tag picked per goreleaser file (workspaceState), and the images checked this session (memory).
import type * as vscode from 'vscode';
import type { ImageListStore } from '../releases/image-list';

const HISTORY = 'provenanceLens.history';
const USER_IMAGES = 'provenanceLens.images';
const RELEASE_TAGS = 'provenanceLens.releaseTags';
const HISTORY_SIZE = 20;

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

class MementoList implements ImageListStore {
  constructor(private readonly memento: vscode.Memento, private readonly key: string) {}
  read(): readonly string[] {
    return stringList(this.memento.get(this.key));
  }
  async write(references: readonly string[]): Promise<void> {
    await this.memento.update(this.key, [...references]);
  }
}

class MemoryList implements ImageListStore {
  private items: readonly string[] = [];
  read(): readonly string[] {
    return this.items;
  }
  async write(references: readonly string[]): Promise<void> {
    this.items = [...references];
  }
}

export class ExtensionState {
  readonly userImages: ImageListStore;
  readonly sessionImages: ImageListStore = new MemoryList();

  constructor(private readonly global: vscode.Memento, private readonly workspace: vscode.Memento) {
    this.userImages = new MementoList(workspace, USER_IMAGES);
  }

  /** References used before, newest first. */
  history(): string[] {
    return stringList(this.global.get(HISTORY));
  }

  async remember(reference: string): Promise<void> {
    const next = [reference, ...this.history().filter((r) => r !== reference)].slice(0, HISTORY_SIZE);
    await this.global.update(HISTORY, next);
  }

  /** The tag the user picked for a goreleaser file's release, if any. */
  releaseTag(file: string): string | undefined {
    const tags = this.workspace.get<Record<string, unknown>>(RELEASE_TAGS) ?? {};
    const tag = tags[file];
    return typeof tag === 'string' ? tag : undefined;
  }

  async setReleaseTag(file: string, tag: string | undefined): Promise<void> {
    const tags = { ...(this.workspace.get<Record<string, string>>(RELEASE_TAGS) ?? {}) };
    if (tag === undefined) delete tags[file];
    else tags[file] = tag;
    await this.workspace.update(RELEASE_TAGS, tags);
  }
}
