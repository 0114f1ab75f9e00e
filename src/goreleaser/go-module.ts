/**
 * The Go module a GoReleaser config builds (`.ModulePath`, which GoReleaser takes from `go list -m`
 * and ko's image names are made of): the `module` directive of the go.mod beside the config.
 * Read with Node's file system; no `go` program is run.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** The `module` directive of a go.mod (https://go.dev/ref/mod#go-mod-file-module), quoted or not. */
export function goModulePath(goMod: string): string | undefined {
  const m = /^\s*module\s+(?:"([^"]+)"|`([^`]+)`|(\S+))\s*(?:\/\/.*)?$/m.exec(goMod);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** The module of the go.mod in the folder of `file`; undefined when there is none or it names none. */
export async function moduleBeside(file: string): Promise<string | undefined> {
  try {
    return goModulePath(await readFile(join(dirname(resolve(file)), 'go.mod'), 'utf8'));
  } catch {
    return undefined;
  }
}
