// The goreleaser editor features inside the real extension host, through the commands VS Code
// itself uses to ask providers (hovers, CodeLenses, links) and the Problems panel's own list.
// Two parts: fleet's real configs copied into a temp folder (any host run, no registry; skipped
// when the settings already give STAGE_REGISTRY), and fleet's config as the workspace's own file
// with STAGE_REGISTRY pointing at the test registry test/e2e/goreleaser-editor.test.ts seeds
// (it passes the facts in $PROVENANCE_LENS_E2E_GORELEASER; without it that part is skipped).
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ProvenanceLensApi } from '../../src/extension';
import { buildModel } from '../../src/hovers/release-context';
import { realFixture } from '../support/real-fixtures';
import { commitAndTag } from '../support/git';

const EXTENSION_ID = 'provenance-lens.provenance-lens';
/** Set by test/e2e/goreleaser-editor.test.ts (GORELEASER_E2E_ENV). */
const GORELEASER_E2E_ENV = 'PROVENANCE_LENS_E2E_GORELEASER';
const REVEAL = 'provenanceLens.goreleaser.revealImage';
const SET_ENV = 'provenanceLens.goreleaser.setEnv';
const TRUSTED = ['provenanceLens.verifyImage', 'provenanceLens.showProvenance', REVEAL, SET_ENV, 'provenanceLens.signIn'];

interface Seeded {
  readonly registry: string;
  readonly tag: string;
  readonly fleet: { readonly reference: string; readonly digest: string };
  readonly agent: { readonly reference: string; readonly digest: string };
}
const raw = process.env[GORELEASER_E2E_ENV];
const seeded: Seeded | undefined = raw ? (JSON.parse(raw) as Seeded) : undefined;

const fleetConfig = (file: string): string => realFixture('goreleaser', 'rancher-fleet', file);

async function activate(): Promise<ProvenanceLensApi> {
  const ext = vscode.extensions.getExtension<ProvenanceLensApi>(EXTENSION_ID);
  assert.ok(ext);
  const api = await ext.activate();
  await api.ready;
  return api;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function tagged(dir: string, tag: string): void {
  commitAndTag(dir, tag);
}

/** Where `needle` (the n-th occurrence) starts, a few characters in, as a position. */
function at(doc: vscode.TextDocument, needle: string, nth = 0, into = 4): vscode.Position {
  let i = -1;
  for (let n = 0; n <= nth; n++) i = doc.getText().indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not in ${doc.uri.fsPath}`);
  return doc.positionAt(i + into);
}

/** Our hover's markdown (other providers may answer too). */
async function hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.MarkdownString | undefined> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  for (const h of hovers) {
    for (const c of h.contents) if (c instanceof vscode.MarkdownString && /Template: /.test(c.value)) return c;
  }
  return undefined;
}

const ours = (d: vscode.Diagnostic): boolean => d.source === 'Provenance Lens';
const diagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter(ours);
const code = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

/** Links in the markdown: [title](command:id?args) -> [id, args]. */
function commandLinks(md: string): [string, unknown[]][] {
  return [...md.matchAll(/\]\(command:([\w.-]+)(?:\?([^)]*))?\)/g)].map((m) => [m[1]!, m[2] ? (JSON.parse(decodeURIComponent(m[2])) as unknown[]) : []]);
}

describe("goreleaser editor: fleet's real configs in a temp folder", function () {
  this.timeout(60_000);
  let dir: string;
  let fleet: vscode.TextDocument;
  let pre: vscode.TextDocument;

  before(async function () {
    // A resource setting: null asks for its value for any file (without, VS Code logs a warning).
    const env = vscode.workspace.getConfiguration('provenanceLens', null).get<Record<string, string>>('goreleaser.env') ?? {};
    if (seeded || env.STAGE_REGISTRY !== undefined) this.skip(); // the other part runs with values
    await activate();
    dir = mkdtempSync(join(tmpdir(), 'pl-goreleaser-host-'));
    mkdirSync(join(dir, 'fleet'));
    mkdirSync(join(dir, 'pre'));
    copyFileSync(fleetConfig('HEAD.goreleaser.yaml'), join(dir, 'fleet', '.goreleaser.yaml'));
    copyFileSync(fleetConfig('9a9666e4-pre-dockers_v2.goreleaser.yaml'), join(dir, 'pre', '.goreleaser.yml'));
    tagged(join(dir, 'fleet'), 'v0.12.0');
    // Opened, not shown: no editor asks for lenses, so nothing here reaches a registry.
    fleet = await vscode.workspace.openTextDocument(join(dir, 'fleet', '.goreleaser.yaml'));
    pre = await vscode.workspace.openTextDocument(join(dir, 'pre', '.goreleaser.yml'));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists in the Problems panel exactly what the engine finds, with ranges, severities, codes and related places', async () => {
    for (const doc of [fleet, pre]) {
      const env = vscode.workspace.getConfiguration('provenanceLens', doc.uri).get<Record<string, string>>('goreleaser.env') ?? {};
      const model = buildModel(doc.getText(), { file: doc.uri.fsPath, env, git: doc === fleet ? { tag: 'v0.12.0' } : {} });
      const expected = [...model.analysis.diagnostics, ...model.release.diagnostics].sort((a, b) => a.range.start - b.range.start);
      const shown = await waitFor(`diagnostics of ${doc.uri.fsPath}`, () =>
        diagnostics(doc.uri).length === expected.length ? diagnostics(doc.uri) : undefined,
      );
      const sev = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };
      assert.deepEqual(
        shown.map((d) => [
          code(d),
          d.severity,
          doc.offsetAt(d.range.start),
          doc.offsetAt(d.range.end),
          d.message,
          (d.relatedInformation ?? []).map((r) => doc.offsetAt(r.location.range.start)),
        ]),
        expected.map((d) => [d.code, sev[d.severity], d.range.start, d.range.end, d.message, (d.related ?? []).map((r) => r.range.start)]),
      );
    }
    const stage = diagnostics(fleet.uri).find((d) => code(d) === 'template-unresolved')!;
    assert.equal(fleet.getText(stage.range), '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet"');
    assert.equal(stage.range.start.line + 1, 157);
    const trap = diagnostics(pre.uri).filter((d) => code(d) === 'manifest-list-default-provenance');
    assert.deepEqual(
      trap.map((d) => d.range.start.line + 1),
      [329, 330, 336, 337],
    );
    assert.equal(trap[0]!.relatedInformation?.[0]?.location.uri.toString(), pre.uri.toString());
  });

  it('follows an edit as the user types, and a save, and the undo', async () => {
    const scalar = '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet"';
    const start = fleet.getText().indexOf(scalar);
    const broken = new vscode.Range(fleet.positionAt(start + 24), fleet.positionAt(start + 26)); // the `}}`
    const edit = new vscode.WorkspaceEdit();
    edit.replace(fleet.uri, broken, '');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const error = await waitFor('a template-syntax error', () => diagnostics(fleet.uri).find((d) => code(d) === 'template-syntax'));
    assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(error.range.start.line + 1, 157);
    assert.match(error.message, /^Template syntax error at 1:\d+ of `\{\{ \.Env\.STAGE_REGISTRY \/rancher\/fleet`/);
    const undo = new vscode.WorkspaceEdit();
    undo.insert(fleet.uri, broken.start, '}}');
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.ok(await fleet.save());
    await waitFor('the error to go', () => (diagnostics(fleet.uri).some((d) => code(d) === 'template-syntax') ? undefined : true));
  });

  it('hovers an unresolved image: the template, the reference with its hole, what it waits for, where to set it', async () => {
    const md = await waitFor('a hover', () => hover(fleet, at(fleet, '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet"')));
    assert.match(md.value, /^\*\*dockers\\_v2\\\[2\\\]\*\* `fleet-private` · pushed image/);
    assert.match(md.value, /Template: `\{\{ \.Env\.STAGE_REGISTRY \}\}\/rancher\/fleet:\{\{ \.Tag \}\}`/);
    assert.match(md.value, /Reference: not rendered \(`<\.Env\.STAGE_REGISTRY>\/rancher\/fleet:v0\.12\.0`\)/);
    assert.match(md.value, /- `\.Env\.STAGE_REGISTRY`: .*setting provenanceLens\\\.goreleaser\\\.env/);
    assert.deepEqual(commandLinks(md.value), [[SET_ENV, ['STAGE_REGISTRY']]]);
    assert.equal(md.supportHtml, false);
    assert.deepEqual(md.isTrusted, { enabledCommands: TRUSTED });
  });

  it('hovers a tag list shared through an anchor: every image that uses it', async () => {
    const md = await waitFor('a hover', () => hover(fleet, at(fleet, '- "{{ .Tag }}"', 0, 5)));
    const parts = md.value.split('\n\n---\n\n');
    // Each part names its entry on a line of its own (after the verdict line, once the registry answered).
    assert.deepEqual(
      parts.map((p) => /^\*\*(.*?)\*\* `(.*?)`/m.exec(p)?.slice(1)),
      [
        ['dockers\\_v2\\[0\\]', 'fleet-public'],
        ['dockers\\_v2\\[1\\]', 'fleet-agent-public'],
        ['dockers\\_v2\\[2\\]', 'fleet-private'],
        ['dockers\\_v2\\[3\\]', 'fleet-agent-private'],
      ],
    );
    assert.match(parts[0]!, /Reference: `docker\.io\/rancher\/fleet:v0\.12\.0`/);
  });

  it('links the public images to their Docker Hub pages, and nothing else', async () => {
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', fleet.uri);
    const hub = links.filter((l) => l.target?.authority === 'hub.docker.com');
    assert.deepEqual(
      hub.map((l) => [fleet.getText(l.range), l.target!.toString(true)]),
      [
        ['"docker.io/rancher/fleet"', 'https://hub.docker.com/r/rancher/fleet'],
        ['"docker.io/rancher/fleet-agent"', 'https://hub.docker.com/r/rancher/fleet-agent'],
      ],
    );
    assert.equal(links.filter((l) => /STAGE_REGISTRY/.test(fleet.getText(l.range))).length, 0);
  });
});

describe("goreleaser editor: fleet's config against the test registry", function () {
  this.timeout(90_000);
  let api: ProvenanceLensApi;
  let doc: vscode.TextDocument;

  before(async function () {
    if (!seeded) this.skip();
    api = await activate();
    const [file] = await vscode.workspace.findFiles('.goreleaser.yaml');
    assert.ok(file, "the workspace has fleet's .goreleaser.yaml");
    doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
  });

  it('hovers the staging image: the rendered reference, then its digest, platforms and verdict from the registry', async () => {
    const pos = at(doc, '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet"');
    // The first hover may answer "reading the registry"; the load goes on, and a later hover answers from it.
    const md = await waitFor(
      'the digest in the hover',
      async () => {
        const h = await hover(doc, pos);
        return h && h.value.includes(seeded!.fleet.digest) && !h.value.includes('verifying') ? h : undefined;
      },
      60_000,
    );
    assert.match(md.value, new RegExp(`Reference: \`${seeded!.fleet.reference.replace(/[.]/g, '\\.')}\``));
    assert.match(md.value, new RegExp(`Digest: \`${seeded!.fleet.digest}\`\n\n2 platforms: \`linux/amd64\`, \`linux/arm64\``));
    assert.match(md.value, /\*\*signed\\, signer not pinned\*\*/);
    assert.deepEqual(commandLinks(md.value), [
      ['provenanceLens.verifyImage', [seeded!.fleet.reference]],
      ['provenanceLens.showProvenance', [seeded!.fleet.reference]],
      [REVEAL, [seeded!.fleet.reference]],
    ]);
    assert.deepEqual(md.isTrusted, { enabledCommands: TRUSTED });
  });

  it('puts the verdict of each entry above it, and what each docker_signs entry covers', async () => {
    const titles = async (): Promise<Map<number, string[]>> => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
      const byLine = new Map<number, string[]>();
      for (const l of lenses) byLine.set(l.range.start.line + 1, [...(byLine.get(l.range.start.line + 1) ?? []), l.command?.title ?? '']);
      return byLine;
    };
    // An entry's lens sits above its `-`, alone on the line before `id:` in fleet's file.
    const line = (needle: string): number => at(doc, needle, 0, 0).line;
    const lenses = await waitFor(
      'settled lenses',
      async () => {
        const t = await titles();
        return [...t.values()].flat().some((x) => x.startsWith('…') || x.includes(' · …')) ? undefined : t;
      },
      60_000,
    );
    assert.deepEqual(lenses.get(line('id: fleet-public')), ['not pushed: disabled']);
    assert.deepEqual(lenses.get(line('id: fleet-private')), ['signed, signer not pinned · 2 platforms', 'Reveal in Releases']);
    assert.deepEqual(lenses.get(line('id: fleet-agent-private')), ['unsigned · 2 platforms', 'Reveal in Releases']);
    assert.deepEqual(lenses.get(at(doc, '- id: prime-fleet\n').line + 1), ['signs 1 image · 1 signed, signer not pinned', 'Reveal in Releases']);
    assert.deepEqual(lenses.get(at(doc, '- id: prime-fleet-agent').line + 1), ['signs 1 image · ✗ 1 without a verified signature', 'Reveal in Releases']);
  });

  it('warns where docker_signs should have signed the pushed digest, and nothing is unresolved', async () => {
    const warning = await waitFor('the docker-sign-missing warning', () => diagnostics(doc.uri).find((d) => code(d) === 'docker-sign-missing'));
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(warning.range), '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet-agent"');
    assert.equal(
      warning.message,
      `docker_signs[1] (prime-fleet-agent) should sign ${seeded!.agent.reference} (pushed digest ${seeded!.agent.digest.slice(0, 19)}…), but the registry copy has no signature on that digest.`,
    );
    assert.match(
      doc.getText(warning.relatedInformation![0]!.location.range),
      /--sign-container-identity=\{\{ \.Env\.PRIME_REGISTRY \}\}\/rancher\/fleet-agent/,
    );
    assert.deepEqual(
      diagnostics(doc.uri).filter((d) => code(d) === 'template-unresolved'),
      [],
    );
  });

  it("reveals the image in the Releases view from the hover's link", async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>(REVEAL, seeded!.fleet.reference), true);
    assert.equal(api.view.selection[0]?.kind, 'image');
  });
});
