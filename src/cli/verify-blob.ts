import { readFile } from 'node:fs/promises';
import { LensError, describeError } from '../core/errors';
import { artifactFromDigest, verifyBlob } from '../verify/bundle';
import type { BlobArtifact, BlobVerification } from '../verify/bundle';
import type { SignatureCheck } from '../verify';
import type { IdentityPolicy } from '../verify/policy';
import { matcherFromFlags } from './policy-flags';
import { loadPublicKeyFile, loadTrustRoot } from '../verify/trust';
import type { PublicKeyMaterial } from '../verify/trust';
import type { CliCommand, CliIo } from './io';
import { Exit } from './io';
import { optionHelp, parseOptions } from './options';
import { trustLoadOptions, trustOptionSpec } from './trust-options';
import { bundlesFromFile } from '../attestations';
import type { ExternalBundle } from '../attestations';

/**
 * `provenance-lens verify-blob`: one bundle over one artifact, offline unless asked to refresh
 * the trusted root (--refresh-trust-root, src/cli/trust-options.ts). Speaks the
 * sigstore-conformance client protocol (https://github.com/sigstore/sigstore-conformance/blob/main/docs/cli_protocol.md):
 * exit 0 when verified, 1 when not; 2 for usage or unreadable inputs (the protocol
 * only distinguishes zero from non-zero).
 */
const OPTIONS = {
  bundle: {
    type: 'string',
    value: 'FILE',
    help: 'the Sigstore bundle (required); a .jsonl of several (gh attestation download) verifies each, and is verified only if every one is',
  },
  'certificate-identity': { type: 'string', value: 'S', help: "the signer's certificate identity (SAN), exact" },
  'certificate-identity-regexp': { type: 'string', value: 'R', help: "... or an RE2 expression (as cosign's), matching the whole SAN" },
  'certificate-oidc-issuer': { type: 'string', value: 'S', help: 'the OIDC issuer, exact' },
  'certificate-oidc-issuer-regexp': { type: 'string', value: 'R', help: '... or an RE2 expression matching the whole issuer' },
  'trusted-root': {
    type: 'string',
    value: 'FILE',
    help: "a trusted_root.json, used alone (default: the embedded public-good root, and GitHub's for a bundle its instance signed)",
  },
  key: { type: 'string', value: 'FILE', help: 'verify with this PEM public key instead of a certificate identity' },
  'insecure-ignore-tlog': { type: 'boolean', help: 'with --key: do not require a transparency-log entry' },
  json: { type: 'boolean', help: 'print the result as JSON' },
  ...trustOptionSpec,
} as const;

const USAGE = `Usage: provenance-lens verify-blob --bundle FILE [options] <FILE | sha256:HEX>

Verifies a Sigstore bundle (v0.1-v0.3, message signature or DSSE) over an artifact
or its digest, offline unless --refresh-trust-root.

Options:
${optionHelp(OPTIONS)}

Exit: 0 verified, 1 not verified, 2 usage or unreadable input.`;

export const verifyBlobCommand: CliCommand = {
  usage: USAGE,
  run: runVerifyBlob,
};

async function runVerifyBlob(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, 'verify-blob');
  const trustLoad = trustLoadOptions(values, io.env);
  if (values.bundle === undefined) throw new LensError('USAGE', `--bundle is required.\n${USAGE}`);
  if (positionals.length !== 1) throw new LensError('USAGE', `Expected exactly one artifact (a file or sha256:<hex>), got ${positionals.length}.\n${USAGE}`);
  const identity = matcherFromFlags(values['certificate-identity'], values['certificate-identity-regexp'], '--certificate-identity');
  const issuer = matcherFromFlags(values['certificate-oidc-issuer'], values['certificate-oidc-issuer-regexp'], '--certificate-oidc-issuer');
  if (values.key !== undefined && (identity !== undefined || issuer !== undefined)) {
    throw new LensError('USAGE', '--key verifies a managed key; certificate identity and issuer options do not apply to it.');
  }
  if (values['insecure-ignore-tlog'] && values.key === undefined) {
    throw new LensError('USAGE', '--insecure-ignore-tlog only applies with --key: a certificate needs a signed time.');
  }

  const artifact = await readArtifact(positionals[0]!);
  const bundle = await readInput(values.bundle, 'bundle');
  const trustRoot = await loadTrustRoot({ ...trustLoad, trustedRootFile: values['trusted-root'] });
  let key: PublicKeyMaterial | undefined;
  if (values.key !== undefined) key = await loadPublicKeyFile(values.key);
  const policy: IdentityPolicy = {};
  if (identity !== undefined) policy.identity = identity;
  if (issuer !== undefined) policy.issuer = issuer;

  const several = severalBundles(bundle, values.bundle);
  if (several !== undefined) {
    // gh attestation download writes one bundle per line: each is verified and reported on its own.
    const results = several.map((b) => ({
      origin: b.origin,
      ...verifyBlob({ bundle: b.bytes, artifact, trustRoot, key, policy, requireTlog: !values['insecure-ignore-tlog'] }),
    }));
    const verified = results.every((r) => r.verified);
    io.stdout.write(
      values.json ? `${JSON.stringify({ verified, bundles: results }, null, 2)}\n` : results.map((r) => `Bundle ${r.origin}:\n${render(r)}`).join('\n'),
    );
    return verified ? Exit.ok : Exit.failed;
  }
  const result = verifyBlob({ bundle, artifact, trustRoot, key, policy, requireTlog: !values['insecure-ignore-tlog'] });
  io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : render(result));
  return result.verified ? Exit.ok : Exit.failed;
}

/** The bundles of a `.jsonl` holding more than one; undefined for one bundle (or anything else: verified as given). */
function severalBundles(bytes: Buffer, path: string): ExternalBundle[] | undefined {
  try {
    const bundles = bundlesFromFile(bytes, path);
    return bundles.length > 1 ? bundles : undefined;
  } catch {
    return undefined;
  }
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new LensError('USAGE', `Cannot read ${what} ${path}: ${describeError(e)}`, { path }, { cause: e });
  }
}

const DIGEST_ARG = /^sha(256|512):/;

async function readArtifact(arg: string): Promise<BlobArtifact> {
  if (DIGEST_ARG.test(arg)) return artifactFromDigest(arg);
  return { kind: 'bytes', bytes: await readInput(arg, 'artifact'), name: arg };
}

const MARK: Record<SignatureCheck['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', info: 'INFO' };

function render(result: BlobVerification): string {
  const lines = result.checks.map((c) => `${MARK[c.status]}  ${c.code.padEnd(17)} ${c.message}${detail(c)}`);
  const who =
    result.signer?.identity !== undefined
      ? ` by ${result.signer.identity} (issuer ${result.signer.issuer ?? 'unknown'})`
      : result.signer
        ? ` with key ${result.signer.keyFingerprint}`
        : '';
  if (result.state === 'verified') lines.push(`Verified: signed${who}.`);
  else if (result.state === 'unpinned')
    lines.push(`NOT verified: the signature is valid${who}, but no identity and issuer were pinned (--certificate-identity, --certificate-oidc-issuer).`);
  else lines.push(`NOT verified: ${result.checks.find((c) => c.status === 'fail')?.message ?? 'a required check did not pass.'}`);
  return `${lines.join('\n')}\n`;
}

function detail(c: SignatureCheck): string {
  const e = c.evidence;
  if (e === undefined) return '';
  const parts: string[] = [];
  if (e.logIndex !== undefined) parts.push(`log index ${e.logIndex}${e.logUrl ? ` at ${e.logUrl}` : ''}`);
  if (e.integratedTime !== undefined) parts.push(`integrated ${e.integratedTime}`);
  if (e.certificateAuthority !== undefined) parts.push(`CA ${e.certificateAuthority}`);
  if (e.certificateValidity !== undefined) parts.push(`valid ${e.certificateValidity.notBefore} to ${e.certificateValidity.notAfter}`);
  if (e.digest !== undefined && c.code === 'ARTIFACT') parts.push(e.digest);
  if (e.cause !== undefined) parts.push(e.cause);
  return parts.length > 0 ? ` [${parts.join('; ')}]` : '';
}
