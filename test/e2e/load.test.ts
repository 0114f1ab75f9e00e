// The extension under load as a test: bench/extension-load.ts's scenario (a
// 40-image, 4-platform signed release in a real registry, the packaged extension in a real VS
// Code), with sane bounds asserted and the rest printed as figures. The registry answers with
// 150 ms added to every request here, so the release is still loading when the editor is used on
// any machine (at 60 ms an idle machine finished the 40 images before "Show Version" ran);
// `npm run bench` runs the same scenario at 25 ms and prints the README's table.
import * as assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { describe, it } from 'node:test';
import { figuresTable, measureExtensionLoad } from '../../bench/extension-load';

describe('a 40-image, 4-platform release in a real VS Code (code-server + Chromium + test registry)', { timeout: 900_000 }, () => {
  it("fills the tree with 40 verdicts, stays responsive while loading, and keeps the extension host's memory bounded", async () => {
    const before = loadavg();
    const f = await measureExtensionLoad({ rttMs: 150, artifact: 'load' });
    console.log(`# load average at the start: ${before.map((x) => x.toFixed(1)).join(' / ')}`);
    for (const line of figuresTable(f).split('\n')) console.log(`# ${line}`);
    const { hover, command } = f;
    assert.ok(hover && command, 'the editor was used while the release loaded');
    console.log(`# hover answered: ${hover.answer}`);
    assert.deepEqual(f.verdicts, { verified: 40 }, 'every image verified under the policy');
    assert.ok(hover.whileLoading, 'the hover was answered while the release was loading');
    // The hover waits at most 1.5 s for a shared load; 5 s leaves room for a busy 2-core CI machine.
    // Measured from the mouse move that got the answer (a try may wait 8 s): a move the busy
    // workbench lost is the browser's, not the extension's, and is printed as tries.
    assert.ok(hover.latencyMs < 5000, `hover answered in ${Math.round(hover.latencyMs)} ms while loading (${hover.attempts} tries)`);
    assert.match(hover.answer, /Reference: \S+\/load\/app-40:v1\.0\.0/);
    assert.ok(command.whileLoading, 'the command ran while the release was loading');
    assert.ok(command.latencyMs < 5000, `Show Version took ${Math.round(command.latencyMs)} ms while loading`);
    assert.ok(f.firstNodeMs < 10_000, `first tree node after ${Math.round(f.firstNodeMs)} ms`);
    assert.ok(f.completeMs < 300_000, `complete tree after ${Math.round(f.completeMs)} ms`);
    assert.ok(f.memory.peakMb - f.memory.beforeMb < 400, `extension host grew by ${Math.round(f.memory.peakMb - f.memory.beforeMb)} MB`);
  });
});
