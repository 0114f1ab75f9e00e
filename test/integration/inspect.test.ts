import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startRegistry, type TestRegistry } from '../support/registry';
import { EVERY_FORMAT_RELEASE, pushReleaseFixture, type ReleaseFixture } from '../support/fixtures';
import { seedLayout } from '../support/storage-seed';
import { realFixtureDir } from '../support/real-fixtures';
import { cli, dockerConfigWith } from '../support/cli';
import type { ImageGraph } from '../../src/model/image-graph';

const ROOT = resolve(__dirname, '../../..');
const GENERATOR = realFixtureDir('cosign-signatures', 'slsa-github-generator-container');

function graphOf(stdout: string): ImageGraph {
  return JSON.parse(stdout) as ImageGraph;
}

describe('inspect against a real registry (anonymous)', () => {
  let reg: TestRegistry;
  let fx: ReleaseFixture;
  before(async () => {
    reg = await startRegistry();
    fx = await pushReleaseFixture(reg, 'rancher/fleet-agent', { ...EVERY_FORMAT_RELEASE, sbom: true });
  });
  after(() => reg.stop());

  test('--json lists every platform and every artifact with the digest it covers', async () => {
    const r = await cli(['inspect', `${reg.host}/rancher/fleet-agent:v0.13.0`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const g = graphOf(r.stdout);
    assert.equal(g.reference, `${reg.host}/rancher/fleet-agent:v0.13.0`);
    assert.equal(g.digest, fx.index.digest);
    assert.equal(g.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.equal(g.kind, 'index');
    assert.deepEqual(
      g.platforms.map((p) => [p.platform, p.digest, p.size]),
      fx.index.platforms.map((p) => [p.key, p.digest, p.size]),
    );
    assert.deepEqual(
      g.others.map((o) => o.digest),
      [...fx.index.ignored],
    );
    assert.deepEqual(g.problems, []);
    assert.equal(g.referrersApi, false);

    // BuildKit: one artifact per in-toto layer, covering its platform.
    const bk = g.artifacts.filter((a) => a.format === 'buildkit-index');
    const expectedBk = fx.index.attestations.flatMap((a) => a.statements.map((s) => [a.covers, s.blobDigest, s.predicateType, a.digest]));
    assert.deepEqual(bk.map((a) => [a.coversDigest, a.digest, a.predicateType, a.manifestDigest]).sort(), expectedBk.sort());
    assert.ok(bk.every((a) => a.kind === (a.predicateType === 'https://spdx.dev/Document' ? 'sbom' : 'attestation')));
    for (const p of g.platforms) assert.equal(p.attestationManifest, fx.index.attestations.find((a) => a.covers === p.digest)?.digest);

    // cosign tag scheme, for the index and linux/arm64.
    const cosign = g.artifacts.filter((a) => a.format === 'cosign-tag');
    const kindOf = { sig: 'signature', att: 'attestation', sbom: 'sbom' } as const;
    assert.deepEqual(
      cosign.map((a) => [a.coversDigest, a.tag, a.kind, a.digest, a.manifestDigest]).sort(),
      fx.cosign.map((c) => [c.covers, c.tag, kindOf[c.kind], c.layerDigest, c.digest]).sort(),
    );
    assert.equal(cosign.find((a) => a.tag?.endsWith('.att'))?.predicateType, 'https://slsa.dev/provenance/v1');

    // Referrers through the tag schema (this registry has no referrers API).
    const refs = g.artifacts.filter((a) => a.format === 'referrer');
    assert.deepEqual(
      refs.map((a) => [a.coversDigest, a.digest, a.predicateType, a.discovery, a.tag]).sort(),
      fx.referrers.flatMap((t) => t.referrers.map((x) => [t.covers, x.digest, x.predicateType, 'referrers-tag-schema', t.tag])).sort(),
    );
    assert.deepEqual(refs.map((a) => a.kind).sort(), ['attestation', 'attestation', 'signature', 'signature']);
  });

  test('the tree names platforms, formats and who covers what', async () => {
    const r = await cli(['inspect', `${reg.host}/rancher/fleet-agent:v0.13.0`]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[1], `${fx.index.digest}  OCI image index  ${fx.index.size < 1000 ? `${fx.index.size} B` : `${(fx.index.size / 1000).toFixed(1)} kB`}`);
    for (const p of fx.index.platforms)
      assert.ok(
        lines.some((l) => l.includes(`${p.key}  ${p.digest.slice(0, 19)}`)),
        `${p.key} in tree`,
      );
    assert.ok(lines.some((l) => l.includes('BuildKit, in the index, unsigned')));
    assert.ok(lines.some((l) => /signature +cosign tag sha256-[0-9a-f]{12}….sig/.test(l)));
    // BuildKit's attestation manifests (unknown/unknown, annotated) are artifacts, never platforms.
    assert.deepEqual(
      lines.filter((l) => l.includes('unknown/unknown')),
      [],
    );
  });

  test('a Docker manifest list and a single-arch image that is an index because of provenance', async () => {
    const list = graphOf((await cli(['inspect', `${reg.host}/rancher/fleet-agent:v0.13.0-docker`, '--json'])).stdout);
    assert.equal(list.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.equal(list.digest, fx.dockerList!.digest);
    assert.deepEqual(
      list.platforms.map((p) => p.platform),
      ['linux/amd64', 'linux/arm64'],
    );
    assert.deepEqual(
      list.platforms.map((p) => p.mediaType),
      ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.v2+json'],
    );

    const single = graphOf((await cli(['inspect', `${reg.host}/rancher/fleet-agent:v0.13.0-single`, '--json'])).stdout);
    assert.equal(single.kind, 'index');
    assert.deepEqual(
      single.platforms.map((p) => [p.platform, p.digest]),
      [['linux/amd64', fx.singleArch!.platforms[0]!.digest]],
    );
    assert.deepEqual(
      single.artifacts.filter((a) => a.format === 'buildkit-index').map((a) => [a.format, a.predicateType, a.coversDigest]),
      [['buildkit-index', 'https://slsa.dev/provenance/v1', fx.singleArch!.platforms[0]!.digest]],
    );
  });

  test('by digest, and tag+digest (the digest wins)', async () => {
    const byDigest = graphOf((await cli(['inspect', `${reg.host}/rancher/fleet-agent@${fx.index.digest}`, '--json'])).stdout);
    assert.equal(byDigest.digest, fx.index.digest);
    const both = graphOf((await cli(['inspect', `${reg.host}/rancher/fleet-agent:v0.13.0-docker@${fx.index.digest}`, '--json'])).stdout);
    assert.equal(both.digest, fx.index.digest);
    assert.equal(both.tag, 'v0.13.0-docker');
  });

  test('a wrong reference, a missing tag and an unknown repository give a one-line cause and exit 2', async () => {
    const bad = await cli(['inspect', `${reg.host}/Rancher/fleet`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^provenance-lens inspect: Invalid image reference ".*" \(at character \d+\): "Rancher" has uppercase letters/);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    const missing = await cli(['inspect', `${reg.host}/rancher/fleet-agent:v9.9.9`]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^provenance-lens inspect: Manifest rancher\/fleet-agent:v9\.9\.9 was not found on 127\.0\.0\.1:\d+.*MANIFEST_UNKNOWN.*\[NOT_FOUND\]/,
    );
    const usage = await cli(['inspect']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /exactly one reference/);
  });

  test('tags lists releases newest first and hides cosign and referrers tags unless --all', async () => {
    const r = await cli(['tags', `${reg.host}/rancher/fleet-agent`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['v0.13.0', 'v0.13.0-single', 'v0.13.0-docker']);
    const all = JSON.parse((await cli(['tags', `${reg.host}/rancher/fleet-agent`, '--all', '--json'])).stdout) as { tags: string[] };
    assert.ok(all.tags.includes(`sha256-${fx.index.digest.slice(7)}.sig`));
    assert.ok(all.tags.includes(`sha256-${fx.index.digest.slice(7)}`));
    const withTag = await cli(['tags', `${reg.host}/rancher/fleet-agent:v1`]);
    assert.equal(withTag.code, 2);
    assert.match(withTag.stderr, /without a tag or digest/);
  });

  test('the built dist/cli.js (the package bin) gives the same graph', () => {
    const out = execFileSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'inspect', `${reg.host}/rancher/fleet-agent:v0.13.0`, '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/nonexistent' },
    });
    const g = graphOf(out);
    assert.equal(g.digest, fx.index.digest);
    assert.equal(g.platforms.length, 4);
  });
});

describe('inspect with authentication and TLS', () => {
  test('htpasswd: credentials from the Docker config; without them a 401 says how to sign in', async () => {
    const reg = await startRegistry({ auth: 'htpasswd' });
    try {
      assert.equal(reg.auth.mode, 'htpasswd');
      if (reg.auth.mode !== 'htpasswd') return;
      const fx = await pushReleaseFixture(reg, 'private/app', { dockerListTag: null, singleArchTag: null });
      const env = { DOCKER_CONFIG: dockerConfigWith(reg.host, reg.auth.username, reg.auth.password) };
      const ok = await cli(['inspect', `${reg.host}/private/app:v1.0.0`, '--json'], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(graphOf(ok.stdout).digest, fx.index.digest);
      const denied = await cli(['inspect', `${reg.host}/private/app:v1.0.0`]);
      assert.equal(denied.code, 2);
      assert.match(
        denied.stderr,
        /Not authorised by 127\.0\.0\.1:\d+: it asks for a username and password and none is configured\. Sign in with `docker login/,
      );
      assert.ok(!denied.stderr.includes(reg.auth.password));
    } finally {
      await reg.stop();
    }
  });

  test('token auth: anonymous pull of a public repository, credentials for a private one, realm on another host', async () => {
    const reg = await startRegistry({ auth: 'token', publicRepos: ['public/app'], tokenServerHost: '127.0.0.2' });
    try {
      if (reg.auth.mode !== 'token') throw new Error('token mode expected');
      const pub = await pushReleaseFixture(reg, 'public/app', { dockerListTag: null, singleArchTag: null });
      const priv = await pushReleaseFixture(reg, 'private/app', { dockerListTag: null, singleArchTag: null, tag: 'v2.0.0' });
      const anon = await cli(['inspect', `${reg.host}/public/app:v1.0.0`, '--json']);
      assert.equal(anon.code, 0, anon.stderr);
      assert.equal(graphOf(anon.stdout).digest, pub.index.digest);
      const anonPrivate = await cli(['inspect', `${reg.host}/private/app:v2.0.0`]);
      assert.equal(anonPrivate.code, 2);
      assert.match(anonPrivate.stderr, /UNAUTHORIZED|DENIED/);
      const env = { DOCKER_CONFIG: dockerConfigWith(reg.host, reg.auth.username, reg.auth.password) };
      const signedIn = await cli(['inspect', `${reg.host}/private/app:v2.0.0`, '--json'], env);
      assert.equal(signedIn.code, 0, signedIn.stderr);
      assert.equal(graphOf(signedIn.stdout).digest, priv.index.digest);
      // Tokens are cached per scope: one token request per CLI run and repository.
      const tokenRequests = reg.auth.tokenServer.requests.filter((q) => q.path.startsWith('/'));
      assert.ok(tokenRequests.length >= 3 && tokenRequests.length <= 6, `token requests: ${tokenRequests.length}`);
    } finally {
      await reg.stop();
    }
  });

  test('TLS with a private CA: refused without --ca-file, works with it', async () => {
    const reg = await startRegistry({ tls: true });
    try {
      const fx = await pushReleaseFixture(reg, 'tls/app', { dockerListTag: null, singleArchTag: null });
      const untrusted = await cli(['inspect', `${reg.host}/tls/app:v1.0.0`]);
      assert.equal(untrusted.code, 2);
      assert.match(untrusted.stderr, /TLS with 127\.0\.0\.1:\d+ failed .*--ca-file/);
      const ok = await cli(['inspect', `${reg.host}/tls/app:v1.0.0`, '--json', '--ca-file', reg.caPath!]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(graphOf(ok.stdout).digest, fx.index.digest);
    } finally {
      await reg.stop();
    }
  });
});

describe('the real slsa-github-generator images (cosign save layouts laid into the registry)', () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await startRegistry();
  });
  after(() => reg?.stop());

  for (const version of ['v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0']) {
    test(`${version}: platform(s), BuildKit attestation manifest and cosign .att with the digests they cover`, async () => {
      const layout = `${GENERATOR}/${version}/container_workflow_dispatch`;
      const seeded = seedLayout(reg.storageDir, `slsa/${version}`, layout, { tag: version });
      const expected = readFileSync(`${layout}.digest`, 'utf8').trim();
      const r = await cli(['inspect', `${reg.host}/slsa/${version}:${version}`, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const g = graphOf(r.stdout);
      assert.equal(g.digest, expected);
      assert.equal(g.platforms.length, 1);
      assert.equal(g.platforms[0]!.platform, 'linux/amd64');
      const att = g.artifacts.filter((a) => a.format === 'cosign-tag');
      assert.ok(att.length >= 1);
      assert.ok(
        att.every(
          (a) =>
            a.coversDigest === expected && a.kind === 'attestation' && a.tag === `sha256-${expected.slice(7)}.att` && a.manifestDigest === seeded.attDigest,
        ),
      );
      assert.ok(att.every((a) => a.predicateType === 'https://slsa.dev/provenance/v0.2'));
      const bk = g.artifacts.filter((a) => a.format === 'buildkit-index');
      if (version === 'v1.4.0') {
        assert.equal(g.kind, 'manifest');
        assert.equal(bk.length, 0);
      } else {
        assert.equal(g.kind, 'index');
        assert.equal(bk.length, 1);
        assert.equal(bk[0]!.coversDigest, g.platforms[0]!.digest);
        assert.equal(bk[0]!.manifestDigest, g.platforms[0]!.attestationManifest);
        assert.equal(bk[0]!.predicateType, 'https://slsa.dev/provenance/v0.2');
      }
    });
  }

  test('the same image straight from its cosign save layout (oci-layout:) gives the same graph', async () => {
    const layout = `${GENERATOR}/v1.8.0/container_workflow_dispatch`;
    const fromLayout = graphOf((await cli(['inspect', `oci-layout:${layout}`, '--json'])).stdout);
    seedLayout(reg.storageDir, 'slsa/layout-compare', layout, { tag: 'v1.8.0' });
    const fromRegistry = graphOf((await cli(['inspect', `${reg.host}/slsa/layout-compare:v1.8.0`, '--json'])).stdout);
    assert.equal(fromLayout.source, 'oci-layout');
    assert.equal(fromLayout.digest, fromRegistry.digest);
    assert.deepEqual(fromLayout.platforms, fromRegistry.platforms);
    const strip = (g: ImageGraph) => g.artifacts.map((a) => [a.coversDigest, a.format, a.kind, a.digest, a.predicateType]);
    assert.deepEqual(strip(fromLayout), strip(fromRegistry));
  });
});
