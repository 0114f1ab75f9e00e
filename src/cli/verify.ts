import { LensError } from '../core/errors';
import { buildGraph } from '../registry/graph';
import type { ImageGraph } from '../model/image-graph';
import { openReference } from '../registry/open';
import { parseReference } from '../registry/reference';
import type { ImagePolicy } from '../verify/policy';
import type { ImageVerification } from '../verify/image';
import { policyOptionSpec, readPolicyFile } from './policy-flags';
import { unusedPolicyNotice } from './policy-notice';
import { verifyImage } from '../verify';
import { cliSession } from './session';
import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';
import { CREDENTIALS_NOTE, withRegistryClient, registryOptionSpec } from './registry-options';
import { trustLoadOptions } from './trust-options';
import { addExternalAttestations, externalOptionSpec, githubToken } from './external-attestations';
import { runVerifyRelease } from './verify-release';
import { renderVerification } from './verify-text';

/**
 * `provenance-lens verify <ref>`: every signature and attestation of an image, in every
 * format, against the digest each covers, and a verdict per digest and per image.
 * Exit 0 when every requirement holds (or a stated exception applies), 1 for any other verdict
 * (not-checked included: what could not be read could be unsigned, and "not checked" is never
 * "unsigned"), 2 on usage errors and when the image itself is refused or unreadable, so that no
 * verdict was reached. JSON: docs/verify-json.md.
 */
const OPTIONS = {
  ...policyOptionSpec,
  ...externalOptionSpec,
  json: { type: 'boolean', help: 'machine-readable output (shape: docs/verify-json.md)' },
  release: {
    type: 'string',
    value: 'FILE',
    help: 'verify every image the GoReleaser file publishes for --tag (references rendered as GoReleaser does): one table, a row per image and platform; exit 0 only if every image is verified or excepted',
  },
  tag: { type: 'string', value: 'vX.Y.Z', help: 'with --release: the tag being released (default: $GORELEASER_CURRENT_TAG)' },
  env: { type: 'string', multiple: true, value: 'NAME=VALUE', help: "with --release: a variable of the GoReleaser file's .Env (repeatable)" },
  ...registryOptionSpec,
} as const;

const USAGE = `Usage: provenance-lens verify <reference> [options]
       provenance-lens verify --release <goreleaser file> --tag vX.Y.Z [--env NAME=VALUE]... [options]

Verifies the image's signatures and attestations (cosign .sig/.att, OCI referrers with
Sigstore bundles, BuildKit's unsigned in-index statements) for the index and every platform,
and says which digest each covers. Verified only if every platform is covered by a verified
signature (its own or the index's) and every requirement holds.

Options:
${optionHelp(OPTIONS)}
${CREDENTIALS_NOTE}
Exit: 0 verified (or excepted by the policy), 1 not verified, 2 usage or operational error.`;

export const verifyCommand: CliCommand = {
  usage: USAGE,
  run: runVerify,
};

async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, 'verify');
  // Before anything is read: contradicting trust flags are a usage error at once.
  const trustLoad = trustLoadOptions(values, io.env);
  const notice = unusedPolicyNotice(values, io.cwd ?? process.cwd());
  if (notice !== undefined) io.stderr.write(`provenance-lens verify: ${notice}\n`);
  if (values.release !== undefined && (values.bundle !== undefined || values['github-attestations']))
    throw new LensError('USAGE', `--bundle and --github-attestations apply to one image, not to --release.\n${USAGE}`);
  const token = githubToken(values, io.env);
  if (values.release !== undefined) return runVerifyRelease(values, positionals, io, trustLoad);
  if (values.tag !== undefined || values.env !== undefined) throw new LensError('USAGE', `--tag and --env apply to --release only.\n${USAGE}`);
  if (positionals.length !== 1) throw new LensError('USAGE', `verify takes exactly one reference.\n${USAGE}`);
  const ref = parseReference(positionals[0]!);
  const policyFile = values.policy === undefined ? undefined : await readPolicyFile(values.policy, (line) => io.stderr.write(`${line}\n`));
  const session = cliSession(values, policyFile, trustLoad);
  const policy = await session.policyFor(positionals[0]!);
  const trustRoot = await session.trustRoot(policy);
  return withRegistryClient(values, io, async (client, signal) => {
    const { source, target } = openReference(ref, client);
    const signatureRepository = values['signature-repository'];
    const found = await buildGraph(source, target, { signal, signatureRepository });
    const { graph, bundles, notes } = await addExternalAttestations(values, found, client, io.env, token, signal);
    for (const note of notes) io.stderr.write(`provenance-lens verify: note: ${note}\n`);
    const result = await verifyImage(source, graph, { policy, trustRoot, signal, signatureRepository, ...(bundles ? { externalBundles: bundles } : {}) });
    io.stdout.write(values.json ? `${JSON.stringify(toJson(graph, result, policy), null, 2)}\n` : renderVerification(graph, result, policy));
    // Any verdict but verified (or excepted) is a failed verification, not-checked included: what
    // could not be examined could be unsigned. Exit 2 is left for runs that reach no verdict.
    return result.verdict.state === 'verified' || result.verdict.state === 'excepted' ? Exit.ok : Exit.failed;
  });
}

/** The `inspect` shape, plus `verdict`, `trustRoot`, `policy`, and the verification per artifact. */
export function toJson(graph: ImageGraph, result: ImageVerification, policy: ImagePolicy): unknown {
  const artifacts = graph.artifacts.map((a, i) => {
    const { digest: _d, coversDigest: _c, format: _f, ...verification } = result.artifacts[i]!;
    // Kind and predicate type come from the verification (the signed statement), never from the
    // registry's annotations: an artifact whose statement names none shows none.
    const { kind: _k, predicateType: _p, ...found } = a;
    return { ...found, ...verification };
  });
  return {
    ...graph,
    artifacts,
    verdict: result.verdict,
    trustRoot: result.trustRoot,
    trustRoots: result.trustRoots ?? [result.trustRoot],
    policy: policySummary(policy),
  };
}

function policySummary(p: ImagePolicy): Record<string, unknown> {
  const { keys, ...rest } = p;
  return {
    ...rest,
    coverage: p.coverage ?? 'signatures',
    ...(keys ? { keys: keys.map((k) => ({ fingerprint: k.fingerprint, algorithm: k.algorithm, source: k.source })) } : {}),
  };
}
