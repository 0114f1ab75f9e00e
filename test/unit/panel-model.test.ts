import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toPanelModel } from '../../src/panel/model';
import type { PanelModel } from '../../src/protocol/panel';
import { IDENTITY, ISSUER, JS_URL, LOG_INDEX, ONE_MIB, hostileImage, panelImage } from '../support/panel-fixtures';

const ref = '127.0.0.1:5000/rancher/fleet-agent:v0.13.0';

function model(): PanelModel {
  const f = panelImage();
  return toPanelModel(f.graph, f.verification, f.provenance);
}

/** Every `url` anywhere in the model. */
function urls(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => urls(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (/url$/i.test(k) && typeof v === 'string') out.push(v);
      else urls(v, out);
    }
  }
  return out;
}

describe('toPanelModel', () => {
  test('the header: reference, pinned digest, verdict and coverage sentence from the verifier', () => {
    const m = model();
    const f = panelImage();
    assert.equal(m.reference, ref);
    assert.equal(m.digest, f.graph.digest);
    assert.equal(m.pinnedReference, `127.0.0.1:5000/rancher/fleet-agent@${f.graph.digest}`);
    assert.equal(m.kind, 'index');
    assert.deepEqual(
      { ...m.verdict },
      {
        state: 'verified',
        label: 'Verified',
        coverage: f.verification.verdict.coverage,
        trustRoot: 'Sigstore public-good',
      },
    );
    assert.match(
      m.verdict.coverage!,
      /^index signed by https:\/\/github\.com\/rancher\/fleet\/.*; linux\/amd64, linux\/arm64 and linux\/arm\/v7 covered through the index/,
    );
    assert.deepEqual(m.notices, []);
  });

  test('platforms carry their digest, size and state, covered through the index', () => {
    const m = model();
    assert.deepEqual(
      m.platforms.map((p) => [p.platform, p.state, p.throughIndex, p.imageSize]),
      [
        ['linux/amd64', 'verified', true, 31_457_280],
        ['linux/arm64', 'verified', true, 29_457_280],
        ['linux/arm/v7', 'verified', true, 27_457_280],
      ],
    );
    assert.deepEqual(
      m.checks.filter((c) => c.code === 'COVERAGE').map((c) => c.platforms),
      [['linux/amd64'], ['linux/arm64'], ['linux/arm/v7']],
    );
  });

  test('a signature: identity, issuer, certificate validity and the public log search link', () => {
    const sig = model().artifacts[0]!;
    assert.equal(sig.kind, 'signature');
    assert.equal(sig.state, 'verified');
    assert.equal(sig.identity, IDENTITY);
    assert.equal(sig.issuer, ISSUER);
    assert.equal(sig.coversLabel, 'the index');
    assert.match(sig.formatLabel, /^cosign tag sha256-[0-9a-f]{64}\.sig$/);
    const tlog = sig.checks.find((c) => c.code === 'TLOG')!;
    assert.deepEqual(
      tlog.facts.find((f) => f.label === 'Log entry'),
      {
        label: 'Log entry',
        value: `${LOG_INDEX} in https://rekor.sigstore.dev`,
        url: `https://search.sigstore.dev/?logIndex=${LOG_INDEX}`,
      },
    );
    const chain = sig.checks.find((c) => c.code === 'CERTIFICATE_CHAIN')!;
    assert.deepEqual(
      chain.facts.find((f) => f.label === 'Certificate valid'),
      { label: 'Certificate valid', value: '2025-07-01T10:07:01Z to 2025-07-01T10:17:01Z' },
    );
    assert.deepEqual(sig.checks.find((c) => c.code === 'IDENTITY')!.facts, [{ label: 'Identity', value: IDENTITY }]);
  });

  test('no log search link for a log that is not public-good Rekor', () => {
    const f = panelImage();
    const withGithub = { ...f.verification, trustRoot: { ...f.verification.trustRoot, instance: 'github' as const } };
    const tlog = toPanelModel(f.graph, withGithub, f.provenance).artifacts[0]!.checks.find((c) => c.code === 'TLOG')!;
    assert.equal(tlog.facts.find((x) => x.label === 'Log entry')!.url, undefined);
  });

  test('a failing referrer signature keeps the identity that failed and the reason', () => {
    const failed = model().artifacts.find((a) => a.format === 'referrer')!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.coversLabel, 'linux/arm64');
    assert.equal(failed.formatLabel, 'OCI referrer (referrers tag schema)');
    const identity = failed.checks.find((c) => c.code === 'IDENTITY')!;
    assert.equal(identity.status, 'fail');
    assert.match(identity.message, /does not match the policy/);
  });

  test("BuildKit's statements are shown as unsigned, SBOMs summarised with their standard", () => {
    const m = model();
    const bk = m.artifacts.filter((a) => a.format === 'buildkit-index');
    assert.equal(bk.length, 6);
    assert.ok(bk.every((a) => a.state === 'unsigned' && a.formatLabel === 'BuildKit attestation inside the index'));
    assert.deepEqual(
      m.sboms.map((s) => [s.standard, s.coversLabel, s.state]),
      [
        ['SPDX', 'linux/amd64', 'unsigned'],
        ['SPDX', 'linux/arm64', 'unsigned'],
        ['SPDX', 'linux/arm/v7', 'unsigned'],
      ],
    );
    assert.deepEqual(m.predicateTypes, ['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document']);
  });

  test('provenance: index-level statement once, each platform its own, fields as written, links checked', () => {
    const m = model();
    assert.deepEqual(
      m.provenance.map((p) => [p.attachedTo, p.state, p.formatLabel.replace(/[0-9a-f]{64}/, 'HEX')]),
      [
        ['index', 'verified', 'cosign tag sha256-HEX.att'],
        ['platform', 'unsigned', 'BuildKit attestation inside the index'],
        ['platform', 'unsigned', 'BuildKit attestation inside the index'],
        ['platform', 'unsigned', 'BuildKit attestation inside the index'],
      ],
    );
    const p = m.provenance[0]!;
    assert.equal(p.builderId, 'https://github.com/rancher/fleet/actions/runs/12345678901');
    assert.equal(p.buildTypeLabel, 'BuildKit');
    assert.equal(p.source?.repositoryUrl, 'https://github.com/rancher/fleet');
    assert.equal(p.source?.commitUrl, 'https://github.com/rancher/fleet/commit/4f9c2e1d0b8a7c6e5d4f3a2b1c0d9e8f7a6b5c4d');
    assert.equal(p.frontend, 'dockerfile.v0');
    assert.deepEqual(p.buildArgs, [
      { name: 'VERSION', value: 'v0.13.0' },
      { name: 'COMMIT', value: '4f9c2e1d' },
      { name: 'BUILD_DATE', value: '2025-07-01T10:04:11Z' },
    ]);
    assert.deepEqual(p.secrets, ['GITHUB_TOKEN']);
    assert.equal(p.startedOn, '2025-07-01T10:04:11.514Z');
    assert.equal(p.finishedOn, '2025-07-01T10:06:52.003Z');
    assert.deepEqual(p.materials[0]!.digests.length, 1);
    assert.equal(p.materials[0]!.url, undefined, 'a pkg: URI is not a link');
    assert.ok(JSON.parse(p.statementJson!).predicate.buildDefinition);
  });

  test('without a verification: not verified, said so, BuildKit statements still unsigned', () => {
    const f = panelImage();
    const m = toPanelModel(f.graph, undefined, f.provenance);
    assert.equal(m.verdict.state, 'not-verified');
    assert.equal(m.verdict.coverage, 'No signature was checked. The registry holds 2 signatures and 7 attestations or SBOMs for this image.');
    assert.ok(m.platforms.every((p) => p.state === 'not-verified'));
    assert.equal(m.artifacts[0]!.state, 'not-verified');
    assert.equal(m.artifacts[2]!.state, 'unsigned');
    assert.deepEqual(m.notices, [{ severity: 'info', message: 'Signatures were not checked: this shows what the registry holds, not who signed it.' }]);
    assert.deepEqual(
      m.raw.map((r) => r.id),
      ['raw-graph'],
    );
  });

  test('failures of verification and provenance become notices; the rest stands', () => {
    const f = panelImage();
    const m = toPanelModel(f.graph, undefined, undefined, {
      verificationFailure: { code: 'NETWORK', message: 'the trusted root could not be read' },
      provenanceFailure: { code: 'TIMEOUT', message: 'no answer in 30 s' },
    });
    assert.deepEqual(
      m.notices.map((n) => n.severity),
      ['error', 'warn'],
    );
    assert.equal(m.notices[0]!.message, 'Signatures could not be verified: the trusted root could not be read [NETWORK]');
    assert.deepEqual(m.provenance, []);
    assert.equal(m.platforms.length, 3);
  });

  test('unpinned: a notice names the signers seen and where to pin one, never pins it', () => {
    const f = panelImage();
    const unpinned = {
      ...f.verification,
      verdict: { ...f.verification.verdict, state: 'unpinned' as const, verified: false },
      artifacts: f.verification.artifacts.map((a) => (a.state === 'verified' ? { ...a, state: 'unpinned' as const } : a)),
    };
    const m = toPanelModel(f.graph, unpinned, f.provenance);
    assert.equal(m.verdict.state, 'unpinned');
    assert.deepEqual(m.notices, [
      {
        severity: 'warn',
        message: `No signer is pinned for this image, so its valid signatures are not "verified": anyone can obtain a Sigstore certificate. If the signer is your release workflow, pin it in the workspace's .provenance-lens.yaml under defaults: identity: ${JSON.stringify(IDENTITY)} and issuer: ${JSON.stringify(ISSUER)}. Another file can be named in the setting provenanceLens.policyFile.`,
      },
    ]);
    // Verified images get no such notice (the header test above: none at all).
    assert.deepEqual(model().notices, []);
  });

  test('the model is plain JSON: it survives a round trip unchanged', () => {
    const m = model();
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  });

  test('hostile provenance: values kept as written, never turned into links', () => {
    const f = hostileImage();
    const m = toPanelModel(f.graph, f.verification, f.provenance);
    const p = m.provenance[0]!;
    assert.equal(p.builderId, JS_URL);
    assert.equal(p.runUrl, undefined);
    assert.equal(p.materials[0]!.uri, JS_URL);
    assert.equal(p.materials[0]!.url, undefined);
    assert.equal(p.buildArgs.find((a) => a.name === 'HUGE')!.value.length, ONE_MIB.length + '<script>window.__pwned=1;alert(1)</script>'.length);
    for (const u of urls(m)) assert.match(u, /^https:\/\/[^\s\u202a-\u202e\u2066-\u2069]+$/, u.slice(0, 100));
    assert.equal(m.problems[0]!.message, '<img src=x onerror="window.__pwned=1;alert(1)"> could not be read');
  });
});
