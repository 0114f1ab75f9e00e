// Runs inside the real extension host (see index.ts): the extension under development
// activates, contributes what its manifest says, and its commands run.
import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';

const EXTENSION_ID = 'provenance-lens.provenance-lens';

interface Manifest {
  readonly version: string;
  readonly contributes: { readonly commands: readonly { readonly command: string }[] };
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext;
}

describe('activation', () => {
  it('is the extension under development, not an installed copy', () => {
    // out/test/host -> the checkout
    assert.equal(extension().extensionPath, resolve(__dirname, '..', '..', '..'));
  });

  it('activates', async () => {
    await extension().activate();
    assert.equal(extension().isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    const contributed = (extension().packageJSON as Manifest).contributes.commands.map((c) => c.command);
    assert.ok(contributed.includes('provenanceLens.showVersion'));
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
  });

  it('Show Version answers with the extension and VS Code versions', async () => {
    const text = await vscode.commands.executeCommand<string>('provenanceLens.showVersion');
    assert.equal(text, `Provenance Lens ${(extension().packageJSON as Manifest).version} (VS Code ${vscode.version})`);
  });
});
