// VS Code's habits in the manifest (package.json): command titles in Title Case, activation only
// on the files the extension reads (never on every YAML file), a walkthrough whose every step's
// media ships in the .vsix (asked of vsce, which reads .vscodeignore as `vsce package` does), the
// commands its buttons run, the Problems severity setting and the default requests in flight.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '../../src/registry/limits';
import { repoRoot } from '../support/repo-root';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; markdown?: string; altText?: string };
  when?: string;
  completionEvents?: string[];
}
interface Manifest {
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: { commandPalette: { command: string; when?: string }[] };
    walkthroughs: { id: string; title: string; steps: Step[] }[];
    viewsWelcome: { view: string; contents: string }[];
    configuration: { properties: Record<string, { enum?: string[]; default?: unknown; scope?: string }> };
  };
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** Words Title Case leaves in lower case inside a title (https://code.visualstudio.com/api/references/extension-guidelines#command-palette). */
const MINOR = new Set([
  'a',
  'an',
  'the',
  'and',
  'but',
  'or',
  'nor',
  'for',
  'so',
  'yet',
  'to',
  'of',
  'in',
  'on',
  'at',
  'by',
  'with',
  'from',
  'as',
  'into',
  'via',
]);

/** Phrasal verbs whose particle is capitalised like the verb ("Sign In to Registry"). */
const PHRASAL = new Set(['sign in', 'sign out']);

/** The words of a title that break Title Case. */
export function titleCaseErrors(title: string): string[] {
  const words = title.split(/\s+/).map((w) => w.replace(/[…().,:]+$/g, '').replace(/^[(]/, ''));
  return words.filter((w, i) => {
    if (w === '' || /^[^A-Za-z]/.test(w)) return false;
    const particle = i > 0 && PHRASAL.has(`${words[i - 1]!.toLowerCase()} ${w.toLowerCase()}`);
    const minor = MINOR.has(w.toLowerCase()) && i > 0 && i < words.length - 1 && !particle;
    return minor ? w !== w.toLowerCase() : w[0] !== w[0]!.toUpperCase();
  });
}

function packaged(): string[] {
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const out = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

describe("the manifest's VS Code habits", () => {
  test('every contributed command title is in Title Case', () => {
    assert.deepEqual(titleCaseErrors('Add image to the release view'), ['image', 'release', 'view'], 'the rule sees the old titles');
    assert.deepEqual(titleCaseErrors('Add Image To the Releases View'), ['To']);
    assert.deepEqual(titleCaseErrors('Switch Tag…'), []);
    assert.deepEqual(titleCaseErrors('Sign In to Registry'), []);
    assert.deepEqual(titleCaseErrors('Sign in to registry'), ['in', 'registry']);
    const wrong = manifest.contributes.commands.map((c) => [c.command, c.title, titleCaseErrors(c.title)] as const).filter(([, , e]) => e.length > 0);
    assert.deepEqual(wrong, []);
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'Provenance Lens'));
  });

  test('activates on the files it reads, its commands and its view (implicit since VS Code 1.74), never on every YAML file', () => {
    assert.match(manifest.engines.vscode, /^\^1\.(7[4-9]|[89]\d|\d{3,})\./, 'command and view activation is implicit from 1.74 on');
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:**/.goreleaser.y*ml',
      'workspaceContains:**/goreleaser.y*ml',
      'workspaceContains:**/.provenance-lens.yaml',
      // The other files that name images (src/references): Dockerfiles, compose files, charts, workflows.
      'workspaceContains:**/Dockerfile',
      'workspaceContains:**/Dockerfile.*',
      'workspaceContains:**/*.dockerfile',
      'workspaceContains:**/Containerfile',
      'workspaceContains:**/{compose,docker-compose}*.{yml,yaml}',
      'workspaceContains:**/Chart.yaml',
      'workspaceContains:.github/workflows/*.{yml,yaml}',
      'onLanguage:dockerfile',
      'onWebviewPanel:provenanceLens.image',
      'onWebviewPanel:provenanceLens.diff',
    ]);
    // Dockerfiles are always the extension's; YAML is only by name or content, so never `onLanguage:yaml`.
    assert.ok(!manifest.activationEvents.some((e) => (e.startsWith('onLanguage:') && e !== 'onLanguage:dockerfile') || e === '*' || e === 'onStartupFinished'));
  });

  test('the walkthrough: verify an image, a goreleaser workspace, a policy, and the demo only where the repository is', () => {
    const [walk] = manifest.contributes.walkthroughs;
    assert.equal(walk?.id, 'provenanceLens.start');
    assert.deepEqual(
      walk!.steps.map((s) => [s.id, s.when ?? '']),
      [
        ['verifyImage', ''],
        ['goreleaserWorkspace', ''],
        ['writePolicy', ''],
        ['runDemo', 'provenanceLens.demoAtHand'],
      ],
    );
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const s of walk!.steps) {
      const buttons = [...s.description.matchAll(/\]\(command:([A-Za-z.]+)/g)].map((m) => m[1]!);
      assert.ok(buttons.length > 0, `${s.id} has a button`);
      for (const b of buttons.filter((x) => x.startsWith('provenanceLens.')))
        assert.ok(commands.has(b) || b === 'provenanceLens.releases.focus', `${s.id}: ${b} is a contributed command`);
      assert.ok(!s.description.includes('`'), `${s.id}: no backticks in a step's text`);
      const media = s.media.image ?? s.media.markdown!;
      assert.ok(existsSync(join(repoRoot, media)), `${s.id}: ${media} exists`);
      if (s.media.image) assert.ok((s.media.altText ?? '').length > 10, `${s.id}: alt text`);
    }
    assert.deepEqual(
      manifest.contributes.menus.commandPalette.find((m) => m.command === 'provenanceLens.runDemo'),
      { command: 'provenanceLens.runDemo', when: 'provenanceLens.demoAtHand' },
    );
  });

  test("the installed extension has the walkthrough's media and the panel's tab icons", () => {
    const files = packaged();
    const media = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.image ?? s.media.markdown!));
    for (const f of [...media, 'media/panel-icon-light.svg', 'media/panel-icon-dark.svg']) assert.ok(files.includes(f), `${f} is not packaged`);
  });

  test('the welcome view has no literal backticks (it renders none) and names the commands by their titles', () => {
    const [welcome] = manifest.contributes.viewsWelcome;
    assert.ok(!welcome!.contents.includes('`'), welcome!.contents);
    assert.match(welcome!.contents, /\[Add Image\]\(command:provenanceLens\.addImage\)\n\[Verify Image\]\(command:provenanceLens\.verifyImage\)/);
    assert.match(
      welcome!.contents,
      /\[Get started\]\(command:workbench\.action\.openWalkthrough\?%5B%22provenance-lens\.provenance-lens%23provenanceLens\.start%22%2Cfalse%5D\)/,
    );
  });

  test('provenanceLens.diagnostics.severity: error, warning (default), information or off, per folder', () => {
    const s = manifest.contributes.configuration.properties['provenanceLens.diagnostics.severity'];
    assert.deepEqual([s?.enum, s?.default, s?.scope], [['error', 'warning', 'information', 'off'], 'warning', 'resource']);
  });

  test("provenanceLens.concurrency defaults to the registry client's requests in flight, as the CLI's: 16", () => {
    const s = manifest.contributes.configuration.properties['provenanceLens.concurrency'];
    assert.deepEqual([s?.default, DEFAULT_LIMITS.concurrencyPerHost], [16, 16]);
  });
});
