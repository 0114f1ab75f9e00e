import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReference, parseReference, parseRegistryReference, familiarName } from '../../src/registry/reference';
import { LensError } from '../../src/core/errors';

const HEX = 'a'.repeat(64);

test('Docker Hub short names are normalised to docker.io/library', () => {
  assert.deepEqual(parseRegistryReference('nginx'), { kind: 'registry', registry: 'docker.io', repository: 'library/nginx' });
  assert.deepEqual(parseRegistryReference('nginx:1.27'), { kind: 'registry', registry: 'docker.io', repository: 'library/nginx', tag: '1.27' });
  assert.deepEqual(parseRegistryReference('rancher/fleet:v0.12.0'), { kind: 'registry', registry: 'docker.io', repository: 'rancher/fleet', tag: 'v0.12.0' });
  assert.equal(parseRegistryReference('index.docker.io/rancher/fleet').registry, 'docker.io');
  assert.equal(parseRegistryReference('docker.io/busybox').repository, 'library/busybox');
  assert.equal(familiarName(parseRegistryReference('docker.io/library/busybox')), 'busybox');
});

test('registry hosts with ports, localhost and IPv6', () => {
  assert.deepEqual(parseRegistryReference('localhost:5000/fleet-agent:v1'), {
    kind: 'registry',
    registry: 'localhost:5000',
    repository: 'fleet-agent',
    tag: 'v1',
  });
  assert.deepEqual(parseRegistryReference('localhost/app'), { kind: 'registry', registry: 'localhost', repository: 'app' });
  assert.deepEqual(parseRegistryReference('127.0.0.1:5000/a/b/c'), { kind: 'registry', registry: '127.0.0.1:5000', repository: 'a/b/c' });
  assert.deepEqual(parseRegistryReference('[::1]:5000/app:v2'), { kind: 'registry', registry: '[::1]:5000', repository: 'app', tag: 'v2' });
  assert.equal(parseRegistryReference('registry.suse.com/rancher/fleet').registry, 'registry.suse.com');
  // A first component with uppercase is a host, as in distribution/reference.
  assert.equal(parseRegistryReference('Registry/app').registry, 'Registry');
});

test('tag, digest and tag+digest', () => {
  const d = `sha256:${HEX}`;
  assert.deepEqual(parseRegistryReference(`ghcr.io/o/r@${d}`), { kind: 'registry', registry: 'ghcr.io', repository: 'o/r', digest: d });
  assert.deepEqual(parseRegistryReference(`ghcr.io/o/r:v1.2.3@${d}`), { kind: 'registry', registry: 'ghcr.io', repository: 'o/r', tag: 'v1.2.3', digest: d });
  const d512 = `sha512:${'b'.repeat(128)}`;
  assert.equal(parseRegistryReference(`ghcr.io/o/r@${d512}`).digest, d512);
  assert.equal(formatReference(parseRegistryReference(`o/r:v1@${d}`)), `docker.io/o/r:v1@${d}`);
});

function rejects(input: string, pattern: RegExp, position?: number): void {
  assert.throws(
    () => parseReference(input),
    (e: unknown) => {
      assert.ok(e instanceof LensError, 'LensError');
      assert.equal(e.code, 'REFERENCE_INVALID');
      assert.match(e.message, pattern);
      if (position !== undefined) assert.equal(e.details.position, position, e.message);
      return true;
    },
  );
}

test('errors say what is wrong and where', () => {
  rejects('', /empty/);
  rejects('ghcr.io/Org/app', /uppercase/, 9);
  rejects('ghcr.io/org//app', /empty path component/, 13);
  rejects('ghcr.io/org/app:-bad', /not a valid tag/, 17);
  rejects(`ghcr.io/org/app@sha256:${'a'.repeat(10)}`, /64 lowercase hex characters, got 10/, 17);
  rejects(`ghcr.io/org/app@md5:${'a'.repeat(32)}`, /not supported/);
  rejects('ghcr.io:99999/app', /not a port number/, 9);
  rejects('ghcr .io/app', /whitespace/, 5);
  rejects('bad_host.io/app', /not a valid registry host name/, 1);
  rejects('ghcr.io/', /empty path component/);
  rejects(`${'a'.repeat(250)}.io/${'b'.repeat(10)}`, /longer than 255/);
});

test('OCI layout references, with tag, digest and cosign save layouts', () => {
  assert.deepEqual(parseReference('oci-layout:/tmp/layout'), { kind: 'oci-layout', path: '/tmp/layout' });
  assert.deepEqual(parseReference('oci-layout:./out/img:v1'), { kind: 'oci-layout', path: './out/img', tag: 'v1' });
  assert.deepEqual(parseReference(`oci-layout:/a:b/c@sha256:${HEX}`), { kind: 'oci-layout', path: '/a:b/c', digest: `sha256:${HEX}` });
  rejects('oci-layout:', /layout path is missing/);
  rejects('oci-layout:/x@sha256:zz', /not a valid sha256 digest|not a digest/);
});
