/**
 * The image references of a workspace's files, kept file by file: files are added as they are
 * found (the editor finds them with `workspace.findFiles` after activation, then follows its file
 * watcher), read and parsed a window at a time, and each file's answer replaces the one before.
 * Node's file system only (no editor), so the benchmark measures what the editor runs. No
 * registry is ever asked anything here: verifying is the caller's, and lazy.
 */
import { dirname } from 'node:path';
import { inOrder } from '../core/in-order';
import { BesideFiles } from './beside';
import { fileKind } from './kind';
import { readReferences } from './read';
import { readText } from './read-text';
import type { FileKind, FileReferences } from './types';

export interface IndexedFile extends FileReferences {
  /** Absolute path. */
  readonly file: string;
}

/** Reads one file into its references: in this thread (FileReading) or in worker threads (src/references/worker-reader.ts). */
export interface IndexReader {
  /** The file's entry; undefined when it cannot be read, is too large, or is of no listed kind. */
  read(path: string): Promise<IndexedFile | undefined>;
  /** The `.env` or Chart.yaml of a folder changed: read them again. */
  forget(folder: string): void;
}

export interface FileReadingOptions {
  /** Files larger than this are not read (default 1 MiB): a generated manifest bundle is not a place images are written by hand. */
  readonly maxBytes?: number;
  /** Kinds listed; default every kind but GoReleaser configs, which are releases of their own. */
  readonly kinds?: readonly FileKind[];
}

export interface WorkspaceIndexOptions {
  /** Files read and parsed at once (default 32). */
  readonly window?: number;
  /** Default: a FileReading in this thread. */
  readonly reader?: IndexReader;
}

const ALL_BUT_GORELEASER: readonly FileKind[] = ['dockerfile', 'compose', 'kubernetes', 'kustomization', 'helm-values', 'github-workflow'];

/** A file read and parsed in this thread, with what is read beside it. */
export class FileReading implements IndexReader {
  private readonly beside = new BesideFiles();
  private readonly kinds: ReadonlySet<FileKind>;

  constructor(private readonly options: FileReadingOptions = {}) {
    this.kinds = new Set(options.kinds ?? ALL_BUT_GORELEASER);
  }

  async read(path: string): Promise<IndexedFile | undefined> {
    let text: string;
    try {
      text = await readText(path);
    } catch {
      return undefined;
    }
    if (text.length > (this.options.maxBytes ?? 1024 * 1024)) return undefined;
    const kind = fileKind(path, text);
    if (kind === undefined || !this.kinds.has(kind)) return undefined;
    return { file: path, ...readReferences(kind, text, await this.beside.options(path, kind)) };
  }

  forget(folder: string): void {
    this.beside.forget(folder);
  }
}

export class WorkspaceReferenceIndex {
  private readonly files = new Map<string, IndexedFile>();
  /** Per path, the latest read asked for: an older read finishing late is dropped. */
  private readonly turns = new Map<string, number>();
  private turn = 0;
  private readonly listeners = new Set<(changed: readonly string[]) => void>();
  private readonly reader: IndexReader;

  constructor(private readonly options: WorkspaceIndexOptions = {}) {
    this.reader = options.reader ?? new FileReading();
  }

  /** Every file that names images (or could not be read whole), by path. */
  list(): IndexedFile[] {
    return [...this.files.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  get(file: string): IndexedFile | undefined {
    return this.files.get(file);
  }

  get size(): number {
    return this.files.size;
  }

  /** Reads the files (new or changed), a window at a time; listeners hear once per window. */
  async add(paths: Iterable<string> | AsyncIterable<string>, signal?: AbortSignal): Promise<void> {
    let changed: string[] = [];
    const window = this.options.window ?? 32;
    for await (const done of inOrder(paths, window, (path) => this.read(path, signal))) {
      if (done !== undefined) changed.push(done);
      if (changed.length >= window) {
        this.emit(changed);
        changed = [];
      }
      if (signal?.aborted) break;
    }
    if (changed.length) this.emit(changed);
  }

  /** A file was deleted (or left the workspace). */
  remove(path: string): void {
    this.turns.set(path, ++this.turn);
    if (this.files.delete(path)) this.emit([path]);
  }

  /** A `.env` or Chart.yaml changed: the files beside it are read again by the caller. */
  besideChanged(path: string): void {
    this.reader.forget(dirname(path));
  }

  onDidChange(listener: (changed: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The path when the index changed for it, else undefined. */
  private async read(path: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const turn = ++this.turn;
    this.turns.set(path, turn);
    if (signal?.aborted) return undefined;
    const entry = await this.reader.read(path).catch(() => undefined);
    if (this.turns.get(path) !== turn) return undefined;
    const had = this.files.has(path);
    if (entry && (entry.references.length > 0 || entry.problems.length > 0)) this.files.set(path, entry);
    else if (had) this.files.delete(path);
    else return undefined;
    return path;
  }

  private emit(changed: readonly string[]): void {
    for (const l of this.listeners) {
      try {
        l(changed);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
