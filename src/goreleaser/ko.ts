/**
 * The image names a `kos` entry pushes (https://goreleaser.com/customization/ko/), as GoReleaser's
 * internal/pipe/ko runs ko:
 *
 * - a non-empty `KO_DOCKER_REPO` (the job's environment or the config's `env:`) replaces every
 *   configured repository (ko.go Default);
 * - the first repository is named by ko's namer (ko pkg/commands/options/publish.go MakeNamer), in
 *   this order: `preserve_import_paths` (`<repo>/<import path>`), `base_import_paths`
 *   (`<repo>/<base of the import path>`), `bare` (`<repo>`), else `<repo>/<base>-<md5 of the import path>`;
 *   the import path is lowercased first (ko pkg/publish/default.go);
 * - further repositories receive a copy named `<repo>:<tag>` exactly (ko.go copyImage).
 *
 * The import path is the package of `main` (the entry's, else its build's, else `.`): an import path
 * as written, or the module of go.mod (`.ModulePath`, given by the caller) joined with a local path.
 * When it cannot be known (no module, a `working_dir`/`dir` that may hold another module, a
 * templated main) the name is unresolved, never guessed.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { GoreleaserConfig, KoEntry } from './config';
import type { TemplateContext } from './template-context';

export const MODULE_PATH = '.ModulePath';

export type KoName = { readonly name: string } | { readonly unresolved: readonly string[] };

/** The Go import path ko builds for an entry, or what it waits for. */
export function koImportPath(config: GoreleaserConfig, ko: KoEntry, context: TemplateContext): { importPath: string } | { unresolved: string[] } {
  const build = config.builds.find((b) => b.id === ko.build);
  const main = (ko.main ?? build?.main)?.text.trim() || '.';
  const dir = ko.workingDir ?? build?.dir ?? '.';
  if (main.includes('{{')) return { unresolved: [`kos[${ko.index}].main`] };
  if (!main.startsWith('.') && !main.startsWith('/')) return { importPath: main.replace(/\/+$/, '') };
  const module = context.fields.ModulePath;
  if (typeof module !== 'string' || module === '' || posix.normalize(dir.replace(/\\/g, '/')) !== '.') return { unresolved: [MODULE_PATH] };
  const local = posix.normalize(main);
  return { importPath: local === '.' || local === './' ? module : posix.join(module, local).replace(/\/+$/, '') };
}

/** ko's name for the image pushed to `repository` (already rendered), the entry's `position`-th repository. */
export function koImageName(config: GoreleaserConfig, ko: KoEntry, repository: string, position: number, context: TemplateContext): KoName {
  if (position > 0) return { name: repository };
  if (!ko.preserveImportPaths && !ko.baseImportPaths && ko.bare) return { name: repository };
  const found = koImportPath(config, ko, context);
  if ('unresolved' in found) return found;
  const importPath = found.importPath.toLowerCase();
  if (ko.preserveImportPaths) return { name: posix.join(repository, importPath) };
  const base = posix.basename(importPath);
  if (ko.baseImportPaths) return { name: posix.join(repository, base) };
  // Not cryptography: ko's own suffix that keeps names of different packages apart.
  return { name: posix.join(repository, `${base}-${createHash('md5').update(importPath).digest('hex')}`) };
}

/** The repositories after `KO_DOCKER_REPO`: when set and non-empty, it replaces every configured one. */
export function koDockerRepo(context: TemplateContext): string | undefined {
  const v = context.env.KO_DOCKER_REPO;
  return v === undefined || v === '' ? undefined : v;
}
