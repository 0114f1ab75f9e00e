// Restricted Mode reads no file inside a workspace folder through a setting or a policy entry:
// the rule (core/restricted-files.ts) over real folders and symbolic links, and the policy
// loader the extension uses (host/policy-load.ts) over real policy and key files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideFile, realpathOrAncestor } from '../../src/core/restricted-files';
import type { WorkspaceFiles } from '../../src/core/restricted-files';
import { LensError } from '../../src/core/errors';
import { loadHostPolicy, policyFiles } from '../../src/host/policy-load';
import { Verifier } from '../../src/host/verifier';
import type { ImageGraph } from '../../src/model/image-graph';

// realpath: mkdtemp under a linked /tmp (macOS) would otherwise differ from what the rule sees.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'pl-restricted-')));
const ws = join(root, 'ws');
const home = join(root, 'home');
mkdirSync(join(ws, 'keys'), { recursive: true });
mkdirSync(home);
writeFileSync(join(ws, 'relaxed.yaml'), 'version: 1\n');
writeFileSync(join(home, 'policy.yaml'), 'version: 1\n');

const untrusted: WorkspaceFiles = { trusted: false, folders: [ws], realpath: realpathOrAncestor, caseInsensitive: false };
const trusted: WorkspaceFiles = { ...untrusted, trusted: true };
const setting = 'provenanceLens.policyFile';

describe('Restricted Mode: a setting naming a file', () => {
  test('a relative user setting is not resolved into the workspace', () => {
    assert.deepEqual(decideFile({ setting, value: 'relaxed.yaml', base: ws }, untrusted), {
      ignored: `provenanceLens.policyFile points into this untrusted workspace (relaxed.yaml, relative to ${ws}); ignored in Restricted Mode. Trust the workspace to use it.`,
    });
    // Even one that climbs out: relative paths are not resolved at all.
    assert.ok('ignored' in decideFile({ setting, value: '../home/policy.yaml', base: ws }, untrusted));
    assert.deepEqual(decideFile({ setting, value: 'relaxed.yaml' }, untrusted), {
      ignored:
        'provenanceLens.policyFile is a relative path (relaxed.yaml); ignored in Restricted Mode, where relative paths are not resolved. Give an absolute path outside the workspace, or trust the workspace.',
    });
  });

  test('trusted, the same setting applies, resolved against the first workspace folder', () => {
    assert.deepEqual(decideFile({ setting, value: 'relaxed.yaml', base: ws }, trusted), { path: join(ws, 'relaxed.yaml') });
    assert.deepEqual(decideFile({ setting, value: join(ws, 'relaxed.yaml'), base: ws }, trusted), { path: join(ws, 'relaxed.yaml') });
  });

  test('an absolute path inside a workspace folder is ignored, one outside is used', () => {
    assert.deepEqual(decideFile({ setting: 'provenanceLens.trustedRoot', value: join(ws, 'keys', 'root.json'), base: ws }, untrusted), {
      ignored: `provenanceLens.trustedRoot points into this untrusted workspace (${join(ws, 'keys', 'root.json')}); ignored in Restricted Mode. Trust the workspace to use it.`,
    });
    assert.ok('ignored' in decideFile({ setting, value: ws, base: ws }, untrusted), 'the folder itself');
    assert.ok('ignored' in decideFile({ setting, value: `${home}/../ws/relaxed.yaml`, base: ws }, untrusted), 'a path climbing back in');
    assert.deepEqual(decideFile({ setting, value: join(home, 'policy.yaml'), base: ws }, untrusted), { path: join(home, 'policy.yaml') });
    // A sibling whose name starts with the folder's is not inside it.
    mkdirSync(`${ws}-other`, { recursive: true });
    assert.deepEqual(decideFile({ setting, value: `${ws}-other/p.yaml`, base: ws }, untrusted), { path: `${ws}-other/p.yaml` });
  });

  test('a symbolic link outside the workspace that points into it is ignored, the real path named', () => {
    const link = join(home, 'linked-policy.yaml');
    symlinkSync(join(ws, 'relaxed.yaml'), link);
    assert.deepEqual(decideFile({ setting, value: link, base: ws }, untrusted), {
      ignored: `provenanceLens.policyFile points into this untrusted workspace (${link}, which is ${join(ws, 'relaxed.yaml')}); ignored in Restricted Mode. Trust the workspace to use it.`,
    });
    // A linked directory, and a file under it that does not exist yet.
    const dirLink = join(home, 'linked-dir');
    symlinkSync(join(ws, 'keys'), dirLink);
    assert.ok('ignored' in decideFile({ setting, value: join(dirLink, 'later.pub'), base: ws }, untrusted));
    // A dangling link into the workspace (its target may appear with the next checkout).
    const dangling = join(home, 'dangling.json');
    symlinkSync(join(ws, 'missing', 'root.json'), dangling);
    assert.ok('ignored' in decideFile({ setting: 'provenanceLens.trustedRoot', value: dangling, base: ws }, untrusted));
    assert.deepEqual(decideFile({ setting, value: link, base: ws }, trusted), { path: link });
  });

  test('a workspace opened through a link: its real path is inside too', () => {
    const wsLink = join(root, 'ws-link');
    symlinkSync(ws, wsLink);
    const throughLink: WorkspaceFiles = { ...untrusted, folders: [wsLink] };
    assert.ok('ignored' in decideFile({ setting, value: join(ws, 'relaxed.yaml'), base: wsLink }, throughLink));
    assert.ok('ignored' in decideFile({ setting, value: join(wsLink, 'relaxed.yaml'), base: wsLink }, throughLink));
  });

  test('case-insensitive file systems compare without case', () => {
    const upper = join(root, 'WS', 'relaxed.yaml');
    assert.ok('ignored' in decideFile({ setting, value: upper, base: ws }, { ...untrusted, caseInsensitive: true }));
    assert.ok('path' in decideFile({ setting, value: upper, base: ws }, untrusted));
  });

  test('realpathOrAncestor ends on a cycle of links', () => {
    const a = join(home, 'cycle-a');
    const b = join(home, 'cycle-b');
    symlinkSync(b, a);
    symlinkSync(a, b);
    assert.equal(typeof realpathOrAncestor(join(a, 'x')), 'string');
  });
});

describe('Restricted Mode: the files a policy names', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(join(home, 'cosign.pub'), PEM);
  const write = (name: string, text: string): string => {
    const p = join(home, name);
    writeFileSync(p, text);
    return p;
  };

  test('a policy outside the workspace naming a key inside it is not used, and the key is not read', async () => {
    // The key does not exist: had it been read, the result would carry a KEY_FILE diagnostic.
    const path = write(
      'names-ws-key.yaml',
      `version: 1\nimages:\n  - image: example.com/app\n    keys: [${join(ws, 'keys', 'absent.pub')}]\n    requireTlog: false\n`,
    );
    const r = await loadHostPolicy(path, untrusted);
    assert.equal(r.policy, undefined);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(
      r.restricted,
      `The policy file ${path} names files inside this untrusted workspace (images[0].keys[0]: ${join(ws, 'keys', 'absent.pub')}); ignored in Restricted Mode, and none of those files is read. Trust the workspace to use it.`,
    );
    // Trusted, the same policy reads the key (and fails on it, as it is missing).
    const t = await loadHostPolicy(path, trusted);
    assert.deepEqual(
      t.diagnostics.map((d) => d.code),
      ['KEY_FILE'],
    );
    assert.equal(t.restricted, undefined);
  });

  test('trustedRoot and certificateChain, relative to a policy that lives in a linked folder, are named', async () => {
    symlinkSync(ws, join(home, 'roots-link'));
    const path = write('names-ws-roots.yaml', `version: 1\ndefaults:\n  trustedRoot: roots-link/root.json\n  certificateChain: ${join(ws, 'chain.pem')}\n`);
    const r = await loadHostPolicy(path, untrusted);
    assert.equal(r.policy, undefined);
    assert.ok(
      r.restricted?.includes(`(defaults.trustedRoot: ${join(home, 'roots-link', 'root.json')}; defaults.certificateChain: ${join(ws, 'chain.pem')})`),
      r.restricted,
    );
  });

  test('a policy whose files are all outside the workspace loads, keys read relative to it', async () => {
    const path = write('outside.yaml', 'version: 1\nimages:\n  - image: example.com/app\n    keys: [./cosign.pub]\n');
    const r = await loadHostPolicy(path, untrusted);
    assert.equal(r.restricted, undefined);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.policy?.images[0]?.keys?.[0]?.path, join(home, 'cosign.pub'));
    assert.ok(r.policy?.images[0]?.keys?.[0]?.material, 'the key was read');
    assert.deepEqual(policyFiles(r.policy!), [{ setting: 'images[0].keys[0]', value: join(home, 'cosign.pub') }]);
  });

  test("the editor's verifier refuses such a policy: each verification fails saying why, and the view is told", async () => {
    const path = write('verifier.yaml', `version: 1\ndefaults:\n  keys: [${join(ws, 'keys', 'cosign.pub')}]\n`);
    const told: (string | undefined)[] = [];
    const verifier = new Verifier({
      settings: () => ({ offline: true, insecureRegistries: [], caFiles: [], concurrency: 1, cacheSizeMb: 8, ignored: [], refused: [] }),
      policyPath: () => path,
      workspace: () => untrusted,
      restricted: (reason) => told.push(reason),
      source: () => Promise.reject(new Error('no registry is asked before the policy is read')),
      trustCacheDir: join(root, 'trust'),
      log: { info() {}, warn() {} },
    });
    const expected = `The policy file ${path} names files inside this untrusted workspace (defaults.keys[0]: ${join(ws, 'keys', 'cosign.pub')}); ignored in Restricted Mode, and none of those files is read. Trust the workspace to use it.`;
    // Only the reference is read before the policy refuses.
    const graph = { reference: 'example.com/app:v1' } as ImageGraph;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(
        verifier.verify(graph, new AbortController().signal),
        (e: unknown) => e instanceof LensError && e.code === 'USAGE' && e.message === expected,
      );
    }
    assert.deepEqual(told, [expected], 'told once: the refusal is kept until the next reset');
    verifier.reset();
    assert.deepEqual(told, [expected, undefined]);
  });

  test('an unreadable or oversize policy is a FILE diagnostic, as loadPolicyFile says it', async () => {
    const missing = await loadHostPolicy(join(home, 'nope.yaml'), untrusted);
    assert.deepEqual(
      missing.diagnostics.map((d) => d.code),
      ['FILE'],
    );
    const big = write('big.yaml', `# ${'x'.repeat(1024 * 1024)}\n`);
    assert.match((await loadHostPolicy(big, untrusted)).diagnostics[0]?.message ?? '', /may be at most 1048576/);
  });
});
