import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { pushMultiArchIndex } from '../support/fixtures';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import type { SigningIdentity, TestCertificateAuthority } from '../support/sigstore/ca';
import { cosignSign } from '../support/sigstore/cosign';
import type { MiniSigstore } from '../support/sigstore/mini-sigstore';
import { createMiniSigstore } from '../support/sigstore/mini-sigstore';
import { pushCosignLayers } from '../support/sigstore/release';
import type { ImageGraph } from '../../src/model/image-graph';
import { RegistryClient } from '../../src/registry/client';
import { buildGraph } from '../../src/registry/graph';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import { Verifier } from '../../src/host/verifier';
import { privatePki } from '../../src/verify/trust/certificate-chain';
import type { ImageVerdict } from '../../src/verify/image/image-verdict';
import type { ArtifactVerification } from '../../src/verify/image/verify-artifact';

// A private PKI through a real registry and the CLI, as `cosign verify --certificate-chain
// chain.pem --insecure-ignore-tlog` verifies it: the mini Sigstore's CA stands in for a company
// CA; its leaves carry an email SAN and no OIDC issuer; signatures have no log entry and no
// timestamp, so the certificate is checked at the current time.
type VerifyJson = Omit<ImageGraph, 'artifacts'> & {
  artifacts: Array<ImageGraph['artifacts'][number] & ArtifactVerification>;
  verdict: ImageVerdict;
  trustRoot: { instance: string; certificateChain?: { path: string; subjects: string[] } };
  policy: { certificateChain?: string; sources: Record<string, string> };
};
const EMAIL = 'release-bot@example.com';
const HOUR = 3_600_000;

describe('verify --certificate-chain: a private PKI signature without a log', () => {
  let reg: TestRegistry;
  let mini: MiniSigstore;
  let dir: string;
  let chain: string;
  let n = 0;
  before(async () => {
    [reg, mini] = await Promise.all([startRegistry(), createMiniSigstore()]);
    dir = mkdtempSync(join(tmpdir(), 'pl-pki-'));
    chain = join(dir, 'chain.pem');
    writeFileSync(chain, `${mini.ca.intermediate.pem}${mini.ca.root.pem}`);
  });
  after(async () => {
    await reg?.stop();
    await mini?.dispose();
  });

  const leaf = (
    ca: TestCertificateAuthority,
    times: { notBefore?: Date; notAfter?: Date } = { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 30 * 24 * HOUR) },
  ): Promise<SigningIdentity> => ca.issue({ san: { email: EMAIL }, issuerExtensions: 'none', ...times });

  /** A one-platform index whose .sig is made by `signer`, with no log entry. */
  async function signed(signer: SigningIdentity): Promise<string> {
    const repo = `pki/app-${++n}`;
    const index = await pushMultiArchIndex(reg, repo, { tag: 'v1.0.0', platforms: ['linux/amd64'], predicateTypes: [], buildCacheEntry: false });
    await pushCosignLayers(reg, repo, index.digest, 'sig', [cosignSign(signer, { reference: `${reg.host}/${repo}`, digest: index.digest })]);
    return `${reg.host}/${repo}:v1.0.0`;
  }
  const verify = async (ref: string, args: string[]) => {
    const r = await cli(['verify', ref, '--json', ...args]);
    assert.ok(r.stdout.startsWith('{'), r.stderr);
    return { code: r.code, out: JSON.parse(r.stdout) as VerifyJson };
  };
  /** A policy file in `dir` for the pki/ images: chain.pem beside it, no log, EMAIL the signer. */
  const chainPolicy = (name: string): string => {
    const policy = join(dir, name);
    const lines = [
      'version: 1',
      'images:',
      `  - image: ${reg.host}/pki/**`,
      '    certificateChain: chain.pem',
      '    requireTlog: false',
      `    identity: ${EMAIL}`,
      '',
    ];
    writeFileSync(policy, lines.join('\n'));
    return policy;
  };
  const signature = (out: VerifyJson) => out.artifacts.find((a) => a.kind === 'signature')!;
  const failingCodes = (a: ArtifactVerification) => a.checks.filter((c) => c.status === 'fail').map((c) => c.code);

  test('--certificate-chain + --insecure-ignore-tlog: verified, checked at the current time, the chain named (exit 0)', async () => {
    const ref = await signed(await leaf(mini.ca));
    const { code, out } = await verify(ref, ['--certificate-chain', chain, '--insecure-ignore-tlog', '--certificate-identity', EMAIL]);
    assert.equal(code, 0, JSON.stringify(signature(out).checks));
    assert.deepEqual([out.verdict.state, signature(out).state, signature(out).identity, signature(out).issuer], ['verified', 'verified', EMAIL, undefined]);
    const checks = signature(out).checks;
    assert.deepEqual(
      checks.filter((c) => c.status === 'warn' || c.status === 'fail'),
      [],
    );
    assert.match(checks.find((c) => c.code === 'TIMESTAMP')!.message, /^No signed time: certificate checked at the current time /);
    assert.equal(checks.find((c) => c.code === 'TIMESTAMP')!.status, 'info');
    assert.equal(checks.find((c) => c.code === 'ISSUER')!.status, 'info');
    assert.deepEqual([out.trustRoot.instance, out.trustRoot.certificateChain?.path, out.trustRoot.certificateChain?.subjects.length], ['custom', chain, 2]);
    assert.deepEqual([out.policy.certificateChain, out.policy.sources.certificateChain], [chain, 'cli']);

    const text = await cli(['verify', ref, '--certificate-chain', chain, '--insecure-ignore-tlog', '--certificate-identity', EMAIL]);
    assert.equal(text.code, 0);
    assert.match(
      text.stdout,
      new RegExp(`checked against sha256:[0-9a-f]{64}; signed by ${EMAIL} \\(issuer unknown\\); no signed time: certificate checked at the current time`),
    );
    assert.match(
      text.stdout,
      /^Trust: .*; certificate authorities: the private PKI chain .*chain\.pem \(O=provenance-lens\.test, CN=provenance-lens-test-intermediate; O=provenance-lens\.test, CN=provenance-lens-test\)$/m,
    );
    assert.match(text.stdout, /; private PKI chain .*chain\.pem/);
  });

  test('the default still requires a log: without --insecure-ignore-tlog, refused (exit 1)', async () => {
    const ref = await signed(await leaf(mini.ca));
    const { code, out } = await verify(ref, ['--certificate-chain', chain, '--certificate-identity', EMAIL]);
    assert.deepEqual([code, out.verdict.state], [1, 'failed']);
    assert.deepEqual(failingCodes(signature(out)), ['TIMESTAMP']);
  });

  test('refused: a certificate expired at the current time, one from another CA, the public-good root (exit 1)', async () => {
    const expired = await signed(await leaf(mini.ca, { notBefore: new Date(Date.now() - 48 * HOUR), notAfter: new Date(Date.now() - 24 * HOUR) }));
    const late = await verify(expired, ['--certificate-chain', chain, '--insecure-ignore-tlog', '--certificate-identity', EMAIL]);
    assert.deepEqual([late.code, failingCodes(signature(late.out))], [1, ['CERTIFICATE_CHAIN']]);
    assert.match(signature(late.out).checks.find((c) => c.status === 'fail')!.message, /not valid at the current time/);

    const other = await signed(await leaf(mini.untrustedCa));
    const untrusted = await verify(other, ['--certificate-chain', chain, '--insecure-ignore-tlog', '--certificate-identity', EMAIL]);
    assert.deepEqual([untrusted.code, failingCodes(signature(untrusted.out))], [1, ['CERTIFICATE_CHAIN']]);

    const good = await signed(await leaf(mini.ca));
    const publicGood = await verify(good, ['--insecure-ignore-tlog', '--certificate-identity', EMAIL]);
    assert.deepEqual([publicGood.code, publicGood.out.verdict.state], [1, 'failed']);
    assert.ok(failingCodes(signature(publicGood.out)).includes('CERTIFICATE_CHAIN'));
  });

  test('the policy file states the chain (relative to the file) and waives the log', async () => {
    const ref = await signed(await leaf(mini.ca));
    const policy = chainPolicy('.provenance-lens.yaml');
    const { code, out } = await verify(ref, ['--policy', policy]);
    assert.equal(code, 0, JSON.stringify(signature(out).checks));
    assert.deepEqual([out.policy.certificateChain, out.policy.sources.certificateChain, out.trustRoot.certificateChain?.path], [chain, 'policy-file', chain]);
  });

  test("the editor's verifier (src/host/verifier.ts) honours the policy's chain too: verified, not failed closed", async () => {
    const ref = await signed(await leaf(mini.ca));
    const policy = chainPolicy('editor-policy.yaml');
    const client = new RegistryClient({ insecureRegistries: [reg.host] });
    const open = (r: string) => openReference(parseReference(r), client);
    const logged: string[] = [];
    const verifier = new Verifier({
      settings: () => ({ offline: true, insecureRegistries: [reg.host], caFiles: [], concurrency: 4, cacheSizeMb: 16, ignored: [], refused: [] }),
      policyPath: () => policy,
      workspace: () => ({ trusted: true, folders: [], realpath: (p) => p }),
      source: async (g) => open(g.reference).source,
      trustCacheDir: join(dir, 'trust-cache'),
      log: { info: (m) => logged.push(m), warn: (m) => logged.push(`warn: ${m}`) },
    });
    const { source, target } = open(ref);
    const graph = await buildGraph(source, target);
    const result = await verifier.verify(graph, new AbortController().signal);
    assert.deepEqual(
      [result.verdict.state, result.verdict.verified],
      ['verified', true],
      JSON.stringify(result.artifacts.map((a) => a.checks.filter((c) => c.status === 'fail'))),
    );
    assert.equal(privatePki({ info: result.trustRoot })?.path, chain);
    assert.ok(
      logged.some((m) => m.startsWith('Trusted root: custom') && m.includes(chain)),
      logged.join('\n'),
    );

    // A signature by another CA is still refused by the same verifier.
    const other = await signed(await leaf(mini.untrustedCa));
    const opened = open(other);
    const refused = await verifier.verify(await buildGraph(opened.source, opened.target), new AbortController().signal);
    assert.equal(refused.verdict.state, 'failed');
  });

  test('usage errors (exit 2): an unreadable chain, a signing certificate given as the chain', async () => {
    const ref = await signed(await leaf(mini.ca));
    const missing = await cli(['verify', ref, '--certificate-chain', join(dir, 'nope.pem')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the certificate chain .*nope\.pem/);
    const leafFile = join(dir, 'leaf.pem');
    writeFileSync(leafFile, (await leaf(mini.ca)).certificate.pem);
    const wrong = await cli(['verify', ref, '--certificate-chain', leafFile]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Certificate 1 of .*leaf\.pem \(.*\) is not a CA certificate/);
  });
});
