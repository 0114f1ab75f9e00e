// Document links from a goreleaser file's image references to the registry's page: https pages
// of registries with a fixed scheme, nothing guessed for the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryPage } from '../../src/goreleaser/registry-pages';

test('Docker Hub: /r/<org>/<repo>, and /_/<name> for official images', () => {
  assert.deepEqual(registryPage('docker.io/rancher/fleet:v0.12.0'), {
    url: 'https://hub.docker.com/r/rancher/fleet',
    site: 'Docker Hub',
    repository: 'rancher/fleet',
  });
  assert.equal(registryPage('rancher/fleet-agent:v0.12.0')?.url, 'https://hub.docker.com/r/rancher/fleet-agent');
  assert.equal(registryPage('index.docker.io/rancher/fleet')?.url, 'https://hub.docker.com/r/rancher/fleet');
  assert.equal(registryPage('nginx:1.27')?.url, 'https://hub.docker.com/_/nginx');
  assert.equal(registryPage('docker.io/library/alpine@sha256:' + 'a'.repeat(64))?.url, 'https://hub.docker.com/_/alpine');
});

test('GitHub Packages: the package under the repository of the same name; nested names are one encoded package', () => {
  assert.deepEqual(registryPage('ghcr.io/goreleaser/goreleaser:v2.12.0'), {
    url: 'https://github.com/goreleaser/goreleaser/pkgs/container/goreleaser',
    site: 'GitHub Packages',
    repository: 'goreleaser/goreleaser',
  });
  assert.equal(registryPage('ghcr.io/rancher/fleet/agent:v1')?.url, 'https://github.com/rancher/fleet/pkgs/container/fleet%2Fagent');
});

test('Quay and the Amazon ECR Public Gallery', () => {
  assert.equal(registryPage('quay.io/prometheus/node-exporter:v1.8.2')?.url, 'https://quay.io/repository/prometheus/node-exporter');
  assert.equal(registryPage('public.ecr.aws/karpenter/controller:1.0.0')?.url, 'https://gallery.ecr.aws/karpenter/controller');
});

test('no page for private, loopback, cloud-console or unparseable references', () => {
  for (const ref of [
    '127.0.0.1:5000/rancher/fleet:v1.0.0',
    'localhost:5000/app',
    'registry.suse.com/rancher/fleet:v0.12.0',
    'gcr.io/project/app:v1',
    'europe-docker.pkg.dev/p/r/app:v1',
    'registry.example.com/a/b',
    'docker.io/a/b/c',
    'quay.io/a/b/c',
    '<.Env.STAGE_REGISTRY>/rancher/fleet:v1',
    'ghcr.io/onlyowner',
    '',
    'oci-layout:/tmp/x',
  ])
    assert.equal(registryPage(ref), undefined, ref);
});

test("every page is https on the registry's own site", () => {
  for (const ref of ['rancher/fleet', 'ghcr.io/a/b', 'quay.io/a/b', 'public.ecr.aws/a/b', 'nginx']) {
    const url = new URL(registryPage(ref)!.url);
    assert.equal(url.protocol, 'https:');
    assert.ok(['hub.docker.com', 'github.com', 'quay.io', 'gallery.ecr.aws'].includes(url.host), url.host);
  }
});
