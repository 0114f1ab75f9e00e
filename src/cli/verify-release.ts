import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { throwIfAborted, Semaphore } from '../core/abort';
import { LensError, describeError, isLensError } from '../core/errors';
import { secrets } from '../core/redact';
import { signerChangeSincePrevious, signersOf } from '../diff';
import { analyzeGoreleaser } from '../goreleaser/analyze';
import { readGitFacts } from '../goreleaser/git-context';
import type { ResolvedImage } from '../goreleaser/resolve';
import { resolveRelease } from '../goreleaser/resolve';
import { contextFromTag } from '../goreleaser/template-context';
import type { RegistryClient } from '../registry/client';
import { buildGraph } from '../registry/graph';
import { openReference } from '../registry/open';
import { parseReference } from '../registry/reference';
import type { PolicyFile } from '../verify/policy';
import type { PolicyFlagValues } from './policy-flags';
import { policyFromFlags, readPolicyFile } from './policy-flags';
import type { ReleaseImageResult } from './release-rows';
import { platformRows, summarizeRelease } from './release-rows';
import { renderReleaseTable } from './release-table';
import { verifyImage } from '../verify';
import type { CliIo } from './io';
import { withRegistryClient } from './registry-options';
import type { TrustLoadOptions } from './trust-options';
import { cliSession } from './session';
import type { VerificationSession } from '../verify';

/**
 * `provenance-lens verify --release <goreleaser file> --tag vX.Y.Z`: every image the release
 * publishes (the goreleaser engine renders each reference as GoReleaser would), verified in
 * one run with one registry client and a bounded number of images at once, and ONE table with a
 * row per image and platform: the check a release job runs. References that
 * cannot be rendered are listed as not checked, with the variables they wait for. JSON and exit
 * codes: docs/verify-json.md, "verify --release".
 */
export type ReleaseValues = PolicyFlagValues & {
  release?: string;
  tag?: string;
  env?: string[];
  policy?: string;
  json?: boolean;
  'signature-repository'?: string;
  'insecure-registry'?: string[];
  'ca-file'?: string[];
  verbose?: boolean;
};

/** Images verified at once; the registry client bounds requests per host underneath. */
const IMAGE_CONCURRENCY = 4;

export async function runVerifyRelease(
  values: ReleaseValues,
  positionals: readonly string[],
  io: CliIo,
  trustLoad: TrustLoadOptions = { offline: true },
): Promise<number> {
  const file = values.release!;
  if (positionals.length > 0)
    throw new LensError(
      'USAGE',
      `verify --release takes the GoReleaser file as its value and no reference (got ${positionals.map((p) => JSON.stringify(p)).join(', ')}).`,
    );
  const tag = values.tag ?? (io.env.GORELEASER_CURRENT_TAG || undefined);
  if (tag === undefined) throw new LensError('USAGE', 'verify --release needs the tag being released: --tag vX.Y.Z (or $GORELEASER_CURRENT_TAG).');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new LensError('USAGE', `Cannot read the GoReleaser file ${file}: ${(e as NodeJS.ErrnoException).code ?? describeError(e)}.`);
  }
  const policyFile = values.policy === undefined ? undefined : await readPolicyFile(values.policy, (line) => io.stderr.write(`${line}\n`));
  // A usage error in the flags is one now, before any image is read.
  await policyFromFlags(values);

  const git = await readGitFacts(dirname(resolve(file)));
  const context = contextFromTag(tag, {
    env: parseEnv(values.env ?? []),
    ...(git.commit ? { commit: git.commit } : {}),
    ...(git.shortCommit ? { shortCommit: git.shortCommit } : {}),
    ...(git.branch ? { branch: git.branch } : {}),
  });
  const release = resolveRelease(analyzeGoreleaser(text), context);
  const published = publishedImages(release.images);

  return withRegistryClient(values, io, async (client, signal) => {
    const check = new ImageCheck(values, policyFile, tag, client, signal, trustLoad);
    const slots = new Semaphore(IMAGE_CONCURRENCY);
    const results = await Promise.all(published.map((image) => slots.run(() => check.run(image))));
    throwIfAborted(signal);
    const summary = summarizeRelease(results.map((r) => r.verdict?.state));
    io.stdout.write(
      values.json ? `${JSON.stringify({ release: { file, tag }, images: results, summary }, null, 2)}\n` : renderReleaseTable(file, tag, results, summary),
    );
    return summary.exitCode;
  });
}

/** What the release pushes: images and manifests its entries publish, each reference once (manifest inputs are the dockers images themselves). */
function publishedImages(images: readonly ResolvedImage[]): ResolvedImage[] {
  const seen = new Set<string>();
  return images.filter((i) => {
    if (i.role === 'manifest-input' || i.published === false) return false;
    const key = i.reference ?? `${i.section}[${i.index}] ${i.template}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One image of the release through the same engine as `verify <ref>`. */
class ImageCheck {
  private readonly session: VerificationSession;

  constructor(
    private readonly values: ReleaseValues,
    policyFile: PolicyFile | undefined,
    tag: string,
    private readonly client: RegistryClient,
    private readonly signal: AbortSignal,
    trustLoad: TrustLoadOptions,
  ) {
    this.session = cliSession(values, policyFile, trustLoad, tag);
  }

  async run(image: ResolvedImage): Promise<ReleaseImageResult> {
    const base = {
      section: image.section,
      index: image.index,
      template: image.template,
      reference: image.reference,
      ...(image.preview !== undefined ? { preview: image.preview } : {}),
    };
    if (image.error !== undefined) return { ...base, error: { code: 'TEMPLATE', message: image.error.message }, platforms: [] };
    if (image.reference === null) {
      const unresolved = [...image.unresolved];
      return { ...base, error: { code: 'UNRESOLVED', message: `needs ${unresolved.join(', ')}`, unresolved }, platforms: [] };
    }
    try {
      const policy = await this.session.policyFor(image.reference);
      const trustRoot = await this.session.trustRoot(policy);
      const { source, target } = openReference(parseReference(image.reference), this.client);
      const signatureRepository = this.values['signature-repository'];
      const graph = await buildGraph(source, target, { signal: this.signal, signatureRepository });
      const result = await verifyImage(source, graph, { policy, trustRoot, signal: this.signal, signatureRepository });
      const change = await this.signerChange(source, target, signersOf(result, policy), { policy, trustRoot, signal: this.signal, signatureRepository });
      return { ...base, digest: graph.digest, verdict: result.verdict, platforms: platformRows(result.verdict), ...change };
    } catch (e) {
      if (this.signal.aborted) throw e;
      const code = isLensError(e) ? e.code : 'INTERNAL';
      return { ...base, error: { code, message: secrets.scrub(describeError(e)) }, platforms: [] };
    }
  }

  /** The previous release's signers against these; a look-up that fails leaves the row without the question answered. */
  private async signerChange(...args: Parameters<typeof signerChangeSincePrevious>): Promise<Pick<ReleaseImageResult, 'signerChanged' | 'previousRelease'>> {
    try {
      const change = await signerChangeSincePrevious(...args);
      return change === undefined ? {} : { signerChanged: change.changed, previousRelease: change.previous };
    } catch (e) {
      if (this.signal.aborted) throw e;
      return {};
    }
  }
}

function parseEnv(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new LensError('USAGE', `--env takes NAME=VALUE, got "${p}".`);
    env[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return env;
}
