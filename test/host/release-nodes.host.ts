// Runs inside the real extension host: the tree items the Releases view gets for each kind of
// failure (built by the view's own code over a release service whose registry answers are
// scripted), and the settings lock of an untrusted workspace, against the real configuration.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LensError } from '../../src/core/errors';
import { RESTRICTED, policyPath, readSettings } from '../../src/host/config';
import type { ImageGraph } from '../../src/model/image-graph';
import { ReleaseService } from '../../src/releases/release-service';
import type { TreeNode } from '../../src/views/nodes';
import { ReleaseTree } from '../../src/views/release-tree';
import { escapePunctuation } from '../../src/goreleaser/hover-markdown';
import { HOST, PLATFORMS, WRONG_SIGNER, demoAgent, demoFleet } from '../support/demo-causes';

const REF = (name: string) => `registry.test:5000/team/${name}:v1.0.0`;

/** A tree over a service whose `inspect` throws what each reference names. */
function scriptedTree(failures: Record<string, unknown>): ReleaseTree {
  const service = new ReleaseService({
    inspect: async (reference): Promise<ImageGraph> => {
      throw failures[reference];
    },
  });
  service.setReleases([{ id: 'user', origin: 'user', name: '', images: Object.keys(failures).map((reference) => ({ reference })) }]);
  return new ReleaseTree(service);
}

async function failureItem(tree: ReleaseTree, reference: string): Promise<{ image: vscode.TreeItem; node: vscode.TreeItem }> {
  await tree.service.ensure(reference);
  const [release] = tree.getChildren();
  const image = tree.getChildren(release).find((n: TreeNode) => n.kind === 'image' && n.reference === reference)!;
  const [failure] = tree.getChildren(image);
  assert.ok(failure, `no failure node under ${reference}`);
  return { image: tree.getTreeItem(image), node: tree.getTreeItem(failure) };
}

const label = (t: vscode.TreeItem): string => (typeof t.label === 'string' ? t.label : (t.label?.label ?? ''));

describe('release view: errors are nodes', () => {
  const retryAt = '2030-01-02T03:04:05.000Z';
  const tree = scriptedTree({
    [REF('limited')]: new LensError('RATE_LIMITED', 'registry.test:5000 is rate limiting requests; retry at 2030-01-02T03:04:05.000Z.', {
      registry: 'registry.test:5000',
      status: 429,
      retryAt,
    }),
    [REF('broken')]: new LensError('REGISTRY_ERROR', 'registry.test:5000 failed with HTTP 500 while serving the manifest, after retries. Try again later.', {
      registry: 'registry.test:5000',
      status: 500,
    }),
    [REF('locked')]: new LensError('UNAUTHORIZED', 'Not authorised to read the manifest from registry.test:5000.', {
      registry: 'registry.test:5000',
      status: 401,
    }),
    [REF('gone')]: new LensError('NOT_FOUND', 'the manifest was not found on registry.test:5000.', { registry: 'registry.test:5000', status: 404 }),
  });
  after(() => tree.dispose());

  it('429: "rate limited, retry at" the time the registry gave, with a Retry action', async () => {
    const { image, node } = await failureItem(tree, REF('limited'));
    assert.equal(image.description, 'rate limited · registry.test:5000');
    assert.equal(label(node), `Rate limited by registry.test:5000, retry at ${new Date(retryAt).toLocaleTimeString()}`);
    assert.equal(node.contextValue, 'failure.retry');
    assert.equal(node.description, 'RATE_LIMITED');
  });

  it('500: the first sentence of the message, the code, a Retry action and the whole message in the tooltip', async () => {
    const { node } = await failureItem(tree, REF('broken'));
    assert.equal(label(node), 'registry.test:5000 failed with HTTP 500 while serving the manifest, after retries.');
    assert.equal(node.contextValue, 'failure.retry');
    assert.match((node.tooltip as vscode.MarkdownString).value, /Try again later/);
  });

  it('401: "Sign in to <registry>", which runs the sign-in command for that registry', async () => {
    const { image, node } = await failureItem(tree, REF('locked'));
    assert.equal(image.description, 'sign-in required · registry.test:5000');
    assert.equal(label(node), 'Sign in to registry.test:5000');
    assert.deepEqual(node.command?.arguments, ['registry.test:5000']);
  });

  it('404: "Not found in the registry", never an empty image', async () => {
    const { image, node } = await failureItem(tree, REF('gone'));
    assert.equal(image.description, 'not found · registry.test:5000');
    assert.equal(label(node), 'Not found in the registry');
  });

  it('registry text is escaped in tooltips, never trusted or HTML', async () => {
    const hostile = scriptedTree({
      [REF('hostile')]: new LensError('PROTOCOL', 'registry said: [click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **bold**', {}),
    });
    const { node } = await failureItem(hostile, REF('hostile'));
    const md = node.tooltip as vscode.MarkdownString;
    assert.equal(md.isTrusted, false);
    assert.equal(md.supportHtml, false);
    assert.doesNotMatch(md.value, /\]\(command:/);
    assert.match(md.value, /\\\[click\\\]/);
    hostile.dispose();
  });
});

describe('release view: an untrusted workspace weakens nothing', () => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const written = folder ? join(folder, '.provenance-lens.yaml') : undefined;
  const existed = written !== undefined && existsSync(written);
  after(async () => {
    await vscode.workspace.getConfiguration('provenanceLens').update('policyFile', undefined, vscode.ConfigurationTarget.Workspace);
    if (written && !existed && existsSync(written)) rmSync(written);
  });

  it("ignores the workspace's policy setting and policy file unless trusted", async function () {
    if (!folder || !written) this.skip();
    await vscode.workspace.getConfiguration('provenanceLens').update('policyFile', 'relaxed.yaml', vscode.ConfigurationTarget.Workspace);
    if (!existed) writeFileSync(written!, 'version: 1\n');
    const untrusted = readSettings(false);
    assert.equal(untrusted.policyFile, undefined);
    assert.deepEqual(untrusted.ignored, ['provenanceLens.policyFile']);
    assert.equal(policyPath(untrusted, false), undefined, 'not even the workspace .provenance-lens.yaml');
    const trusted = readSettings(true);
    assert.equal(trusted.policyFile, join(folder!, 'relaxed.yaml'));
    assert.equal(policyPath(trusted, true), join(folder!, 'relaxed.yaml'));
    assert.equal(policyPath({ ...trusted, policyFile: undefined }, true), written);
  });

  it("does not resolve the user's own file settings into the untrusted workspace, relative or through a link", async function () {
    if (!folder) this.skip();
    const config = vscode.workspace.getConfiguration('provenanceLens');
    const outside = mkdtempSync(join(tmpdir(), 'pl-host-restricted-'));
    const link = join(outside, 'root.json');
    symlinkSync(join(folder!, 'root.json'), link);
    const ca = join(outside, 'ca.pem');
    try {
      await config.update('policyFile', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('policyFile', 'relaxed.yaml', vscode.ConfigurationTarget.Global);
      await config.update('trustedRoot', link, vscode.ConfigurationTarget.Global);
      await config.update('caFiles', [join(folder!, 'ca.pem'), ca], vscode.ConfigurationTarget.Global);
      const untrusted = readSettings(false);
      assert.deepEqual([untrusted.policyFile, untrusted.trustedRoot, untrusted.caFiles], [undefined, undefined, [ca]]);
      assert.deepEqual(untrusted.ignored, [], "user values, not the workspace's");
      assert.deepEqual(untrusted.refused, [
        {
          setting: 'provenanceLens.policyFile',
          reason: `provenanceLens.policyFile points into this untrusted workspace (relaxed.yaml, relative to ${folder}); ignored in Restricted Mode. Trust the workspace to use it.`,
        },
        {
          setting: 'provenanceLens.trustedRoot',
          reason: `provenanceLens.trustedRoot points into this untrusted workspace (${link}, which is ${join(folder!, 'root.json')}); ignored in Restricted Mode. Trust the workspace to use it.`,
        },
        {
          setting: 'provenanceLens.caFiles',
          reason: `provenanceLens.caFiles points into this untrusted workspace (${join(folder!, 'ca.pem')}); ignored in Restricted Mode. Trust the workspace to use it.`,
        },
      ]);
      assert.equal(policyPath(untrusted, false), undefined);
      // Trusted, every one of them applies.
      const trusted = readSettings(true);
      assert.deepEqual(
        [trusted.policyFile, trusted.trustedRoot, trusted.caFiles, trusted.refused],
        [join(folder!, 'relaxed.yaml'), link, [join(folder!, 'ca.pem'), ca], []],
      );
    } finally {
      for (const key of ['policyFile', 'trustedRoot', 'caFiles']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('declares the settings that weaken trust or name programs machine-scoped and restricted', () => {
    const pkg = vscode.extensions.getExtension('provenance-lens.provenance-lens')!.packageJSON as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
    };
    const props = pkg.contributes.configuration.properties;
    for (const key of ['trustedRoot', 'insecureRegistries', 'caFiles', 'dockerConfig']) assert.equal(props[`provenanceLens.${key}`]?.scope, 'machine', key);
    // The gh shortcuts replace the policy's signer, as the policy file does: a workspace's value is not taken in Restricted Mode.
    for (const key of ['policyFile', 'github.owner', 'github.repo', 'github.signerWorkflow', 'github.signerRepo'])
      assert.equal(props[`provenanceLens.${key}`]?.scope, 'machine-overridable', key);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [
      'provenanceLens.caFiles',
      'provenanceLens.dockerConfig',
      'provenanceLens.github.owner',
      'provenanceLens.github.repo',
      'provenanceLens.github.signerRepo',
      'provenanceLens.github.signerWorkflow',
      'provenanceLens.insecureRegistries',
      'provenanceLens.policyFile',
      'provenanceLens.trustedRoot',
    ]);
    // The code's own lock reads the same list (host/config.ts).
    assert.deepEqual([...RESTRICTED].map((k) => `provenanceLens.${k}`).sort(), [...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort());
  });
});

describe('release view: every failed node says why, first', () => {
  const fleet = demoFleet();
  const agent = demoAgent();
  const loads = new Map([fleet, agent].map((d) => [d.reference, d.load]));
  const service = new ReleaseService({
    inspect: async (reference) => loads.get(reference)!.graph,
    verify: async (graph) => loads.get(graph.reference)!.verification!,
  });
  service.setReleases([
    {
      id: 'goreleaser:/demo/.goreleaser.yaml',
      origin: 'goreleaser',
      name: 'fleet',
      tag: 'v0.13.0',
      images: [{ reference: fleet.reference }, { reference: agent.reference }],
    },
  ]);
  const tree = new ReleaseTree(service);
  after(() => tree.dispose());

  async function image(reference: string): Promise<{ node: TreeNode; item: vscode.TreeItem; kids: { node: TreeNode; item: vscode.TreeItem }[] }> {
    await service.ensure(reference);
    const [release] = tree.getChildren();
    const node = tree.getChildren(release).find((n) => n.kind === 'image' && n.reference === reference)!;
    return { node, item: tree.getTreeItem(node), kids: tree.getChildren(node).map((n) => ({ node: n, item: tree.getTreeItem(n) })) };
  }
  const md = (t: vscode.TreeItem): string => (t.tooltip as vscode.MarkdownString).value;

  it('the wrong signer: the row names both sides in a few words, the tooltip and the first child in full', async () => {
    const { item, kids } = await image(agent.reference);
    assert.equal(label(item), 'rancher/fleet-agent', "the release's tag is said once, on the release");
    assert.equal(item.description, `signed by fleet-fork/fleet, expected rancher/fleet · ${HOST}`);
    assert.equal(md(item).split('\n')[0], `**${escapePunctuation(`Verification failed. ${WRONG_SIGNER.message}`)}**`);
    const [why] = kids;
    assert.equal(why?.node.kind, 'note');
    assert.equal(label(why!.item), 'Signed by fleet-fork/fleet, expected rancher/fleet');
    assert.equal(why!.item.tooltip, WRONG_SIGNER.message);
    // Each platform fails through the index's signature, and says so; not "verification failed".
    const platforms = kids.filter((k) => k.node.kind === 'platform');
    assert.deepEqual(
      platforms.map((k) => label(k.item)),
      [...PLATFORMS],
    );
    assert.ok(
      platforms.every((k) => String(k.item.description).startsWith('signed by fleet-fork/fleet, expected rancher/fleet · sha256:')),
      platforms.map((k) => k.item.description).join(' | '),
    );
    // The signature that made it: its cause first, and the identity is who signed, not a "verified identity".
    const signature = kids.find((k) => k.node.kind === 'artifact')!;
    assert.equal(md(signature.item).split('\n')[0], `**${escapePunctuation(`Verification failed. ${WRONG_SIGNER.message}`)}**`);
    assert.ok(md(signature.item).includes('Signed by \\(certificate identity\\)'), md(signature.item));
    assert.ok(!md(signature.item).includes('Verified identity'), md(signature.item));
    assert.match(String(signature.item.description), /^cosign \.sig tag · signed by fleet-fork\/fleet, expected rancher\/fleet · covers the index/);
  });

  it('the unsigned platform: "linux/s390x is not signed" first, on the image and on the platform', async () => {
    const { item, kids } = await image(fleet.reference);
    assert.equal(item.description, `linux/s390x is not signed · ${HOST}`);
    assert.equal(md(item).split('\n')[0], `**${escapePunctuation('Verification failed. linux/s390x is not signed.')}**`);
    const s390x = kids.find((k) => k.node.kind === 'platform' && label(k.item) === 'linux/s390x')!;
    assert.match(String(s390x.item.description), /^not signed · sha256:[0-9a-f]{8} · 406 B$/);
    assert.equal(md(s390x.item).split('\n')[0], `**${escapePunctuation('Unsigned. linux/s390x is not signed.')}**`);
    const amd64 = kids.find((k) => k.node.kind === 'platform' && label(k.item) === 'linux/amd64')!;
    assert.match(String(amd64.item.description), /^verified · sha256:/);
  });
});
