// What a hover over an image of fleet's real .goreleaser.yaml says, before and after the values it
// needs are given, and with each answer the registry can give; the markdown is checked as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ResolvedImage } from '../../src/goreleaser/resolve';
import { hoverMarkdown, imageHover, signHoverMarkdown, whereToSet } from '../../src/hovers/hover-content';
import type { HoverCommands } from '../../src/hovers/hover-content';
import { buildModel } from '../../src/hovers/release-context';
import { serviceReference } from '../../src/releases/image-list';
import type { ImageGraph } from '../../src/model/image-graph';
import { realFixture } from '../support/real-fixtures';

const FLEET = realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml');

const IDS: HoverCommands = { verify: 'p.verify', showProvenance: 'p.prov', reveal: 'p.reveal', setEnv: 'p.setEnv', signIn: 'p.signIn' };
const DIGEST = `sha256:${'c'.repeat(64)}`;

const model = (env: Record<string, string>) => buildModel(readFileSync(FLEET, 'utf8'), { file: '/work/fleet/.goreleaser.yaml', env, git: { tag: 'v0.12.0' } });
const fleetPrivate = (images: readonly ResolvedImage[]) => images.find((i) => i.section === 'dockers_v2' && i.id === 'fleet-private')!;

function graph(reference: string): ImageGraph {
  const p = (platform: string, c: string) => ({
    platform,
    os: 'linux',
    architecture: platform.split('/')[1]!,
    digest: `sha256:${c.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 500,
  });
  return {
    reference,
    source: 'registry',
    registry: '127.0.0.1:5000',
    repository: 'rancher/fleet',
    tag: 'v0.12.0',
    digest: DIGEST,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    size: 900,
    kind: 'index',
    platforms: [p('linux/amd64', '1'), p('linux/arm64', '2')],
    artifacts: [],
    others: [],
    problems: [],
  };
}

const link = (title: string, id: string, args: unknown[]) => `[${title}](command:${id}?${encodeURIComponent(JSON.stringify(args))})`;

test('without STAGE_REGISTRY: the template, the reference with its hole, what it waits for and where to set it', () => {
  const image = fleetPrivate(model({}).release.images);
  assert.equal(serviceReference(image), null);
  const h = imageHover(image, null, undefined, IDS);
  assert.equal(h.origin, 'dockers_v2[2]');
  assert.equal(h.template, '{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}');
  assert.equal(h.preview, '<.Env.STAGE_REGISTRY>/rancher/fleet:v0.12.0');
  assert.deepEqual(h.unresolved, [
    ['.Env.STAGE_REGISTRY', 'an environment variable of the release job: give it a value in the setting provenanceLens.goreleaser.env'],
  ]);
  assert.deepEqual(h.links, [link('Set STAGE\\_REGISTRY…', 'p.setEnv', ['STAGE_REGISTRY'])]);
  assert.equal(h.verdict, undefined, 'nothing to ask the registry');
  assert.equal(
    hoverMarkdown([h]),
    [
      '**dockers\\_v2\\[2\\]** `fleet-private` · pushed image',
      'Template: `{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}`',
      'Reference: not rendered (`<.Env.STAGE_REGISTRY>/rancher/fleet:v0.12.0`)',
      '- `.Env.STAGE_REGISTRY`: an environment variable of the release job\\: give it a value in the setting provenanceLens\\.goreleaser\\.env',
      '2 platforms: `linux/amd64`, `linux/arm64`',
      `[Set STAGE\\_REGISTRY…](command:p.setEnv?${encodeURIComponent('["STAGE_REGISTRY"]')})`,
    ].join('\n\n'),
  );
});

test('with STAGE_REGISTRY: the rendered reference, and while it loads, "reading the registry"', () => {
  const image = fleetPrivate(model({ STAGE_REGISTRY: '127.0.0.1:5000' }).release.images);
  const reference = serviceReference(image)!;
  assert.equal(reference, '127.0.0.1:5000/rancher/fleet:v0.12.0');
  const h = imageHover(image, reference, { status: 'loading' }, IDS);
  assert.equal(h.reference, '127.0.0.1:5000/rancher/fleet:v0.12.0');
  assert.equal(h.verdict, '… reading the registry');
  assert.deepEqual(h.links, [
    link('Verify', 'p.verify', [reference]),
    link('Show provenance', 'p.prov', [reference]),
    link('Reveal in Releases', 'p.reveal', [reference]),
  ]);
});

test('loaded: the digest and the platforms the registry lists, the verdict and why', () => {
  const image = fleetPrivate(model({ STAGE_REGISTRY: '127.0.0.1:5000' }).release.images);
  const reference = serviceReference(image)!;
  const g = graph(reference);
  const h = imageHover(image, reference, { status: 'loaded', graph: g, ms: 5, verificationFailure: { code: 'INTERNAL', message: 'no trusted root' } }, IDS);
  assert.equal(h.digest, DIGEST);
  assert.deepEqual(h.platforms, ['linux/amd64', 'linux/arm64']);
  assert.equal(h.verdict, 'not checked');
  assert.deepEqual(h.reasons, ['Verification could not run: no trusted root']);
  const md = hoverMarkdown([h]);
  assert.match(md, new RegExp(`Digest: \`${DIGEST}\`\n\n2 platforms: \`linux/amd64\`, \`linux/arm64\``));
  // The verdict, then the links (a hover is cut at its height limit), then why.
  assert.match(md, /^\*\*not checked\*\*\\\n\[Verify\]\(command:p\.verify[^\n]*\n\n- Verification could not run\\: no trusted root/);
});

test('a registry that wants a sign-in offers it; its message is text', () => {
  const image = fleetPrivate(model({ STAGE_REGISTRY: '127.0.0.1:5000' }).release.images);
  const reference = serviceReference(image)!;
  const h = imageHover(
    image,
    reference,
    { status: 'failed', failure: { code: 'UNAUTHORIZED', message: 'Sign in to [x](y) 127.0.0.1:5000.', registry: '127.0.0.1:5000' } },
    IDS,
  );
  assert.equal(h.verdict, 'not checked: sign in');
  assert.equal(h.links[0], link('Sign in to 127\\.0\\.0\\.1\\:5000', 'p.signIn', ['127.0.0.1:5000']));
  assert.match(hoverMarkdown([h]), /- Sign in to \\\[x\\\]\\\(y\\\) 127\\\.0\\\.0\\\.1\\:5000\\\./);
});

test('docker_signs --sign-container-identity: what each signature will claim', () => {
  const sign = model({ STAGE_REGISTRY: '127.0.0.1:5000', PRIME_REGISTRY: 'registry.suse.com' }).release.signs[0]!;
  assert.equal(
    signHoverMarkdown(sign),
    [
      '**docker\\_signs\\[0\\]** `prime-fleet` · signs 1 image',
      '',
      'The signature payload claims this name as `critical.identity.docker-reference`; the signature is stored beside the signed image.',
      '- `127.0.0.1:5000/rancher/fleet:v0.12.0` → claims `registry.suse.com/rancher/fleet:v0.12.0`',
    ].join('\n'),
  );
  const unset = model({}).release.signs[0]!;
  assert.match(
    signHoverMarkdown(unset),
    /- `<\.Env\.STAGE_REGISTRY>\/rancher\/fleet:v0\.12\.0` → claims `<\.Env\.PRIME_REGISTRY>\/rancher\/fleet:v0\.12\.0`\n\nNeeds `\.Env\.STAGE_REGISTRY`, `\.Env\.PRIME_REGISTRY`\.$/,
  );
});

test('where each kind of value is set', () => {
  assert.match(whereToSet('.Env.REGISTRY'), /provenanceLens\.goreleaser\.env/);
  assert.match(whereToSet('.Tag'), /git tag/);
  assert.match(whereToSet('.Version'), /git tag/);
  assert.match(whereToSet('.ShortCommit'), /git checkout/);
  assert.match(whereToSet('time'), /time of the release/);
  assert.match(whereToSet('.ReleaseURL'), /while GoReleaser runs/);
});

test('a value shared by many images (an anchor) lists four, then counts the rest', () => {
  const one = { origin: 'dockers_v2[0]', role: 'pushed image', template: 't', unresolved: [], platforms: [], links: [] };
  const md = hoverMarkdown([one, one, one, one, one, one]);
  assert.equal(md.split('\n\n---\n\n').length, 5);
  assert.match(md, /\*and 2 more image references use this value\*$/);
});
