// Proves the integration harness itself: a real registry in each auth mode (raw undici requests,
// no project code), TLS with the test CA, generated fixtures that round-trip byte for byte, and
// real cosign layouts seeded straight into storage.
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from 'undici';
import { PREDICATE, pushReleaseFixture } from '../support/fixtures';
import { MANIFEST_ACCEPT, fetchBlob, fetchManifest, pushBlob, pushManifest, sha256Digest } from '../support/push';
import { startRegistry } from '../support/registry';
import type { TestRegistry } from '../support/registry';
import { realFixtureDir } from '../support/real-fixtures';
import { seedLayout } from '../support/storage-seed';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function get(
  reg: Pick<TestRegistry, 'dispatcher'>,
  url: string,
  headers: Record<string, string> = {},
  method: 'GET' | 'POST' = 'GET',
  body?: string,
): Promise<Raw> {
  const res = await request(url, { method, headers, dispatcher: reg.dispatcher, ...(body !== undefined ? { body } : {}) });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

/** `Bearer realm="...",service="..."` -> { realm, service, ... } */
function challenge(header: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of String(header).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const jwtPart = (token: string, i: number): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const tiny = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256Digest('{}'), size: 2 },
    layers: [],
  }),
);

async function pushTiny(reg: TestRegistry, repo: string, tag: string): Promise<string> {
  await pushBlob(reg, repo, Buffer.from('{}'));
  return pushManifest(reg, repo, tag, tiny, 'application/vnd.oci.image.manifest.v1+json');
}

test('anonymous mode: /v2/ and a pushed manifest answer without credentials', async () => {
  const reg = await startRegistry();
  try {
    assert.match(reg.host, /^127\.0\.0\.1:\d+$/);
    const v2 = await get(reg, `${reg.url}/v2/`);
    assert.equal(v2.status, 200);
    assert.equal(v2.headers['docker-distribution-api-version'], 'registry/2.0');
    const digest = await pushTiny(reg, 'acme/tiny', 'v1');
    const m = await get(reg, `${reg.url}/v2/acme/tiny/manifests/v1`, { accept: MANIFEST_ACCEPT });
    assert.equal(m.status, 200);
    assert.deepEqual(m.body, tiny);
    assert.equal(m.headers['docker-content-digest'], digest);
    // The gotcha the client must live with: without Accept, an OCI manifest is "unknown".
    assert.equal((await get(reg, `${reg.url}/v2/acme/tiny/manifests/v1`)).status, 404);
  } finally {
    await reg.stop();
  }
  assert.equal(existsSync(reg.storageDir), false, 'a fresh storage dir is removed on stop');
});

test('htpasswd mode over TLS: Basic challenge, 401 for a wrong password, 200 with the CA and credentials', async () => {
  const reg = await startRegistry({ auth: 'htpasswd', tls: true });
  try {
    assert.equal(reg.auth.mode, 'htpasswd');
    if (reg.auth.mode !== 'htpasswd') return;
    assert.match(reg.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(reg.caPem ?? '', /^-----BEGIN CERTIFICATE-----/);
    const anon = await get(reg, `${reg.url}/v2/`);
    assert.equal(anon.status, 401);
    assert.equal(anon.headers['www-authenticate'], 'Basic realm="provenance-lens-test"');
    assert.equal((await get(reg, `${reg.url}/v2/`, { authorization: basic(reg.auth.username, 'wrong') })).status, 401);
    // An explicit agent with only the CA: what a client configured with the CA would do.
    const withCa = new Agent({ connect: { ca: reg.caPem! } });
    try {
      const ok = await get({ dispatcher: withCa } as TestRegistry, `${reg.url}/v2/`, { authorization: basic(reg.auth.username, reg.auth.password) });
      assert.equal(ok.status, 200);
    } finally {
      await withCa.close();
    }
    const noCa = new Agent();
    try {
      await assert.rejects(get({ dispatcher: noCa } as TestRegistry, `${reg.url}/v2/`), (err: Error & { code?: string }) => {
        assert.match(String(err.code), /CERT|SIGNATURE|ISSUER/);
        return true;
      });
    } finally {
      await noCa.close();
    }
  } finally {
    await reg.stop();
  }
});

describe('token mode with the token server on another loopback host', () => {
  let reg: TestRegistry;
  let service = '';
  let realm = '';
  before(async () => {
    reg = await startRegistry({ auth: 'token', tokenServerHost: '127.0.0.2', publicRepos: ['acme/public'] });
    await pushTiny(reg, 'acme/private', 'v1');
    await pushTiny(reg, 'acme/public', 'v1');
  });
  after(() => reg.stop());
  const tokenServer = () => {
    assert.equal(reg.auth.mode, 'token');
    return reg.auth.mode === 'token' ? reg.auth.tokenServer : assert.fail('not token mode');
  };

  test('401 challenge, token with Basic from the realm, then 200; the token server saw one request', async () => {
    const ts = tokenServer();
    ts.clearRequests();
    const url = `${reg.url}/v2/acme/private/manifests/v1`;
    const first = await get(reg, url, { accept: MANIFEST_ACCEPT });
    assert.equal(first.status, 401);
    const c = challenge(first.headers['www-authenticate']);
    ({ realm, service } = c as { realm: string; service: string });
    assert.match(String(first.headers['www-authenticate']), /^Bearer /);
    assert.equal(c.realm, ts.realm);
    assert.match(c.realm!, /^http:\/\/127\.0\.0\.2:\d+\/token$/);
    assert.equal(c.service, 'provenance-lens-test-registry');
    assert.equal(c.scope, 'repository:acme/private:pull');
    assert.equal(reg.auth.mode, 'token');
    if (reg.auth.mode !== 'token') return;
    const tokenRes = await get(reg, `${realm}?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(c.scope!)}`, {
      authorization: basic(reg.auth.username, reg.auth.password),
    });
    assert.equal(tokenRes.status, 200);
    const body = JSON.parse(tokenRes.body.toString('utf8')) as {
      token: string;
      access_token: string;
      expires_in: number;
      issued_at: string;
      refresh_token?: string;
    };
    assert.equal(body.token, body.access_token);
    assert.equal(body.expires_in, 300);
    assert.equal(body.refresh_token, undefined, 'no refresh token unless offline_token=true');
    const header = jwtPart(body.token, 0);
    assert.equal(header.alg, 'RS256');
    assert.match(String(header.kid), /^[A-Z2-7]{4}(:[A-Z2-7]{4}){11}$/);
    assert.equal(header.kid, ts.kid);
    const claims = jwtPart(body.token, 1);
    assert.equal(claims.iss, reg.auth.issuer);
    assert.equal(claims.sub, reg.auth.username);
    assert.equal(claims.aud, service);
    assert.deepEqual(claims.access, [{ type: 'repository', name: 'acme/private', actions: ['pull'] }]);
    const ok = await get(reg, url, { accept: MANIFEST_ACCEPT, authorization: `Bearer ${body.token}` });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, tiny);
    assert.equal(ts.requests.length, 1);
    assert.deepEqual(
      ts.requests.map((r) => [r.method, r.path, r.hasAuthorization, r.status, r.scopes]),
      [['GET', '/token', true, 200, ['repository:acme/private:pull']]],
    );
  });

  test('an anonymous token pulls the public repo but gets 401 insufficient_scope on the private one', async () => {
    const ts = tokenServer();
    ts.clearRequests();
    const tokenFor = async (repo: string): Promise<string> => {
      const res = await get(reg, `${ts.realm}?service=${service}&scope=repository:${repo}:pull`);
      assert.equal(res.status, 200);
      return (JSON.parse(res.body.toString('utf8')) as { token: string }).token;
    };
    const publicToken = await tokenFor('acme/public');
    assert.deepEqual(jwtPart(publicToken, 1).access, [{ type: 'repository', name: 'acme/public', actions: ['pull'] }]);
    const pub = await get(reg, `${reg.url}/v2/acme/public/manifests/v1`, { accept: MANIFEST_ACCEPT, authorization: `Bearer ${publicToken}` });
    assert.equal(pub.status, 200);
    const privateToken = await tokenFor('acme/private');
    assert.deepEqual(jwtPart(privateToken, 1).access, []);
    const denied = await get(reg, `${reg.url}/v2/acme/private/manifests/v1`, { accept: MANIFEST_ACCEPT, authorization: `Bearer ${privateToken}` });
    assert.equal(denied.status, 401);
    assert.equal(challenge(denied.headers['www-authenticate']).error, 'insufficient_scope');
    assert.deepEqual(
      ts.requests.map((r) => [r.hasAuthorization, r.status]),
      [
        [false, 200],
        [false, 200],
      ],
    );
  });

  test('OAuth2 POST: password grant with access_type=offline, then refresh_token grant', async () => {
    const ts = tokenServer();
    ts.clearRequests();
    if (reg.auth.mode !== 'token') return;
    const form = (fields: Record<string, string>) =>
      get(reg, ts.realm, { 'content-type': 'application/x-www-form-urlencoded' }, 'POST', new URLSearchParams(fields).toString());
    const scope = 'repository:acme/private:pull';
    const pw = await form({
      grant_type: 'password',
      username: reg.auth.username,
      password: reg.auth.password,
      service,
      scope,
      client_id: 'provenance-lens',
      access_type: 'offline',
    });
    assert.equal(pw.status, 200);
    const refresh = (JSON.parse(pw.body.toString('utf8')) as { refresh_token?: string }).refresh_token;
    assert.equal(typeof refresh, 'string');
    const rt = await form({ grant_type: 'refresh_token', refresh_token: refresh!, service, scope, client_id: 'provenance-lens' });
    assert.equal(rt.status, 200);
    const { access_token: accessToken } = JSON.parse(rt.body.toString('utf8')) as { access_token: string };
    const ok = await get(reg, `${reg.url}/v2/acme/private/manifests/v1`, { accept: MANIFEST_ACCEPT, authorization: `Bearer ${accessToken}` });
    assert.equal(ok.status, 200);
    const bad = await form({ grant_type: 'refresh_token', refresh_token: 'nope', service, scope });
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body.toString('utf8')), { error: 'invalid_grant' });
    assert.deepEqual(
      ts.requests.map((r) => [r.method, r.grantType, r.scopes, r.status]),
      [
        ['POST', 'password', [scope], 200],
        ['POST', 'refresh_token', [scope], 200],
        ['POST', 'refresh_token', [scope], 400],
      ],
    );
    // Records never hold secrets: nothing from the form but grant type and scopes.
    assert.doesNotMatch(JSON.stringify(ts.requests), new RegExp(`${reg.auth.password}|${refresh}`));
  });
});

test('token mode over TLS: the realm on 127.0.0.2 is HTTPS and trusted through the same CA', async () => {
  const reg = await startRegistry({ auth: 'token', tls: true, tokenServerHost: '127.0.0.2' });
  try {
    if (reg.auth.mode !== 'token') return assert.fail('not token mode');
    await pushTiny(reg, 'acme/tls', 'v1');
    const url = `${reg.url}/v2/acme/tls/manifests/v1`;
    const c = challenge((await get(reg, url, { accept: MANIFEST_ACCEPT })).headers['www-authenticate']);
    assert.match(c.realm!, /^https:\/\/127\.0\.0\.2:\d+\/token$/);
    const res = await get(reg, `${c.realm}?service=${c.service}&scope=${c.scope}`, { authorization: basic(reg.auth.username, reg.auth.password) });
    assert.equal(res.status, 200);
    const { token } = JSON.parse(res.body.toString('utf8')) as { token: string };
    assert.equal((await get(reg, url, { accept: MANIFEST_ACCEPT, authorization: `Bearer ${token}` })).status, 200);
  } finally {
    await reg.stop();
  }
});

test('fixture generator: index, BuildKit attestations, cosign tags and referrers round-trip with valid signatures', async () => {
  const reg = await startRegistry();
  try {
    const repo = 'acme/app';
    const f = await pushReleaseFixture(reg, repo, {
      cosignFor: ['index', 'linux/arm64'],
      sbom: true,
      referrersFor: ['index', 'linux/amd64'],
      buildCacheEntry: true,
    });
    const idx = await fetchManifest(reg, repo, 'v1.0.0');
    assert.equal(idx.status, 200);
    assert.deepEqual(idx.bytes, f.index.bytes);
    assert.equal(sha256Digest(idx.bytes), f.index.digest);
    assert.equal(idx.mediaType, 'application/vnd.oci.image.index.v1+json');
    const entries = (
      JSON.parse(idx.bytes.toString('utf8')) as {
        manifests: { digest: string; platform: { os: string; architecture: string; variant?: string }; annotations?: Record<string, string> }[];
      }
    ).manifests;
    assert.deepEqual(
      entries.slice(0, 4).map((e) => [e.platform.os, e.platform.architecture, e.platform.variant]),
      [
        ['linux', 'amd64', undefined],
        ['linux', 'arm64', undefined],
        ['linux', 'arm', 'v7'],
        ['linux', 's390x', undefined],
      ],
    );
    assert.equal(entries.length, 4 + 4 + 1);
    assert.deepEqual(
      entries.slice(4, 8).map((e) => e.annotations?.['vnd.docker.reference.digest']),
      f.index.platforms.map((p) => p.digest),
    );
    assert.deepEqual(entries[8]!.annotations, undefined);
    assert.deepEqual(f.index.ignored, [entries[8]!.digest]);
    // A BuildKit statement is about its platform manifest.
    const att = f.index.attestations[2]!;
    assert.deepEqual(
      att.statements.map((s) => s.predicateType),
      [PREDICATE.slsaV1, PREDICATE.spdx],
    );
    const stmt = JSON.parse((await fetchBlob(reg, repo, att.statements[0]!.blobDigest)).toString('utf8')) as {
      subject: { digest: { sha256: string } }[];
      predicateType: string;
    };
    assert.equal(`sha256:${stmt.subject[0]!.digest.sha256}`, f.index.platforms[2]!.digest);

    const key = createPublicKey(f.publicKeyPem);
    assert.deepEqual(
      f.cosign.map((c) => [c.kind, c.covers]),
      [
        ['sig', f.index.digest],
        ['att', f.index.digest],
        ['sig', f.index.platforms[1]!.digest],
        ['att', f.index.platforms[1]!.digest],
        ['sbom', f.index.digest],
      ],
    );
    for (const c of f.cosign) {
      const m = await fetchManifest(reg, repo, c.tag);
      assert.equal(sha256Digest(m.bytes), c.digest);
      const layer = (JSON.parse(m.bytes.toString('utf8')) as { layers: { digest: string; annotations?: Record<string, string> }[] }).layers[0]!;
      const blob = await fetchBlob(reg, repo, layer.digest);
      if (c.kind === 'sig') {
        const payload = JSON.parse(blob.toString('utf8')) as {
          critical: { image: { 'docker-manifest-digest': string }; identity: { 'docker-reference': string } };
        };
        assert.equal(payload.critical.image['docker-manifest-digest'], c.covers);
        assert.equal(payload.critical.identity['docker-reference'], `${reg.host}/${repo}`);
        assert.equal(verify('sha256', blob, key, Buffer.from(layer.annotations!['dev.cosignproject.cosign/signature']!, 'base64')), true);
      } else if (c.kind === 'att') {
        assert.equal(layer.annotations?.predicateType, PREDICATE.slsaV1);
        const env = JSON.parse(blob.toString('utf8')) as { payloadType: string; payload: string; signatures: { sig: string }[] };
        const payload = Buffer.from(env.payload, 'base64');
        const pae = Buffer.concat([Buffer.from(`DSSEv1 ${env.payloadType.length} ${env.payloadType} ${payload.length} `), payload]);
        assert.equal(verify('sha256', pae, key, Buffer.from(env.signatures[0]!.sig, 'base64')), true);
        assert.equal(`sha256:${(JSON.parse(payload.toString('utf8')) as { subject: { digest: { sha256: string } }[] }).subject[0]!.digest.sha256}`, c.covers);
      }
    }

    assert.deepEqual(
      f.referrers.map((r) => [r.tag, r.covers]),
      [
        [`sha256-${f.index.digest.slice(7)}`, f.index.digest],
        [`sha256-${f.index.platforms[0]!.digest.slice(7)}`, f.index.platforms[0]!.digest],
      ],
    );
    const tagIndex = await fetchManifest(reg, repo, f.referrers[0]!.tag);
    const listed = (
      JSON.parse(tagIndex.bytes.toString('utf8')) as { manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[] }
    ).manifests;
    assert.deepEqual(
      listed.map((d) => [d.digest, d.artifactType, d.annotations['dev.sigstore.bundle.predicateType']]),
      f.referrers[0]!.referrers.map((r) => [r.digest, 'application/vnd.dev.sigstore.bundle.v0.3+json', r.predicateType]),
    );
    const referrer = JSON.parse((await fetchManifest(reg, repo, listed[0]!.digest)).bytes.toString('utf8')) as { subject: { digest: string } };
    assert.equal(referrer.subject.digest, f.index.digest);
    // This registry has no referrers API: clients must use the tag schema above.
    assert.equal((await get(reg, `${reg.url}/v2/${repo}/referrers/${f.index.digest}`)).status, 404);

    const list = await fetchManifest(reg, repo, 'v1.0.0-docker');
    assert.equal(list.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.equal(sha256Digest(list.bytes), f.dockerList!.digest);
    const single = await fetchManifest(reg, repo, 'v1.0.0-single');
    assert.equal(sha256Digest(single.bytes), f.singleArch!.digest);
    assert.equal((JSON.parse(single.bytes.toString('utf8')) as { manifests: unknown[] }).manifests.length, 2);
  } finally {
    await reg.stop();
  }
});

test('storage seeding serves the real slsa-github-generator v1.8.0 cosign layout, in two modes', async () => {
  const layout = realFixtureDir('cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch');
  const storageDir = await mkdtemp(join(tmpdir(), 'pl-seeded-'));
  const repo = 'slsa-framework/example-package';
  try {
    const seeded = seedLayout(storageDir, repo, layout, { tag: 'v1.8.0' });
    const image = 'sha256:038d72307b94cd27dffbfb458b695758929980cebec68ca892061a280636952b';
    assert.equal(seeded.imageDigest, image);
    assert.equal(seeded.attTag, `sha256-${image.slice(7)}.att`);
    assert.equal(seeded.attDigest, 'sha256:195f75fe5d0554704527695e9205c457d3544bd0b078340bebd109a761c57920');
    assert.equal(seeded.sigTag, undefined);
    assert.equal(seeded.missingBlobs.length, 10, 'the ten image layers were never saved by cosign');
    const file = (digest: string): Buffer => readFileSync(join(layout, 'blobs/sha256', digest.slice(7)));
    const anon = await startRegistry({ storageDir });
    const locked = await startRegistry({ storageDir, auth: 'htpasswd' });
    try {
      for (const [ref, digest] of [
        ['v1.8.0', image],
        [seeded.attTag!, seeded.attDigest!],
        [image, image],
        ['sha256:5c323fdfbf3cbe9d5cc4580f2dcc34a43fdbcf46c25784d68c25fe6909055060', 'sha256:5c323fdfbf3cbe9d5cc4580f2dcc34a43fdbcf46c25784d68c25fe6909055060'],
      ] as const) {
        const m = await fetchManifest(anon, repo, ref);
        assert.equal(m.status, 200, ref);
        assert.deepEqual(m.bytes, file(digest));
      }
      const envelope = 'sha256:291729ce6264067c1a61f8156f9133f2efcc3f72341d5cd22f2b9ba279ecb25f';
      assert.deepEqual(await fetchBlob(anon, repo, envelope), file(envelope));
      assert.equal((await get(locked, `${locked.url}/v2/${repo}/manifests/v1.8.0`, { accept: MANIFEST_ACCEPT })).status, 401);
      const m = await fetchManifest(locked, repo, 'v1.8.0');
      assert.deepEqual(m.bytes, file(image));
    } finally {
      await anon.stop();
      await locked.stop();
    }
    assert.equal(existsSync(join(storageDir, 'docker/registry/v2/repositories', repo)), true, 'caller-owned storage survives stop');
  } finally {
    await rm(storageDir, { recursive: true, force: true });
  }
});
