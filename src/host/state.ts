// What the extension remembers: the references typed in "Verify image" (globalState: they are
// the user's, across workspaces), the images added to this workspace's release view and the
// tag picked per goreleaser file and the attestation files added to images (workspaceState), and
// the images checked this session (memory).
import type * as vscode from 'vscode';
import type { ImageListStore } from '../releases/image-list';

const HISTORY = 'provenanceLens.history';
const USER_IMAGES = 'provenanceLens.images';
const RELEASE_TAGS = 'provenanceLens.releaseTags';
const ATTESTATION_FILES = 'provenanceLens.attestationFiles';
const HISTORY_SIZE = 20;

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

class MementoList implements ImageListStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly key: string,
  ) {}
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

/** The bundle files added to each image ("Add Attestation File…"), by reference. */
export interface AttestationFileStore {
  read(): Readonly<Record<string, readonly string[]>>;
  write(files: Readonly<Record<string, readonly string[]>>): Promise<void>;
}

class MementoFiles implements AttestationFileStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly key: string,
  ) {}
  read(): Readonly<Record<string, readonly string[]>> {
    const v = this.memento.get<unknown>(this.key);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
    return Object.fromEntries(
      Object.entries(v)
        .map(([reference, files]): [string, string[]] => [reference, stringList(files)])
        .filter(([, files]) => files.length > 0),
    );
  }
  async write(files: Readonly<Record<string, readonly string[]>>): Promise<void> {
    await this.memento.update(this.key, { ...files });
  }
}

export class ExtensionState {
  readonly userImages: ImageListStore;
  readonly sessionImages: ImageListStore = new MemoryList();
  /** Kept with the workspace, as the images added to it: a reload keeps what was added. */
  readonly attestationFiles: AttestationFileStore;

  constructor(
    private readonly global: vscode.Memento,
    private readonly workspace: vscode.Memento,
  ) {
    this.userImages = new MementoList(workspace, USER_IMAGES);
    this.attestationFiles = new MementoFiles(workspace, ATTESTATION_FILES);
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
