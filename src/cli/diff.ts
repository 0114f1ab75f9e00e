import { LensError } from '../core/errors';
import { DIFF_WARNING_CODES, diffImages, readDiffSide } from '../diff';
import type { DiffWarningCode } from '../diff';
import { openReference } from '../registry/open';
import { parseReference } from '../registry/reference';
import type { ImagePolicy } from '../verify/policy';
import type { TrustRoot } from '../verify/trust';
import { renderDiff } from './diff-text';
import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';
import { policyOptionSpec, readPolicyFile } from './policy-flags';
import { cliSession } from './session';
import { unusedPolicyNotice } from './policy-notice';
import { CREDENTIALS_NOTE, registryOptionSpec, withRegistryClient } from './registry-options';
import { trustLoadOptions } from './trust-options';

/**
 * `provenance-lens diff <old-ref> <new-ref>`: what changed between two releases of an image —
 * platforms, signers, attestations, provenance, SBOM packages — with the changes a reviewer must
 * look at first as warnings. Exit 0 when the comparison ran (a verdict under a policy is in the
 * JSON, not the exit code), 1 when a warning named by --fail-on occurs, 2 on usage and
 * operational errors. JSON: docs/diff-json.md.
 */
const OPTIONS = {
  ...policyOptionSpec,
  json: { type: 'boolean', help: 'machine-readable output (shape: docs/diff-json.md)' },
  'fail-on': {
    type: 'string',
    multiple: true,
    value: 'CODE',
    help: `exit 1 when this warning occurs: ${DIFF_WARNING_CODES.join(', ')} (repeatable, or comma-separated)`,
  },
  ...registryOptionSpec,
} as const;

const USAGE = `Usage: provenance-lens diff <old-reference> <new-reference> [options]

Compares two images, usually two releases: platforms added, removed or rebuilt; who signed them
(signatures and attestations, over the index and every platform); attestations added or
dropped; what their provenance says (builder, source and commit, workflow, build args, base
images); and, from the SBOMs they carry, which packages changed. Warnings come first:
${DIFF_WARNING_CODES.join(', ')}.
Without a policy, the signers are those of valid signatures (not pinned); with one, those it
verifies, and each image's verdict is in the JSON.

<reference>   registry/repository[:tag][@digest], or oci-layout:/path[:tag|@digest]

Options:
${optionHelp(OPTIONS)}
${CREDENTIALS_NOTE}
Exit: 0 compared, 1 a warning named by --fail-on occurred, 2 usage or operational error.`;

export const diffCommand: CliCommand = { usage: USAGE, run: runDiff };

async function runDiff(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, 'diff');
  const trustLoad = trustLoadOptions(values, io.env);
  if (positionals.length !== 2)
    throw new LensError('USAGE', `diff takes two references, the old image then the new one (got ${positionals.length}).\n${USAGE}`);
  const failOn = failOnCodes(values['fail-on'] ?? []);
  const notice = unusedPolicyNotice(values, io.cwd ?? process.cwd());
  if (notice !== undefined) io.stderr.write(`provenance-lens diff: ${notice}\n`);
  const refs = positionals.map((p) => parseReference(p));
  const file = values.policy === undefined ? undefined : await readPolicyFile(values.policy, (line) => io.stderr.write(`${line}\n`));
  // Each image's own tag fills the file's templates: the two are different releases.
  const session = cliSession(values, file, trustLoad);
  const policies = await Promise.all(positionals.map((p) => session.policyFor(p)));
  const policyGiven = file !== undefined || policies.some((p) => Object.values(p.sources).includes('cli'));
  const trustRoot = (policy: ImagePolicy): Promise<TrustRoot> => session.trustRoot(policy);
  return withRegistryClient(values, io, async (client, signal) => {
    const signatureRepository = values['signature-repository'];
    const [old, next] = await Promise.all(
      refs.map(async (ref, i) => {
        const { source, target } = openReference(ref, client);
        const policy = policies[i]!;
        return readDiffSide(source, target, { policy, policyGiven, trustRoot: await trustRoot(policy), signal, signatureRepository });
      }),
    );
    const diff = diffImages(old!, next!);
    io.stdout.write(values.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff));
    return diff.warnings.some((w) => failOn.has(w.code)) ? Exit.failed : Exit.ok;
  });
}

/** `--fail-on A --fail-on B,C`: every code must be a warning code, or nothing could ever fail on it. */
function failOnCodes(given: readonly string[]): Set<DiffWarningCode> {
  const codes = new Set<DiffWarningCode>();
  for (const c of given
    .flatMap((g) => g.split(','))
    .map((c) => c.trim())
    .filter(Boolean)) {
    const code = DIFF_WARNING_CODES.find((k) => k === c.toUpperCase());
    if (code === undefined) throw new LensError('USAGE', `--fail-on takes a warning code (${DIFF_WARNING_CODES.join(', ')}), got ${JSON.stringify(c)}.`);
    codes.add(code);
  }
  return codes;
}
