// The editor's side of GitHub artifact attestations, on real attestations: what the image panel
// shows of the run (repository, workflow, run, runner environment, visibility) and which Sigstore
// instance signed, once a bundle file is added to an image the way "Add Attestation File…" adds
// it (src/attestations, then the real verifier and provenance reader); the sentence the command
// says; whose attestations GitHub's API is asked for; and the host's GitHub path with a stand-in
// for VS Code's authentication (no real GitHub session can be had here) against a local server
// answering as GitHub's API does, the token never in a log line, a problem or an error.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addImageAttestations, bundlesFromFile } from '../../src/attestations';
import { LensError } from '../../src/core/errors';
import { ExternalAttestations, GITHUB_SCOPES } from '../../src/host/external-attestations';
import { Verifier } from '../../src/host/verifier';
import type { LensSettings } from '../../src/host/config';
import type { ExternalAttestationOptions } from '../../src/host/external-attestations';
import type { ImageGraph } from '../../src/model/image-graph';
import { toPanelModel } from '../../src/panel/model';
import { githubRunFacts } from '../../src/panel/model-github';
import { collectProvenance } from '../../src/provenance/collect';
import { readProvenance } from '../../src/provenance/summary';
import { RegistryClient } from '../../src/registry/client';
import type { ContentSource } from '../../src/registry/source';
import { verifyImage } from '../../src/verify';
import { applyGithubShortcuts, githubAttestationScope, parsePolicyFile } from '../../src/verify/policy';
import type { ImagePolicy } from '../../src/verify/policy';
import { loadTrustRoot } from '../../src/verify/trust/trust-root';
import type { TrustRoot } from '../../src/verify/trust/trust-types';
import { addedAttestationsSentence } from '../../src/views/attestation-words';
import { startGithubApiServer } from '../support/github-api-server';
import type { GithubApiServer } from '../support/github-api-server';
import { realFixture } from '../support/real-fixtures';

const GITHUB_JSONL = realFixture('sigstore-bundles', 'gh-cli', 'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl');
const PUBLIC_GOOD = realFixture('sigstore-bundles', 'gh-cli', 'reusable-workflow-attestation.sigstore.json');
const WHEEL = 'sha256:ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b';
const REUSABLE_WHEEL = 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25';
const TOKEN = 'gho_editorSessionTokenNeverShown1234';

/** A single-manifest image whose digest is `digest`: the subject the attestation names. */
function image(digest: string, reference = '127.0.0.1:5000/actions/attest-demo:v1'): ImageGraph {
  return {
    reference,
    registry: '127.0.0.1:5000',
    repository: 'actions/attest-demo',
    tag: 'v1',
    digest,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    kind: 'manifest',
    size: 400,
    platforms: [{ platform: 'linux/amd64', os: 'linux', architecture: 'amd64', digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 400 }],
    artifacts: [],
    problems: [],
  } as unknown as ImageGraph;
}

/** The registry is never asked: every artifact here came from outside it. */
const nowhere = new Proxy(
  {},
  {
    // Not a thenable: a promise of it is the source itself.
    get: (_t, key) =>
      key === 'then'
        ? undefined
        : key === 'kind'
          ? 'registry'
          : key === 'description'
            ? 'nowhere'
            : () => Promise.reject(new Error(`the registry was asked (${String(key)})`)),
  },
) as ContentSource;

/** gh attestation verify --owner <owner> [--signer-repo …], covering by attestations as slsa-verifier does (GitHub attests, it does not sign). */
function ownerPolicy(owner: string, signerRepo?: string): ImagePolicy {
  const policy: ImagePolicy = { requiredPredicateTypes: [], requireTlog: true, sources: {}, coverage: 'signatures-or-attestations' };
  applyGithubShortcuts(policy, { owner, ...(signerRepo !== undefined ? { signerRepo } : {}) }, 'settings');
  return policy;
}

async function panelFor(file: string, graph: ImageGraph, policy: ImagePolicy, roots: TrustRoot) {
  const added = await addImageAttestations(graph, { files: bundlesFromFile(readFileSync(file), file) });
  const externalBundles = added.bundles!;
  const verification = await verifyImage(nowhere, added.graph, { policy, trustRoot: roots, externalBundles });
  const provenance = await collectProvenance(nowhere, added.graph, { externalBundles });
  return { graph: added.graph, verification, model: toPanelModel(added.graph, verification, provenance) };
}

describe('the image panel on a real GitHub attestation added from a file', () => {
  let roots: TrustRoot;
  before(async () => {
    roots = await loadTrustRoot();
  });

  test("GitHub's instance (a private repository): the run from the build type and the certificate, and which instance signed", async () => {
    const { model, graph, verification } = await panelFor(GITHUB_JSONL, image(WHEEL), ownerPolicy('actions'), roots);
    assert.equal(model.verdict.state, 'verified', model.verdict.cause);
    // The image's own root is public-good; this attestation was checked against GitHub's.
    assert.equal(model.verdict.trustRoot, "Sigstore public-good; GitHub's Sigstore instance for 1 artifact");
    const [p] = model.provenance;
    assert.equal(p?.buildTypeLabel, 'GitHub Actions workflow');
    assert.equal(p?.trustRoot, "GitHub's Sigstore instance");
    // One bundle in the file: it is the bundle file, no line to name.
    assert.equal(p?.formatLabel, `bundle file ${GITHUB_JSONL}`);
    assert.deepEqual(p?.github, [
      { label: 'Repository', value: 'https://github.com/actions/attest-demo', url: 'https://github.com/actions/attest-demo' },
      { label: 'Workflow', value: '.github/workflows/build-python.yml @ refs/heads/main' },
      {
        label: 'Run',
        value: 'https://github.com/actions/attest-demo/actions/runs/8788389601/attempts/1',
        url: 'https://github.com/actions/attest-demo/actions/runs/8788389601/attempts/1',
      },
      { label: 'Trigger', value: 'workflow_dispatch' },
      { label: 'Runner environment', value: 'github-hosted' },
      { label: 'Visibility at signing', value: 'private' },
    ]);
    assert.deepEqual(p?.workflow, {
      repository: 'https://github.com/actions/attest-demo',
      ref: 'refs/heads/main',
      path: '.github/workflows/build-python.yml',
      runnerEnvironment: 'github-hosted',
    });
    // The Checks tab's card of the same bundle: the instance and the certificate's account of the run.
    const [a] = model.artifacts;
    assert.equal(a?.trustRoot, "GitHub's Sigstore instance");
    const facts = Object.fromEntries((a?.facts ?? []).map((f) => [f.label, f.value]));
    assert.equal(facts['Sigstore instance'], "GitHub's Sigstore instance");
    assert.equal(facts['Found as'], `bundle file ${GITHUB_JSONL}`);
    assert.equal(facts.Workflow, '.github/workflows/build-python.yml @ refs/heads/main');
    assert.equal(facts.Commit, 'a6c23b9806c593664f68637c8f9d45dfcf98b2db');
    assert.equal(facts['Visibility at signing'], 'private');
    assert.equal(
      addedAttestationsSentence(graph, verification, 'bundle-file', 'demo.jsonl'),
      'demo.jsonl: 1 attestation for actions/attest-demo:v1, verified. Image verdict: verified.',
    );
  });

  test('public-good (a reusable workflow signed for its caller): the caller, the workflow that signed, public-good', async () => {
    const { model } = await panelFor(
      PUBLIC_GOOD,
      image(REUSABLE_WHEEL, '127.0.0.1:5000/malancas/attest-demo:v1'),
      ownerPolicy('malancas', 'github/artifact-attestations-workflows'),
      roots,
    );
    assert.equal(model.verdict.state, 'verified', model.verdict.cause);
    assert.equal(model.verdict.trustRoot, 'Sigstore public-good');
    const [p] = model.provenance;
    assert.equal(p?.trustRoot, 'Sigstore public-good');
    const facts = Object.fromEntries((p?.github ?? []).map((f) => [f.label, f.value]));
    assert.equal(facts.Repository, 'https://github.com/malancas/attest-demo');
    assert.equal(facts.Workflow, '.github/workflows/shared.yml @ refs/heads/main');
    assert.equal(
      facts['Signed by workflow'],
      'https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml @ 09b495c3f12c7881b3cc17209a327792065c1a1d',
    );
    assert.equal(facts['Visibility at signing'], 'public');
  });

  test('about another digest: the run is still shown, the attestation fails naming what it is about, and the sentence says why', async () => {
    const other = `sha256:${'1'.repeat(64)}`;
    const { model, graph, verification } = await panelFor(GITHUB_JSONL, image(other), ownerPolicy('actions'), roots);
    const [a] = model.artifacts;
    assert.equal(a?.state, 'failed');
    assert.equal(a?.trustRoot, "GitHub's Sigstore instance");
    assert.match(model.provenance[0]?.warnings[0] ?? '', new RegExp(`does not include ${other}`));
    assert.equal(model.provenance[0]?.github?.find((f) => f.label === 'Repository')?.value, 'https://github.com/actions/attest-demo');
    const said = addedAttestationsSentence(graph, verification, 'bundle-file', 'demo.jsonl');
    assert.match(
      said,
      /^demo\.jsonl: 1 attestation for actions\/attest-demo:v1, verification failed\. .+ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b.* Image verdict: verification failed\.$/,
    );
    // Where attestations do not cover (cosign verify's rule), the image names no cause about it: its failing check says why.
    const { graph: g2, verification: v2 } = await panelFor(GITHUB_JSONL, image(other), { ...ownerPolicy('actions'), coverage: 'signatures' }, roots);
    assert.match(
      addedAttestationsSentence(g2, v2, 'bundle-file', 'demo.jsonl'),
      /^demo\.jsonl: 1 attestation for actions\/attest-demo:v1, verification failed\. .*ae57936def59bc4c75edd3a837d89bcefc6d3a5e31d55a6fa7a71624f92c3c3b.* Image verdict: unsigned\.$/,
    );
  });

  test('the sentence counts the files just added, not those added before', async () => {
    const added = await addImageAttestations(image(WHEEL), {
      files: [...bundlesFromFile(readFileSync(GITHUB_JSONL), GITHUB_JSONL), ...bundlesFromFile(readFileSync(PUBLIC_GOOD), PUBLIC_GOOD)],
    });
    const verification = await verifyImage(nowhere, added.graph, { policy: ownerPolicy('actions'), trustRoot: roots, externalBundles: added.bundles! });
    assert.match(
      addedAttestationsSentence(added.graph, verification, 'bundle-file', 'both'),
      /^both: 2 attestations for actions\/attest-demo:v1, 1 verified, 1 verification failed\. /,
    );
    assert.match(
      addedAttestationsSentence(added.graph, verification, 'bundle-file', 'reusable.json', [PUBLIC_GOOD]),
      /^reusable\.json: 1 attestation for actions\/attest-demo:v1, verification failed\. .*49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25.* Image verdict: verified\.$/,
    );
  });

  test('where the statement and the certificate disagree, both are shown', () => {
    const { summary } = readProvenance(readFileSync(GITHUB_JSONL));
    const facts = githubRunFacts(summary, { repository: 'https://github.com/actions/other', visibility: 'internal' });
    assert.deepEqual(
      facts.filter((f) => f.label.startsWith('Repository')).map((f) => [f.label, f.value]),
      [
        ['Repository', 'https://github.com/actions/attest-demo'],
        ['Repository (signing certificate)', 'https://github.com/actions/other'],
      ],
    );
    // Not a GitHub build type and no certificate claims: nothing to say.
    assert.deepEqual(githubRunFacts({ ...summary, knownBuildType: undefined }, undefined), []);
  });
});

describe('whose attestations GitHub is asked for, and the settings as gh shortcuts', () => {
  const file = (text: string) => {
    const r = parsePolicyFile(text, '/w/.provenance-lens.yaml');
    assert.ok(r.policy, JSON.stringify(r.diagnostics));
    return r.policy;
  };

  test("the entry's github: block over the defaults', its builtIn, never the image name", () => {
    const policy = file(
      'version: 1\ndefaults:\n  github:\n    owner: example\nimages:\n  - image: ghcr.io/example/app\n    github:\n      repository: example/app\n  - image: ghcr.io/example/agent\n    builtIn: example/app\n    github:\n      workflow: release.yml\n  - image: ghcr.io/example/other\n',
    );
    assert.deepEqual(githubAttestationScope(policy, 'ghcr.io/example/app:v1'), { owner: 'example', repository: 'example/app' });
    assert.deepEqual(githubAttestationScope(policy, 'ghcr.io/example/agent:v1'), { owner: 'example', repository: 'example/app' });
    assert.deepEqual(githubAttestationScope(policy, 'ghcr.io/example/other:v1'), { owner: 'example' });
    const none = file(
      'version: 1\nimages:\n  - image: ghcr.io/example/app\n    identity: https://github.com/example/app/.github/workflows/release.yml@refs/tags/v1\n    issuer: https://token.actions.githubusercontent.com\n',
    );
    assert.equal(githubAttestationScope(none, 'ghcr.io/example/app:v1'), undefined);
  });

  test('the shortcuts from settings pin as the flags do, marked as the settings, and their errors name the settings', () => {
    const policy: ImagePolicy = { requiredPredicateTypes: [], requireTlog: true, sources: {} };
    applyGithubShortcuts(policy, { repo: 'example/app' }, 'settings');
    assert.deepEqual([policy.sources.identity, policy.sources.github], ['settings', 'settings']);
    assert.deepEqual(policy.github?.sourceRepositoryUri, { regexp: '^https://github\\.com/[Ee][Xx][Aa][Mm][Pp][Ll][Ee]/[Aa][Pp][Pp]$' });
    const names = {
      owner: 'provenanceLens.github.owner',
      repo: 'provenanceLens.github.repo',
      signerWorkflow: 'provenanceLens.github.signerWorkflow',
      signerRepo: 'provenanceLens.github.signerRepo',
    };
    assert.throws(
      () => applyGithubShortcuts({ requiredPredicateTypes: [], requireTlog: true, sources: {} }, { signerRepo: 'example/tools' }, 'settings', names),
      (e: unknown) =>
        e instanceof LensError &&
        e.code === 'USAGE' &&
        e.message ===
          'provenanceLens.github.signerWorkflow and provenanceLens.github.signerRepo go with provenanceLens.github.owner or provenanceLens.github.repo, as in gh attestation verify: say whose artifacts these are.',
    );
  });
});

describe("the editor's verifier with the settings' gh shortcuts and the embedded roots", () => {
  const verifierWith = (github: LensSettings['github'], logs: string[]) =>
    new Verifier({
      settings: () => ({
        offline: true,
        insecureRegistries: [],
        caFiles: [],
        concurrency: 1,
        cacheSizeMb: 8,
        ignored: [],
        refused: [],
        ...(github ? { github } : {}),
      }),
      policyPath: () => undefined,
      workspace: () => ({ trusted: true, folders: [], realpath: (p: string) => p }),
      source: () => Promise.resolve(nowhere),
      trustCacheDir: mkdtempSync(join(tmpdir(), 'pl-editor-trust-')),
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    });

  test("owner from the settings pins as gh's --owner; GitHub's root is loaded beside public-good and named in the log", async () => {
    const added = await addImageAttestations(image(WHEEL), { files: bundlesFromFile(readFileSync(GITHUB_JSONL), GITHUB_JSONL) });
    const logs: string[] = [];
    const v = await verifierWith({ owner: 'actions' }, logs).verify(added.graph, new AbortController().signal, added.bundles);
    assert.deepEqual(
      v.artifacts.map((a) => [a.state, a.trustRoot?.instance]),
      [['verified', 'github']],
    );
    assert.deepEqual(
      (v.trustRoots ?? []).map((r) => r.instance),
      ['sigstore-public-good', 'github'],
    );
    assert.match(logs.join('\n'), /^Trusted root: sigstore-public-good trusted root from embedded /m);
    assert.match(logs.join('\n'), /^Trusted root \(github's instance\): github trusted root from embedded .*\(https:\/\/tuf-repo\.github\.com\)/m);
    // Another owner: the same bundle fails, naming the owner the settings pin.
    const other = await verifierWith({ owner: 'someone-else' }, []).verify(added.graph, new AbortController().signal, added.bundles);
    assert.equal(other.artifacts[0]?.state, 'failed');
    assert.ok(
      other.artifacts[0]?.checks.some((c) => c.code === 'GITHUB_CLAIMS' && c.status === 'fail' && /source repository owner/.test(c.message)),
      JSON.stringify(other.artifacts[0]?.checks),
    );
  });
});

describe("the host's GitHub path, VS Code's authentication stood in for", () => {
  let api: GithubApiServer;
  let client: RegistryClient;
  let logs: string[];
  let asked: Array<{ provider: string; scopes: readonly string[]; options: unknown }>;
  let session: { accessToken: string } | undefined;
  const wheelLine = JSON.parse(readFileSync(GITHUB_JSONL, 'utf8').trim()) as unknown;

  const store = (over: Partial<ExternalAttestationOptions> = {}) =>
    new ExternalAttestations({
      authentication: {
        getSession: (provider: string, scopes: readonly string[], options: unknown) => {
          asked.push({ provider, scopes, options });
          return Promise.resolve(session as never);
        },
      } as ExternalAttestationOptions['authentication'],
      transport: () => Promise.resolve(client.http),
      scope: () => Promise.resolve({ owner: 'actions', repository: 'actions/attest-demo' }),
      fetchAlways: () => true,
      apiUrl: api.url,
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
      ...over,
    });

  before(() => {
    client = new RegistryClient({ limits: { retries: 0 } });
  });
  after(() => client.close());
  beforeEach(async () => {
    api = await startGithubApiServer();
    logs = [];
    asked = [];
    session = undefined;
  });
  afterEach(() => api.close());

  test("signed in: asked quietly for the repo scope, the bundles fetched by digest, verified against GitHub's root; the token only in the Authorization header", async () => {
    session = { accessToken: TOKEN };
    api.attestations.set(`/repos/actions/attest-demo/attestations/${WHEEL}`, [wheelLine]);
    const s = store();
    const graph = await s.attach(image(WHEEL), new AbortController().signal);
    assert.deepEqual(asked, [{ provider: 'github', scopes: [...GITHUB_SCOPES], options: { createIfNone: false } }]);
    assert.deepEqual(GITHUB_SCOPES, ['repo']);
    assert.deepEqual(
      graph.artifacts.map((a) => [a.format, a.coversDigest, a.predicateType]),
      [['github-api', WHEEL, 'https://slsa.dev/provenance/v1']],
    );
    assert.deepEqual(
      api.requests.map((r) => [r.path, r.headers.authorization]),
      [[`/repos/actions/attest-demo/attestations/${WHEEL}?per_page=100`, `Bearer ${TOKEN}`]],
    );
    const verification = await verifyImage(nowhere, graph, {
      policy: ownerPolicy('actions'),
      trustRoot: await loadTrustRoot(),
      externalBundles: s.bundlesOf(graph)!,
    });
    assert.deepEqual([verification.artifacts[0]?.state, verification.artifacts[0]?.trustRoot?.instance], ['verified', 'github']);
    assert.ok(!JSON.stringify({ logs, graph }).includes(TOKEN));
  });

  test('not signed in: nothing is sent, and what GitHub holds is a problem at the image (not checked, never absent) naming the command', async () => {
    const graph = await store().attach(image(WHEEL), new AbortController().signal);
    assert.deepEqual(api.requests, []);
    assert.deepEqual(graph.problems, [
      {
        at: WHEEL,
        code: 'UNAUTHORIZED',
        message:
          'GitHub\'s attestations for actions/attest-demo were not read: VS Code is not signed in to GitHub. Run "Provenance Lens: Fetch Attestations from GitHub" to sign in.',
      },
    ]);
  });

  test("a refused token: a problem in GitHub's words, naming the VS Code account, without the token", async () => {
    session = { accessToken: TOKEN };
    api.fail = { status: 401, message: 'Bad credentials' };
    const graph = await store().attach(image(WHEEL), new AbortController().signal);
    assert.equal(graph.problems.length, 1);
    assert.equal(graph.problems[0]?.code, 'UNAUTHORIZED');
    assert.match(
      graph.problems[0]!.message,
      /^GitHub's attestations were not read: GitHub's API refused the token from your VS Code GitHub account \(401: "Bad credentials"\)/,
    );
    assert.ok(!JSON.stringify({ logs, graph }).includes(TOKEN));
  });

  test('no owner or repository known: GitHub is not asked, no session is asked for, the log says what to set', async () => {
    const graph = await store({ scope: () => Promise.resolve(undefined) }).attach(image(WHEEL), new AbortController().signal);
    assert.deepEqual([asked, api.requests, graph.artifacts, graph.problems], [[], [], [], []]);
    assert.match(logs.join('\n'), /no owner or repository is known for it \(set provenanceLens\.github\.owner or \.repo/);
  });

  test('the command asks with a prompt; files added are read at once, kept with the workspace, and join every load until removed', async () => {
    session = { accessToken: TOKEN };
    let kept: Readonly<Record<string, readonly string[]>> = {};
    const files = {
      read: () => kept,
      write: (f: Readonly<Record<string, readonly string[]>>) => {
        kept = f;
        return Promise.resolve();
      },
    };
    const s = store({ fetchAlways: () => false, files });
    assert.equal(await s.token(true), TOKEN);
    assert.deepEqual(asked.at(-1)?.options, { createIfNone: true });
    const dir = mkdtempSync(join(tmpdir(), 'pl-editor-att-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(GITHUB_JSONL, 'utf8').trim()}\n{"not": "a bundle"}\n`);
    await assert.rejects(
      s.addFiles('127.0.0.1:5000/actions/attest-demo:v1', [bad]),
      (e: unknown) =>
        e instanceof LensError &&
        e.code === 'USAGE' &&
        e.message === `${bad}:2 is not a Sigstore bundle (no bundle mediaType, dsseEnvelope or messageSignature).`,
    );
    assert.deepEqual(s.filesOf('127.0.0.1:5000/actions/attest-demo:v1'), []);
    assert.equal((await s.addFiles('127.0.0.1:5000/actions/attest-demo:v1', [GITHUB_JSONL])).length, 1);
    assert.deepEqual(kept, { '127.0.0.1:5000/actions/attest-demo:v1': [GITHUB_JSONL] });
    // A window reload builds the host again over the same workspace state.
    assert.deepEqual(store({ files }).filesOf('127.0.0.1:5000/actions/attest-demo:v1'), [GITHUB_JSONL]);
    const graph = await s.attach(image(WHEEL), new AbortController().signal);
    assert.deepEqual(
      graph.artifacts.map((a) => [a.format, a.origin]),
      [['bundle-file', GITHUB_JSONL]],
    );
    assert.deepEqual(api.requests, [], 'GitHub is asked only when the setting or the command says so');
    assert.deepEqual(await s.removeFiles('127.0.0.1:5000/actions/attest-demo:v1'), [GITHUB_JSONL]);
    assert.deepEqual(kept, {});
    const again = await s.attach(image(WHEEL), new AbortController().signal);
    assert.deepEqual(again.artifacts, []);
  });
});
