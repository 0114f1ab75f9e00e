// Runs inside the real extension host for test/e2e/webview.test.ts (named as the workbench's
// extensionTestsPath, like test/host/index.ts): opens image panels through the in-host API with
// the fixtures of test/support/panel-fixtures.ts, and reports what the host sees (messages,
// refused requests, links it was asked to open, clipboard writes) so the browser side can check
// the page against the host. Driven through files in $PROVENANCE_LENS_PANEL_SCENARIO:
// the test writes requests/<n>.json, this appends to events.jsonl, until a `finish` request.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LensError } from '../../../src/core/errors';
import { showImagePanel } from '../../../src/panel/image-panel';
import type { ImagePanel } from '../../../src/panel/image-panel';
import { hostileImage, panelImage } from '../../support/panel-fixtures';
import type { PanelFixture } from '../../support/panel-fixtures';
import { SCENARIO_ENV } from './webview-scenario-types';
import type { ScenarioEvent, ScenarioRequest } from './webview-scenario-types';

const FIXTURES: Record<'nice' | 'hostile' | 'unauthorized', () => PanelFixture> = { nice: panelImage, hostile: hostileImage, unauthorized: panelImage };
const UNAUTHORIZED = new LensError('UNAUTHORIZED', 'The registry 127.0.0.1:5000 asks for credentials. Run "Provenance Lens: Sign in to registry".');

export async function run(): Promise<void> {
  const dir = process.env[SCENARIO_ENV];
  if (!dir) throw new Error(`${SCENARIO_ENV} is not set`);
  mkdirSync(join(dir, 'requests'), { recursive: true });
  const emit = (e: ScenarioEvent): void => appendFileSync(join(dir, 'events.jsonl'), `${JSON.stringify({ ...e, at: Date.now() })}\n`);
  const ext = vscode.extensions.getExtension('provenance-lens.provenance-lens');
  if (!ext) throw new Error('the extension under development is not loaded');
  const context = { extensionUri: ext.extensionUri, subscriptions: [] as vscode.Disposable[] };
  const panels: ImagePanel[] = [];
  emit({ kind: 'started' });

  const open = (fixture: 'nice' | 'hostile' | 'unauthorized'): void => {
    const f = FIXTURES[fixture]();
    const reference = fixture === 'unauthorized' ? '127.0.0.1:5000/rancher/private-agent:v1' : f.graph.reference;
    const panel = showImagePanel(context, reference, {
      load: async () => {
        if (fixture === 'unauthorized') throw UNAUTHORIZED;
        return f;
      },
      openExternal: async (uri) => {
        emit({ kind: 'openExternal', url: uri.toString(true), encoded: uri.toString() });
        return true;
      },
      writeClipboard: async (text) => {
        emit({ kind: 'clipboard', length: text.length, head: text.slice(0, 200), tail: text.slice(-200) });
      },
    });
    panel.onDidReceiveMessage((m) =>
      emit({
        kind: 'received',
        fixture,
        type: m.type,
        ...(m.type === 'openLink' ? { url: m.url } : {}),
        ...(m.type === 'copy' ? { label: m.label, length: m.text.length } : {}),
      }),
    );
    panel.onDidPostMessage((m) => emit({ kind: 'posted', fixture, type: m.type }));
    panel.onDidRefuseMessage((r) => emit({ kind: 'refused', fixture, reason: r.reason }));
    panels.push(panel);
    emit({ kind: 'opened', fixture, reference });
  };

  const done = new Set<string>();
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const pending = readdirSync(join(dir, 'requests'))
      .filter((f) => f.endsWith('.json') && !done.has(f))
      .sort();
    for (const file of pending) {
      done.add(file);
      const request = JSON.parse(readFileSync(join(dir, 'requests', file), 'utf8')) as ScenarioRequest;
      try {
        if (request.action === 'finish') {
          panels.forEach((p) => p.dispose());
          emit({ kind: 'done', id: request.id });
          return;
        }
        open(request.fixture);
        emit({ kind: 'done', id: request.id });
      } catch (e) {
        emit({ kind: 'failed', id: request.id, error: e instanceof Error ? e.stack : String(e) });
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!existsSync(dir)) return;
  throw new Error('the webview scenario was not finished in 10 minutes');
}
