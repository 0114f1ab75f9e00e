// A V8 code cache for our own bundles, so a run does not parse and compile again what the last
// run compiled: the CLI's (installCodeCache, for every file of its folder) and the extension's
// (loadThroughCodeCache, for one file, without touching the loader other extensions share). Node
// 22 has this built in (`module.enableCompileCache`, which the CLI uses when present); Node 20
// has only `vm.Script`'s `cachedData`
// (https://nodejs.org/docs/latest-v20.x/api/vm.html#scriptcreatecacheddata), which this wires into
// the CommonJS loader for the files under one folder (dist/), as v8-compile-cache once did for
// every file. V8 checks cached data only against its version, its flags and the source's *length*
// (https://v8.dev/blog/code-caching-for-devs), so the file name is a hash of the source itself and
// of the Node and V8 versions: a rebuilt bundle never runs stale code (data V8 refuses, made under
// other flags, is compiled anew and written again). The file holds the sha256 of the data before
// the data: a truncated or damaged file is not handed to V8.
// Cached data is code: the folder is used only if it is the user's own and nobody else can write
// to it. `NODE_DISABLE_COMPILE_CACHE` turns the cache off, as it does Node's.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as nodeModule from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';

export interface CodeCacheOptions {
  /** Scripts under this folder are compiled through the cache; every other module as Node does. */
  readonly root: string;
  /** Where the cached data is kept. */
  readonly dir: string;
  /** Cached files kept; the oldest go first (one build of the CLI writes about 20). */
  readonly maxFiles?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** What happened to each script under the root, for tests and the benchmark. */
export interface CodeCacheReport {
  mode: 'node' | 'vm-script' | 'off';
  readonly scripts: Array<{ readonly file: string; cache: 'hit' | 'miss' | 'rejected' }>;
  /** Files written at exit (after the run, so functions compiled on the way are included). */
  written: number;
  /** Why the cache is not used, when it is not. */
  off?: string;
}

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

const HASH_BYTES = 32;
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

/** Installs the cache for the scripts under `options.root`; call before requiring them. */
export function installCodeCache(options: CodeCacheOptions): CodeCacheReport {
  const env = options.env ?? process.env;
  const report: CodeCacheReport = { mode: 'off', scripts: [], written: 0 };
  if (env.NODE_DISABLE_COMPILE_CACHE) return { ...report, off: 'NODE_DISABLE_COMPILE_CACHE is set' };
  const native = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof native === 'function') {
    native(options.dir);
    return { ...report, mode: 'node' };
  }
  const unsafe = unsafeFolder(options.dir);
  if (unsafe) return { ...report, off: unsafe };
  report.mode = 'vm-script';
  const prefix = options.root.endsWith(sep) ? options.root : options.root + sep;
  const pending: Array<{ script: Script; file: string }> = [];
  const proto = nodeModule.Module.prototype as unknown as CompilingModule;
  const original = proto._compile;
  proto._compile = function compileThroughCache(this: CompilingModule, content: string, filename: string): unknown {
    if (!filename.startsWith(prefix)) return original.call(this, content, filename);
    const compiled = compile(content, filename, options.dir);
    report.scripts.push({ file: filename, cache: compiled.cache });
    if (compiled.cache !== 'hit') pending.push(compiled);
    return compiled.run(this);
  };
  process.once('exit', () => {
    report.written = writeCachedData(options.dir, pending, options.maxFiles ?? 128);
  });
  return report;
}

/** One CommonJS file loaded through the cache: its exports, and how its cache went. */
export interface CachedModule {
  readonly exports: unknown;
  readonly cache: 'hit' | 'miss' | 'rejected' | 'off';
  /** Why the cache is not used, when it is not. */
  readonly off?: string;
  /**
   * Writes the cache when it missed (once; later calls do nothing) and returns the files written.
   * Call it once the code has run a while: V8 keeps in it the functions compiled by then.
   */
  save(): number;
}

/**
 * Loads one CommonJS file as `require` would (its own `require`, `module`, `__filename`), compiled
 * through the cache in `dir`. Nothing else is loaded differently: the loader stays Node's, which
 * a host shared with other code (VS Code's extension host) must not have patched.
 */
export function loadThroughCodeCache(filename: string, dir: string, options: { maxFiles?: number; env?: NodeJS.ProcessEnv } = {}): CachedModule {
  const env = options.env ?? process.env;
  const unsafe = env.NODE_DISABLE_COMPILE_CACHE ? 'NODE_DISABLE_COMPILE_CACHE is set' : unsafeFolder(dir);
  if (unsafe) return { exports: createRequire(filename)(filename), cache: 'off', off: unsafe, save: () => 0 };
  const module = new nodeModule.Module(filename) as unknown as CompilingModule & { filename: string; paths: string[]; loaded: boolean };
  module.filename = filename;
  module.paths = (nodeModule.Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(filename));
  const compiled = compile(readFileSync(filename, 'utf8'), filename, dir);
  compiled.run(module);
  module.loaded = true;
  let pending = compiled.cache === 'hit' ? [] : [compiled];
  return {
    exports: module.exports,
    cache: compiled.cache,
    save() {
      const written = writeCachedData(dir, pending, options.maxFiles ?? 16);
      pending = [];
      return written;
    },
  };
}

const FLAVOUR = [process.version, process.versions.v8, process.arch].join('\0');

/** Compiles `content` with the cached data for it, if any; `run` evaluates it as `module`'s code. */
function compile(
  content: string,
  filename: string,
  dir: string,
): { script: Script; file: string; cache: 'hit' | 'miss' | 'rejected'; run(module: CompilingModule): unknown } {
  const file = join(dir, `${createHash('sha256').update(FLAVOUR).update('\0').update(content).digest('hex').slice(0, 40)}.v8`);
  const cachedData = readCachedData(file);
  const source = content.startsWith('#!') ? `//${content}` : content;
  const script = new Script(WRAPPER[0] + source + WRAPPER[1], { filename, ...(cachedData ? { cachedData } : {}) });
  const cache = !cachedData ? ('miss' as const) : script.cachedDataRejected ? ('rejected' as const) : ('hit' as const);
  return {
    script,
    file,
    cache,
    run(module) {
      const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
      return fn.call(module.exports, module.exports, createRequire(filename), module, filename, dirname(filename));
    },
  };
}

/** Why `dir` must not hold code this process runs, or undefined when it may. */
function unsafeFolder(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return `${dir} belongs to another user`;
    if (process.platform !== 'win32' && (st.mode & 0o022) !== 0) return `${dir} can be written by other users`;
    return undefined;
  } catch (e) {
    return `${dir} cannot be used: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

function readCachedData(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const data = bytes.subarray(HASH_BYTES);
  if (bytes.length <= HASH_BYTES || !createHash('sha256').update(data).digest().equals(bytes.subarray(0, HASH_BYTES))) return undefined;
  return data;
}

/** Writes each file atomically (a reader sees the old file or the whole new one), then trims the folder. */
function writeCachedData(dir: string, pending: ReadonlyArray<{ script: Script; file: string }>, maxFiles: number): number {
  let written = 0;
  for (const { script, file } of pending) {
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const data = script.createCachedData();
      writeFileSync(tmp, Buffer.concat([createHash('sha256').update(data).digest(), data]), { mode: 0o600 });
      renameSync(tmp, file);
      written++;
    } catch {
      // Only slower next time.
      try {
        unlinkSync(tmp);
      } catch {
        // never written
      }
    }
  }
  if (written > 0) trim(dir, maxFiles);
  return written;
}

function trim(dir: string, maxFiles: number): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.v8'))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(maxFiles)) unlinkSync(join(dir, f));
  } catch {
    // Another process trimmed at the same time.
  }
}
