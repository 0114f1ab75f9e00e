import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { GITHUB_ISSUER } from '../support/sigstore/ca';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushSignedRelease } from '../support/sigstore/release';
import type { SignedRelease } from '../support/sigstore/release';

// The text of `verify <ref>` through a real registry, on exact lines: the verdict line states the
// first cause with both sides, cut to what differs; the pin hint prints whenever a signer was seen
// and not pinned (here beside an unsigned platform); a check repeated under several artifacts is
// printed once.
const TAG = 'v1.3.0';

describe('verify: the text a maintainer reads first', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let rootPath: string;
  let partly: SignedRelease;
  let identity: string;

  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    rootPath = await mini.writeTrustedRoot(await mkdtemp(join(tmpdir(), 'pl-cli-text-')));
    const signer = await mini.githubIdentity({ repository: 'org/app', ref: `refs/tags/${TAG}` });
    identity = signer.identity!;
    // linux/amd64 signed (a .sig, and cosign v3 referrers: a signature and an attestation), linux/arm64 not at all.
    partly = await pushSignedRelease(reg, 'org/partly', {
      sigstore: mini,
      tag: TAG,
      platforms: ['linux/amd64', 'linux/arm64'],
      signer,
      sourceRepository: 'org/app',
      cosignSignatures: ['linux/amd64'],
      cosignAttestations: [],
      referrers: ['linux/amd64'],
    });
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });
  const ref = () => `${reg.host}/org/partly:${TAG}`;

  test('another ref of the same workflow: "signed by …@v1.3.0, but the policy expects …@v1.2.0"', async () => {
    const expected = identity.replace(TAG, 'v1.2.0');
    const r = await cli(['verify', ref(), '--trusted-root', rootPath, '--certificate-identity', expected, '--certificate-oidc-issuer', GITHUB_ISSUER]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(2, 5), [
      'NOT VERIFIED: signed by …release.yml@refs/tags/v1.3.0, but the policy expects …@refs/tags/v1.2.0',
      'Also: linux/arm64 is not signed.',
      `Coverage (failed): index not signed; linux/amd64 not covered (signed by ${identity}, not the signer the policy expects); linux/arm64 not covered (no signature)`,
    ]);
    assert.doesNotMatch(r.stdout, /does not verify/);
    assert.ok(!r.stdout.includes('To pin'), 'a signer the policy refuses is not offered for pinning');
  });

  test('unpinned platforms beside an unsigned one: the pin hint prints; the same warnings are printed once', async () => {
    const r = await cli(['verify', ref(), '--trusted-root', rootPath]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(2, 4), [
      'NOT VERIFIED: linux/arm64 is not signed',
      `Also: linux/amd64 is signed by "${identity}", but no identity or key is pinned, so nothing says who may sign.`,
    ]);
    assert.deepEqual(lines.slice(-5), [
      '',
      'To pin a signer seen here, add its flags (only for one you recognise as your release workflow):',
      `  --certificate-identity ${identity} \\`,
      `    --certificate-oidc-issuer ${GITHUB_ISSUER}`,
      '',
    ]);
    // Three artifacts on linux/amd64 with the same two warnings: printed under the first, named under the others.
    const first = lines.findIndex((l) => l.startsWith('        WARN IDENTITY: '));
    const artifact = / {2}(sha256:[0-9a-f]{12})$/.exec(
      lines
        .slice(0, first)
        .reverse()
        .find((l) => l.startsWith('    [unpinned]'))!,
    )![1];
    assert.deepEqual(
      lines.filter((l) => /^ {8}WARN /.test(l)),
      [
        `        WARN IDENTITY: No identity was pinned; the certificate was issued to ${identity}, which is not checked against anything.`,
        `        WARN ISSUER: No OIDC issuer was pinned; the certificate names ${GITHUB_ISSUER}.`,
        `        WARN IDENTITY, WARN ISSUER: the same as under ${artifact} above`,
        `        WARN IDENTITY, WARN ISSUER: the same as under ${artifact} above`,
      ],
    );
    assert.equal(partly.signatures.length, 3);
  });
});
