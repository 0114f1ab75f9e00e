// dist/extension.js, what VS Code loads: small on purpose. It loads the extension itself,
// dist/extension-main.js (src/extension.ts), through a V8 code cache in the extension's global
// storage (src/core/code-cache.ts): VS Code counts loading the code in the activation, and
// compiling the whole bundle was most of it (bench/editor-latency.ts). The cache is written a
// while after activation, so the functions the first minutes compiled are in it.
import type * as vscode from 'vscode';
import { join } from 'node:path';
import { loadThroughCodeCache } from './core/code-cache';

/**
 * Written this long after activation, or when the extension is deactivated if that comes first:
 * what activation compiled is in it (that is what the next activation needs), and writing it is
 * kept off the activation itself.
 */
export const SAVE_AFTER_MS = 3000;

interface Main {
  /** `boot`: when loading began and how the code cache went, for the activation's log line (src/extension.ts). */
  activate(context: vscode.ExtensionContext, boot: { started: number; cpu: NodeJS.CpuUsage; codeCache: string }): unknown;
  deactivate(): void;
}

let main: Main | undefined;
let save: (() => void) | undefined;

export function activate(context: vscode.ExtensionContext): unknown {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const loaded = loadThroughCodeCache(join(__dirname, 'extension-main.js'), join(context.globalStorageUri.fsPath, 'v8-code'));
  main = loaded.exports as Main;
  const api = main.activate(context, { started, cpu, codeCache: loaded.off ? `off, ${loaded.off}` : loaded.cache });
  if (loaded.cache !== 'hit' && loaded.cache !== 'off') {
    const timer = setTimeout(() => loaded.save(), SAVE_AFTER_MS);
    timer.unref();
    save = () => {
      clearTimeout(timer);
      loaded.save();
    };
  }
  return api;
}

export function deactivate(): void {
  save?.();
  main?.deactivate();
}
