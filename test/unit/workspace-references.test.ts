// The pure parts of the editor's workspace references: pinning a written reference by digest in
// each kind of file (src/fixes/pin-digest.ts), digest drift, the "Workspace images" release
// (src/releases/workspace-release.ts), which images a policy says anything about
// (src/releases/policy-coverage.ts), and the words of hovers, lenses and the pin's question.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { digestDrift, driftMessage, pinEdit, tagOf, writtenDigest } from '../../src/fixes/pin-digest';
import { imageHoverMarkdown } from '../../src/goreleaser/hover-markdown';
import { referenceHover } from '../../src/hovers/reference-hover-content';
import { lensWords, unverifiedReason } from '../../src/hovers/pin-words';
import { readReferences } from '../../src/references/read';
import type { FileKind } from '../../src/references/types';
import { NO_POLICY, policyCovers } from '../../src/releases/policy-coverage';
import type { ImageLoad } from '../../src/releases/types';
import { workspaceRelease } from '../../src/releases/workspace-release';
import { parsePolicyFile, policyForImage } from '../../src/verify/policy';
import type { ImageGraph } from '../../src/model/image-graph';
import type { ImageVerification } from '../../src/verify/image';
import { realFixture } from '../support/real-fixtures';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const OTHER = `sha256:${'cd'.repeat(32)}`;
const IDS = {
  verify: 'provenanceLens.verifyImage',
  showProvenance: 'provenanceLens.showProvenance',
  reveal: 'provenanceLens.goreleaser.revealImage',
  setEnv: 'provenanceLens.goreleaser.setEnv',
  signIn: 'provenanceLens.signIn',
};

/** The text after applying the pin of the site at `index`; undefined when none is offered. */
function pinned(kind: FileKind, text: string, index = 0, digest = DIGEST): string | undefined {
  const site = readReferences(kind, text).references[index]!;
  const edit = pinEdit(kind, site, digest, text);
  return edit === undefined ? undefined : text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

test('a literal reference gets @digest after its tag, in every kind that writes one', () => {
  assert.equal(pinned('dockerfile', 'FROM golang:1.22 AS build\n'), `FROM golang:1.22@${DIGEST} AS build\n`);
  assert.equal(pinned('compose', 'services:\n  web:\n    image: "nginx:1.27"\n'), `services:\n  web:\n    image: "nginx:1.27@${DIGEST}"\n`);
  assert.equal(
    pinned('kubernetes', 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: ghcr.io/org/app:v1   # app\n'),
    `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: ghcr.io/org/app:v1@${DIGEST}   # app\n`,
  );
  assert.equal(
    pinned('github-workflow', 'jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://alpine:3.20\n'),
    `jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker://alpine:3.20@${DIGEST}\n`,
  );
  // A written digest is replaced, the tag kept.
  assert.equal(pinned('dockerfile', `FROM golang:1.22@${OTHER}\n`), `FROM golang:1.22@${DIGEST}\n`);
});

test('Helm values and kustomizations: the digest (or sha) key the map has is filled; without one nothing is offered', () => {
  assert.equal(
    pinned('helm-values', 'image:\n  repository: org/app\n  tag: v1\n  digest: ""\n'),
    `image:\n  repository: org/app\n  tag: v1\n  digest: "${DIGEST}"\n`,
  );
  assert.equal(
    pinned('helm-values', 'image:\n  repository: org/app\n  tag: v1\n  digest:\n'),
    `image:\n  repository: org/app\n  tag: v1\n  digest: ${DIGEST}\n`,
  );
  assert.equal(
    pinned('helm-values', 'image:\n  repository: org/app\n  tag: v1\n  sha: ""\n'),
    `image:\n  repository: org/app\n  tag: v1\n  sha: "${'ab'.repeat(32)}"\n`,
  );
  assert.equal(pinned('helm-values', 'image:\n  repository: org/app\n  tag: v1\n'), undefined);
  assert.equal(
    pinned('kustomization', `images:\n  - name: app\n    newName: ghcr.io/org/app\n    newTag: v1\n    digest: ${OTHER}\n`),
    `images:\n  - name: app\n    newName: ghcr.io/org/app\n    newTag: v1\n    digest: ${DIGEST}\n`,
  );
  assert.equal(pinned('kustomization', 'images:\n  - name: app\n    newTag: v1\n'), undefined);
  // The real fleet chart: values without a digest key get nothing.
  assert.equal(pinned('helm-values', readFileSync(realFixture('helm-values', 'rancher-fleet', 'values.yaml'), 'utf8')), undefined);
});

test('references not written literally are never pinned: variables, expressions, templates, unresolved tags', () => {
  assert.equal(pinned('dockerfile', 'ARG BASE=golang:1.22\nFROM $BASE\n'), undefined);
  assert.equal(pinned('compose', 'services:\n  web:\n    image: nginx:${TAG:-1.27}\n'), undefined);
  assert.equal(pinned('github-workflow', 'jobs:\n  t:\n    container: ${{ matrix.image }}\n'), undefined);
  assert.equal(pinned('helm-values', 'image:\n  repository: org/app\n  digest: ""\n'), undefined, 'no tag and no appVersion: unresolved');
  const site = readReferences('dockerfile', 'FROM golang:1.22\n').references[0]!;
  assert.equal(pinEdit('dockerfile', site, 'sha256:short', 'FROM golang:1.22\n'), undefined, 'only a sha256 digest is written');
});

test('digest drift: the tag moved, or the pinned digest does not verify; a pin that holds is none', () => {
  const ref = `ghcr.io/org/app:v1@${OTHER}`;
  assert.equal(tagOf(ref), 'ghcr.io/org/app:v1');
  assert.equal(tagOf(`ghcr.io/org/app@${OTHER}`), undefined);
  assert.equal(writtenDigest(ref), OTHER);
  const moved = digestDrift(ref, DIGEST, undefined)!;
  assert.deepEqual(moved, { kind: 'moved', written: OTHER, current: DIGEST, tag: 'ghcr.io/org/app:v1' });
  assert.equal(driftMessage(moved), `Digest drift: ghcr.io/org/app:v1 now points to sha256:abababababab…, not to the pinned sha256:cdcdcdcdcdcd….`);
  assert.equal(
    driftMessage(digestDrift(ref, OTHER, 'The image is not signed.')!),
    'Digest drift: the pinned sha256:cdcdcdcdcdcd… does not verify: The image is not signed.',
  );
  assert.equal(digestDrift(ref, OTHER, undefined), undefined);
  assert.equal(digestDrift('ghcr.io/org/app:v1', DIGEST, 'x'), undefined, 'nothing pinned, no drift');
});

test('the Workspace images release: files in order, each reference once per file, unresolved ones kept', () => {
  const docker = readReferences('dockerfile', 'ARG V\nFROM golang:1.22 AS a\nFROM golang:1.22 AS b\nFROM alpine:$V\n');
  const release = workspaceRelease([
    { file: '/w/Dockerfile', ...docker },
    { file: '/w/k.yaml', ...readReferences('kubernetes', 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: golang:1.22\n') },
  ])!;
  assert.equal(release.id, 'workspace');
  assert.equal(release.origin, 'workspace');
  assert.deepEqual(
    release.images.map((i) => [i.file, i.reference, i.line, i.unresolved]),
    [
      ['/w/Dockerfile', 'docker.io/library/golang:1.22', 2, undefined],
      ['/w/Dockerfile', null, 4, ['V']],
      ['/w/k.yaml', 'docker.io/library/golang:1.22', 6, undefined],
    ],
  );
  assert.equal(workspaceRelease([]), undefined);
});

test('a policy says something about an image when an entry names it, or a signer is pinned for every image', () => {
  const parsed = parsePolicyFile(
    'version: 1\ndefaults:\n  github: { repository: org/app, workflow: release.yml }\nimages:\n  - image: ghcr.io/org/*\n',
    '/p.yaml',
  );
  const file = parsed.policy!;
  assert.equal(policyCovers(policyForImage(file, 'ghcr.io/org/app:v1')), true);
  // Defaults and GitHub derivation describe the project's own images, not a base image from elsewhere.
  assert.equal(policyCovers(policyForImage(file, 'golang:1.22')), false);
  assert.equal(policyCovers(policyForImage(file, 'ghcr.io/other/tool:v1')), false);
  assert.equal(policyCovers({ requiredPredicateTypes: [], requireTlog: true, sources: { identity: 'cli' } }), true);
  assert.equal(policyCovers({ requiredPredicateTypes: [], requireTlog: true, sources: { identity: 'settings' } }), true);
  assert.equal(policyCovers({ requiredPredicateTypes: [], requireTlog: true, sources: { identity: 'derived' } }), false);
});

const graph = {
  reference: 'docker.io/library/golang:1.22',
  registry: 'docker.io',
  digest: DIGEST,
  kind: 'index',
  mediaType: 'application/vnd.oci.image.index.v1+json',
  platforms: [{ platform: 'linux/amd64', digest: OTHER }],
  artifacts: [],
  problems: [],
} as unknown as ImageGraph;
const verified = (state: string, causes: { code: string; message: string }[] = []): ImageLoad => ({
  status: 'loaded',
  graph,
  ms: 1,
  verification: { verdict: { state, causes, digests: [], checks: [], coverage: '' }, artifacts: [] } as unknown as ImageVerification,
});

test('hover: an image no policy names reads "no policy for this image" with what the registry holds, never a verdict', () => {
  const site = readReferences('dockerfile', 'FROM golang:1.22\n').references[0]!;
  const md = imageHoverMarkdown(
    referenceHover(
      {
        kind: 'dockerfile',
        site,
        reference: 'docker.io/library/golang:1.22',
        load: verified('unsigned', [{ code: 'NO_SIGNATURE', message: 'The image is not signed.' }]),
        covered: false,
      },
      IDS,
    ),
  );
  assert.ok(md.startsWith(`**${NO_POLICY}**\\\n[Verify](command:provenanceLens.verifyImage?`), md);
  assert.doesNotMatch(md, /unsigned|not signed/);
  assert.match(md, /\*\*FROM\*\* · base image/);
  assert.match(md, new RegExp(`Digest: \`${DIGEST}\``));
  assert.match(md, /1 platform: `linux\/amd64`/);
  // Written as read: no second line for the same text, and no goreleaser "Template".
  assert.doesNotMatch(md, /Template|Written/);
  const covered = imageHoverMarkdown(
    referenceHover(
      {
        kind: 'dockerfile',
        site,
        reference: 'docker.io/library/golang:1.22',
        load: verified('unsigned', [{ code: 'NO_SIGNATURE', message: 'The image is not signed.' }]),
        covered: true,
        drift: 'Digest drift: x',
      },
      IDS,
    ),
  );
  assert.match(covered, /^\*\*unsigned\*\* · The image is not signed/);
  assert.match(covered, /- Digest drift\\: x/);
});

test('hover: an unresolved reference says what it waits for and where that comes from', () => {
  const site = readReferences('compose', 'services:\n  web:\n    image: nginx:${TAG}\n').references[0]!;
  const md = imageHoverMarkdown(referenceHover({ kind: 'compose', site, reference: null, load: undefined, covered: undefined }, IDS));
  assert.match(md, /\*\*services\\\.web\\\.image\*\* · service image/);
  assert.match(md, /Reference: not rendered/);
  assert.match(md, /Written: `nginx:\$\{TAG\}`/);
  assert.match(md, /- `TAG`: a variable with no value in the \\\.env beside this file/);
});

test("lens words and the pin's question read nothing and say why an image is not verified", () => {
  assert.equal(lensWords('docker.io/library/golang:1.22', { status: 'idle' }, false), `library/golang:1.22: ${NO_POLICY}`);
  assert.equal(lensWords('ghcr.io/org/app:v1', { status: 'idle' }, true), 'org/app:v1: not read yet · verify');
  assert.equal(lensWords('ghcr.io/org/app:v1', verified('verified'), true), 'org/app:v1: ✓ verified');
  assert.equal(unverifiedReason(verified('verified'), true), undefined);
  assert.equal(unverifiedReason(verified('excepted'), true), undefined);
  assert.equal(
    unverifiedReason(verified('unsigned', [{ code: 'NO_SIGNATURE', message: 'The image is not signed.' }]), true),
    'unsigned: The image is not signed.',
  );
  assert.match(unverifiedReason(verified('verified'), false)!, new RegExp(`^there is ${NO_POLICY}`));
  assert.equal(unverifiedReason({ status: 'failed', failure: { code: 'NOT_FOUND', message: 'not there' } }, true), 'it could not be read: not there');
});
