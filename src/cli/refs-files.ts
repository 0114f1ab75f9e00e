import { opendir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseDocument } from 'yaml';
import { fileKind, kindByName } from '../references/kind';
import { readReferences } from '../references/read';
import type { FileKind, FileReferences, ReferenceOptions } from '../references/types';
import type { GoreleaserFlagValues } from './goreleaser-context';
import { goreleaserContext } from './goreleaser-context';

/** Folders a walk never enters: version control, dependencies and vendored code are not the project's own references. */
const SKIPPED = new Set(['.git', 'node_modules', 'vendor']);

/**
 * The files of a folder that may hold image references, depth first, names in code-point order
 * within each folder so runs are repeatable; one folder read at a time, so a large tree streams.
 */
export async function* walkFiles(root: string): AsyncGenerator<string> {
  const dir = await opendir(root);
  const files: string[] = [];
  const folders: string[] = [];
  for await (const entry of dir) {
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) folders.push(entry.name);
    } else if (entry.isFile() && kindByName(join(root, entry.name)) !== undefined) files.push(entry.name);
  }
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  for (const f of files.sort(order)) yield join(root, f);
  for (const d of folders.sort(order)) yield* walkFiles(join(root, d));
}

export interface FileResult extends FileReferences {
  readonly file: string;
}

/** What is read beside a file (`.env`, Chart.yaml), once per folder. */
export class BesideFiles {
  private readonly envs = new Map<string, Promise<Record<string, string>>>();
  private readonly charts = new Map<string, Promise<string | undefined>>();

  constructor(private readonly explicitEnv: Readonly<Record<string, string>>, private readonly goreleaser: GoreleaserFlagValues, private readonly processEnv: NodeJS.ProcessEnv, private readonly usage: string) {}

  /** compose: the `.env` of the file's folder (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file), `--env` over it. */
  private dotEnv(folder: string): Promise<Record<string, string>> {
    let p = this.envs.get(folder);
    if (!p) {
      p = readFile(join(folder, '.env'), 'utf8').then((t) => parseEnv(t) as Record<string, string>, () => ({}));
      this.envs.set(folder, p);
    }
    return p;
  }

  /** Helm values: `appVersion` of the Chart.yaml beside them. */
  private appVersion(folder: string): Promise<string | undefined> {
    let p = this.charts.get(folder);
    if (!p) {
      p = readFile(join(folder, 'Chart.yaml'), 'utf8').then((t) => {
        const v: unknown = parseDocument(t).get('appVersion');
        return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
      }, () => undefined);
      this.charts.set(folder, p);
    }
    return p;
  }

  async options(file: string, kind: FileKind): Promise<ReferenceOptions> {
    const folder = dirname(file);
    if (kind === 'compose') return { env: { ...(await this.dotEnv(folder)), ...this.explicitEnv } };
    if (kind === 'helm-values') {
      const appVersion = await this.appVersion(folder);
      return appVersion !== undefined ? { appVersion } : {};
    }
    if (kind === 'goreleaser') return { goreleaser: (await goreleaserContext(file, this.goreleaser, this.processEnv, this.usage)).context };
    return {};
  }
}

/** A file's references; undefined for a walked file of no known kind. Throws when the file cannot be read. */
export async function fileReferences(file: string, forced: FileKind | undefined, beside: BesideFiles): Promise<FileResult | undefined> {
  const text = await readFile(file, 'utf8');
  const kind = forced ?? fileKind(file, text);
  if (kind === undefined) return undefined;
  return { file, ...readReferences(kind, text, await beside.options(file, kind)) };
}
