// How long the editor waits on us: each hover is timed from the provider's call to its answer
// (the editor's hover delay is not ours) and logged at trace level, where the editor-latency
// benchmark (bench/editor-latency.ts) reads it; nobody else sees it unless they ask for trace.
import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';

/** The same hover provider, each answer timed in the log: `Hover answered in 1.2 ms (an answer).` */
export function timedHover(provider: vscode.HoverProvider, logger: Pick<Logger, 'trace'>): vscode.HoverProvider {
  return {
    async provideHover(document, position, token) {
      const started = performance.now();
      const answer = await provider.provideHover(document, position, token);
      logger.trace(`Hover answered in ${(performance.now() - started).toFixed(1)} ms (${answer ? 'an answer' : 'nothing to say'}).`);
      return answer;
    },
  };
}
