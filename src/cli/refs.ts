import { stat } from 'node:fs/promises';
import { LensError } from '../core/errors';
import { inOrder } from '../core/in-order';
import { kindByName } from '../references/kind';
import { FILE_KINDS } from '../references/types';
import type { FileKind } from '../references/types';
import { goreleaserOptionSpec, parseEnvPairs } from './goreleaser-context';
import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import type { FileResult } from './refs-files';
import { RefsContext, fileReferences, walkFiles } from './refs-files';
import { JsonStream, fileJson, fileText } from './refs-output';
import { optionHelp, parseOptions } from './options';
import type { ImageState } from '../model/verdict';
import type { ReferenceSite } from '../references/types';
import { policyOptionSpec } from './policy-flags';
import { registryOptionSpec, withRegistryClient } from './registry-options';
import type { ReleaseOutcome } from './release-rows';
import { summarizeRelease } from './release-rows';
import type { SiteVerdict } from './refs-output';
import { RefsVerifier } from './refs-verify';
import { trustLoadOptions } from './trust-options';

/**
 * `provenance-lens refs <file|folder>...`: every image reference written in Dockerfiles, compose
 * files, Kubernetes manifests, kustomizations, Helm values, GitHub workflows and GoReleaser configs,
 * at its line and column. JSON shape and conventions: docs/refs-json.md.
 */
const options = {
  kind: { type: 'string', value: 'KIND', help: `read every file given as this kind: ${FILE_KINDS.join(', ')}` },
  json: { type: 'boolean', help: 'machine-readable output (shape: docs/refs-json.md), streamed file by file' },
  ...goreleaserOptionSpec,
  tag: { ...goreleaserOptionSpec.tag, help: 'GoReleaser configs: the tag being released (as `release`)' },
  env: { ...goreleaserOptionSpec.env, help: "compose variables (over the .env beside the file) and GoReleaser's .Env (repeatable)" },
  'inherit-env': { ...goreleaserOptionSpec['inherit-env'], help: "GoReleaser configs: also use this process's environment" },
  commit: { ...goreleaserOptionSpec.commit, help: 'GoReleaser configs: the commit (as `release`)' },
  branch: { ...goreleaserOptionSpec.branch, help: 'GoReleaser configs: the branch (as `release`)' },
  'no-git': { ...goreleaserOptionSpec['no-git'], help: 'GoReleaser configs: do not run git (as `release`)' },
  verify: {
    type: 'boolean',
    help: "add each reference's verdict, as `verify` gives it, under the policy flags below; an image no entry of --policy matches (and no signer flag pins) is `no policy` and is not fetched",
  },
  ...policyOptionSpec,
  ...registryOptionSpec,
} as const;

const usage = `Usage: provenance-lens refs <file|folder>... [options]

Lists every image reference written in the files, with its line and column (1-based; columns in
UTF-16 code units, as editors count): Dockerfile FROM / COPY --from / RUN --mount from= and the
# syntax= image; compose services' image; Kubernetes containers, initContainers,
ephemeralContainers and image volumes; kustomization images; Helm values' image maps; GitHub
workflow containers, services and docker:// steps; the images a GoReleaser config publishes.
Variables are substituted from the file (Dockerfile ARG defaults), the .env beside a compose
file, a chart's appVersion and --env; what cannot be known is listed as unresolved, never guessed.

A folder is walked (skipping .git, node_modules and vendor); each file's kind comes from its
path, name and content.

With --verify, each reference is verified as \`verify\` verifies it (each image once per run), under
--policy FILE (its image entries say which references have a policy: third-party base images
without one are "no policy" and never fetched) and the policy flags, which apply to every image.

Options:
${optionHelp(options)}
Exit: 0 listed, 2 usage or operational error (a path that cannot be read, a file of no known kind).
With --verify: 0 when every image with a policy is verified or excepted, 1 when any is not,
2 when one reached no verdict (unresolved, unreadable) or none had a policy.`;

function forcedKind(value: string | undefined): FileKind | undefined {
  if (value === undefined) return undefined;
  if (!(FILE_KINDS as readonly string[]).includes(value))
    throw new LensError('USAGE', `--kind must be one of ${FILE_KINDS.join(', ')}; got "${value}".\n${usage}`);
  return value as FileKind;
}

async function* filesOf(paths: readonly string[]): AsyncGenerator<{ path: string; explicit: boolean }> {
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(path)).isDirectory();
    } catch (e) {
      throw new LensError('USAGE', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    }
    if (!isFolder) yield { path, explicit: true };
    else for await (const file of walkFiles(path)) yield { path: file, explicit: false };
  }
}

/** Files read at once: enough to keep the disk busy while the parser works, few enough to bound memory. */
const READ_WINDOW = 32;

/** One file's references; undefined for a walked file of no known kind. A walked file that cannot be read is listed with the problem. */
async function readOne(path: string, explicit: boolean, kind: FileKind | undefined, beside: RefsContext): Promise<FileResult | undefined> {
  let result: FileResult | undefined;
  try {
    result = await fileReferences(path, kind, beside);
  } catch (e) {
    if (explicit) throw new LensError('USAGE', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    const named = kind ?? kindByName(path);
    if (named === undefined || named === 'yaml') return undefined;
    return {
      file: path,
      kind: named,
      references: [],
      problems: [{ message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, line: 1, column: 1 }],
    };
  }
  if (result === undefined && explicit)
    throw new LensError('USAGE', `Cannot tell which kind of file ${path} is (no known name, and no apiVersion/kind in it); give --kind.`);
  return result;
}

type Verdicts = ReadonlyMap<ReferenceSite, SiteVerdict>;

/** What one image counts as in the summary (`verify --release`'s rule): undefined when no verdict was reached. */
function summaryState(v: SiteVerdict): ImageState | undefined {
  return v.error !== undefined || v.state === 'no-policy' ? undefined : v.state;
}

/** The summary line and JSON of `refs --verify`: each image once; images without a policy counted apart. */
function verifySummary(seen: ReadonlyMap<string, SiteVerdict>): ReleaseOutcome & { noPolicy: number } {
  const all = [...seen.values()];
  const noPolicy = all.filter((v) => v.state === 'no-policy').length;
  return { ...summarizeRelease(all.filter((v) => v.state !== 'no-policy').map(summaryState)), noPolicy };
}

function summaryLine(s: ReturnType<typeof verifySummary>): string {
  const parts = (['verified', 'excepted', 'failed', 'unsigned', 'unpinned', 'notChecked', 'noPolicy'] as const)
    .filter((k) => s[k] > 0)
    .map((k) => `${s[k]} ${k === 'notChecked' ? 'not checked' : k === 'noPolicy' ? 'no policy' : k}`);
  return `Summary: ${parts.join(', ') || 'no image'}; exit ${s.exitCode}.\n`;
}

export const refsCommand: CliCommand = {
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseOptions(args, options, 'refs');
    if (positionals.length === 0) throw new LensError('USAGE', `refs takes at least one file or folder.\n${usage}`);
    const kind = forcedKind(values.kind);
    const beside = new RefsContext(parseEnvPairs(values.env ?? [], usage), values, io.env, usage);
    if (!values.verify) {
      const json = values.json ? new JsonStream(io.stdout) : undefined;
      for await (const result of inOrder(filesOf(positionals), READ_WINDOW, ({ path, explicit }) => readOne(path, explicit, kind, beside))) {
        if (result === undefined) continue;
        if (json) json.file(fileJson(result));
        else io.stdout.write(fileText(result));
      }
      json?.end();
      return Exit.ok;
    }
    const trustLoad = trustLoadOptions(values, io.env);
    return withRegistryClient(values, io, async (client, signal) => {
      const verifier = await RefsVerifier.create(values, (line) => io.stderr.write(`${line}\n`), client, signal, trustLoad);
      const json = values.json ? new JsonStream(io.stdout) : undefined;
      const seen = new Map<string, SiteVerdict>();
      const withVerdicts = async (path: string, explicit: boolean): Promise<[FileResult, Verdicts] | undefined> => {
        const result = await readOne(path, explicit, kind, beside);
        if (result === undefined) return undefined;
        return [result, new Map(await Promise.all(result.references.map(async (s) => [s, await verifier.verdict(s)] as const)))];
      };
      // Files are read and parsed a window at a time, printed in the walk's order (src/core/in-order.ts).
      for await (const done of inOrder(filesOf(positionals), READ_WINDOW, ({ path, explicit }) => withVerdicts(path, explicit))) {
        if (done === undefined) continue;
        const [result, verdicts] = done;
        for (const s of result.references)
          seen.set(s.reference !== null && !s.unresolved ? s.reference : `${result.file}:${s.line}:${s.column}`, verdicts.get(s)!);
        if (json) json.file(fileJson(result, verdicts));
        else io.stdout.write(fileText(result, verdicts));
      }
      const summary = verifySummary(seen);
      if (json) json.end(summary);
      else io.stdout.write(summaryLine(summary));
      return summary.exitCode;
    });
  },
};
