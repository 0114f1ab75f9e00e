/**
 * What a file's references depend on that sits beside it, read once per folder: the `.env` a
 * compose file's variables come from (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file)
 * and the `appVersion` of the Chart.yaml beside a Helm values file. Node's file system only (no
 * editor): the CLI's `refs` and the editor's workspace index read through it.
 */
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseDocument } from 'yaml';
import { readText } from './read-text';
import type { FileKind, ReferenceOptions } from './types';

export class BesideFiles {
  private readonly envs = new Map<string, Promise<Record<string, string>>>();
  private readonly charts = new Map<string, Promise<string | undefined>>();

  /** `explicitEnv`: values given by the user, over each `.env` (as the shell's environment overrides it for compose). */
  constructor(private readonly explicitEnv: Readonly<Record<string, string>> = {}) {}

  /** compose: the `.env` of the file's folder, read as Node's util.parseEnv reads it. */
  private dotEnv(folder: string): Promise<Record<string, string>> {
    let p = this.envs.get(folder);
    if (!p) {
      p = readText(join(folder, '.env')).then(
        (t) => parseEnv(t) as Record<string, string>,
        () => ({}),
      );
      this.envs.set(folder, p);
    }
    return p;
  }

  /** Helm values: `appVersion` of the Chart.yaml beside them. */
  private appVersion(folder: string): Promise<string | undefined> {
    let p = this.charts.get(folder);
    if (!p) {
      p = readText(join(folder, 'Chart.yaml')).then(
        (t) => {
          const v: unknown = parseDocument(t).get('appVersion');
          return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
        },
        () => undefined,
      );
      this.charts.set(folder, p);
    }
    return p;
  }

  /** A folder's files changed (a `.env` or Chart.yaml saved): read them again next time. */
  forget(folder: string): void {
    this.envs.delete(folder);
    this.charts.delete(folder);
  }

  async options(file: string, kind: FileKind): Promise<ReferenceOptions> {
    const folder = dirname(file);
    if (kind === 'compose') return { env: { ...(await this.dotEnv(folder)), ...this.explicitEnv } };
    if (kind === 'helm-values') {
      const appVersion = await this.appVersion(folder);
      return appVersion !== undefined ? { appVersion } : {};
    }
    return {};
  }
}
