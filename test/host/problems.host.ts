// The Problems entries of images and their quick fixes inside the real extension host, on the demo
// workspace test/e2e/problems.test.ts prepared and already fixed through the UI (fleet-agent's
// signer pinned, the staging image excepted), so only fleet's unsigned linux/s390x is left. Values
// through VS Code's own lists: the diagnostics of the file, the code actions it would offer, and
// how provenanceLens.diagnostics.severity changes them. Skipped without that test's facts
// ($PROVENANCE_LENS_E2E_PROBLEMS).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ProvenanceLensApi } from '../../src/extension';
import { RESTRICTED_FIX } from '../../src/commands/policy-fixes';
import { imageFixes } from '../../src/hovers/code-actions';

const EXTENSION_ID = 'provenance-lens.provenance-lens';
const PROBLEMS_E2E_ENV = 'PROVENANCE_LENS_E2E_PROBLEMS';
interface Seeded {
  readonly registry: string;
  readonly fleet: string;
  readonly agent: string;
  readonly staging: string;
}
const raw = process.env[PROBLEMS_E2E_ENV];
const seeded: Seeded | undefined = raw ? (JSON.parse(raw) as Seeded) : undefined;

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Our entries about images (not the file's own: those have other codes). */
function imageEntries(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Provenance Lens' && /^[A-Z_]+$/.test(String(d.code)));
}

describe('Problems of the demo release (after the fixes)', function () {
  this.timeout(120_000);
  let doc: vscode.TextDocument;
  let fleetLine: number;

  before(async function () {
    if (!seeded) this.skip();
    const api = await vscode.extensions.getExtension<ProvenanceLensApi>(EXTENSION_ID)!.activate();
    await api.ready;
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    doc = await vscode.workspace.openTextDocument(join(folder, '.goreleaser.yaml'));
    await vscode.window.showTextDocument(doc);
    fleetLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('/rancher/fleet"'));
  });

  after(async () => {
    if (seeded) await vscode.workspace.getConfiguration('provenanceLens').update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it("one entry is left: fleet's unsigned platform, a warning on its image template", async () => {
    const entries = await waitFor('the fleet entry alone', () => {
      const list = imageEntries(doc.uri);
      return list.length === 1 && list[0]!.code === 'NO_SIGNATURE' ? list : undefined;
    });
    const [d] = entries;
    assert.equal(d!.message, 'linux/s390x is not signed.');
    assert.equal(d!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d!.range.start.line, fleetLine);
    assert.equal(doc.getText(d!.range), '"{{ .Env.STAGE_REGISTRY }}/rancher/fleet"');
  });

  it('follows provenanceLens.diagnostics.severity: error, information, off', async () => {
    const config = () => vscode.workspace.getConfiguration('provenanceLens');
    for (const [value, severity] of [
      ['error', vscode.DiagnosticSeverity.Error],
      ['information', vscode.DiagnosticSeverity.Information],
    ] as const) {
      await config().update('diagnostics.severity', value, vscode.ConfigurationTarget.Workspace);
      await waitFor(`severity ${value}`, () => (imageEntries(doc.uri)[0]?.severity === severity ? true : undefined), 20_000);
    }
    await config().update('diagnostics.severity', 'off', vscode.ConfigurationTarget.Workspace);
    await waitFor('no image entry', () => (imageEntries(doc.uri).length === 0 ? true : undefined), 20_000);
    await config().update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the warning back', () => (imageEntries(doc.uri)[0]?.severity === vscode.DiagnosticSeverity.Warning ? true : undefined), 20_000);
  });

  it('offers on fleet only what applies: no signer was seen on s390x and the image is not wholly unsigned, so the panel alone', async () => {
    const d = imageEntries(doc.uri).find((x) => x.code === 'NO_SIGNATURE');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      d!.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const ours = actions.filter((a) => /^provenanceLens\./.test(a.command?.command ?? ''));
    assert.deepEqual(
      ours.map((a) => [a.title, a.command?.command, a.command?.arguments?.[0]]),
      [['Show rancher/fleet in the image panel', 'provenanceLens.openImagePanel', seeded!.fleet]],
    );
  });

  it('Open Policy File opens the policy in use; Run the Demo says where the demo runs, outside the repository', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('provenanceLens.openPolicy');
    assert.equal(uri?.fsPath, join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, '.provenance-lens.yaml'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri?.fsPath);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /exception:\n\s+reason: Staging image, signed when promoted\./);
    assert.equal(await vscode.commands.executeCommand<boolean>('provenanceLens.runDemo'), false);
    await vscode.window.showTextDocument(doc);
  });

  it('in Restricted Mode the policy fixes are offered disabled, saying why; the panel stays available', () => {
    const [d] = imageEntries(doc.uri);
    const signer = {
      identity: 'https://github.com/fleet-fork/fleet/.github/workflows/release.yml@refs/tags/v0.13.0',
      issuer: 'https://token.actions.githubusercontent.com',
    };
    const entry = {
      range: null,
      reference: seeded!.staging,
      state: 'unsigned' as const,
      code: 'UNPINNED',
      message: 'x',
      causes: [{ code: 'UNPINNED' as const, message: 'x', seen: [signer] }],
    };
    const offered = imageFixes(doc, d!, entry, false).map((a) => [a.title, a.disabled?.reason]);
    assert.deepEqual(offered, [
      ["Pin fleet-fork/fleet's release.yml as the signer of rancher/fleet-staging in the policy…", RESTRICTED_FIX],
      ['Add an exception for rancher/fleet-staging to the policy, with a reason…', RESTRICTED_FIX],
      ['Show rancher/fleet-staging in the image panel', undefined],
    ]);
    assert.deepEqual(
      imageFixes(doc, d!, entry, true).map((a) => a.disabled),
      [undefined, undefined, undefined],
    );
  });
});
