// One log line per image as it settles: what was read, how long it took, what was concluded.
import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import type { ReleaseService } from '../releases/release-service';

export function logImageLoads(service: ReleaseService, logger: Logger): vscode.Disposable {
  const started = new Map<string, number>();
  const stop = service.onDidChange((e) => {
    if (e.kind !== 'image') return;
    const load = service.peek(e.reference);
    if (load.status === 'loading') {
      started.set(e.reference, performance.now());
      return;
    }
    const since = started.get(e.reference);
    const total = since === undefined ? '' : `, ${Math.round(performance.now() - since)} ms in all`;
    if (load.status === 'failed') {
      started.delete(e.reference);
      logger.warn(`${e.reference}: ${load.failure.code}: ${load.failure.message}`);
    } else if (load.status === 'loaded' && !load.verifying) {
      started.delete(e.reference);
      const verdict = load.verification
        ? `verdict ${load.verification.verdict.state}`
        : load.verificationFailure
          ? `not verified (${load.verificationFailure.code}: ${load.verificationFailure.message})`
          : 'not verified';
      logger.info(
        `${e.reference}: ${load.graph.platforms.length} platform(s), ${load.graph.artifacts.length} artifact(s), ${load.graph.problems.length} problem(s); inspected in ${load.ms} ms${total}; ${verdict}.`,
      );
    }
  });
  return { dispose: stop };
}
