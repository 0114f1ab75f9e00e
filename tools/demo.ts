// The main job (`npm run demo`, README): a local registry seeded with the demo release
// (demo-release.ts), a mini Sigstore whose trusted root the extension is given, a demo workspace
// whose .goreleaser.yaml points at that registry (demo-workspace.ts), and code-server with the
// packaged extension installed (demo-code-server.ts). Prints the URL to open; Ctrl-C (SIGINT or
// SIGTERM) stops everything it started and removes its scratch folder.
// DEMO_PORT chooses code-server's port; everything binds 127.0.0.1 only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../test/support/registry';
import type { TestRegistry } from '../test/support/registry';
import { createMiniSigstore } from '../test/support/sigstore/mini-sigstore';
import type { MiniSigstore } from '../test/support/sigstore/mini-sigstore';
import { QUIET_WORKBENCH, codeServerEntry } from '../test/e2e/support/code-server-process';
import { packageExtension } from '../test/e2e/support/vsix';
import { startDemoCodeServer } from './demo-code-server';
import type { DemoCodeServer } from './demo-code-server';
import { DEMO_TAG, UNSIGNED_PLATFORM, WRONG_REPOSITORY, pushDemoRelease } from './demo-release';
import { writeDemoWorkspace } from './demo-workspace';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

class Stopped extends Error {}

function demoPort(): number | undefined {
  const raw = process.env.DEMO_PORT?.trim();
  if (!raw) return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`DEMO_PORT must be a port number (1-65535), got ${JSON.stringify(raw)}.`);
  return port;
}

/** `http://127.0.0.1:PORT/?folder=/abs/path`, the path readable (slashes kept). */
function workbenchUrl(base: string, folder: string): string {
  return `${base}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<number> {
  const started = Date.now();
  const port = demoPort();
  const scratch = mkdtempSync(join(tmpdir(), 'provenance-lens-demo-'));
  let registry: TestRegistry | undefined;
  let sigstore: MiniSigstore | undefined;
  let server: DemoCodeServer | undefined;

  // A signal during start-up is honoured after the step in progress. The same Ctrl-C often
  // arrives twice (from the terminal, and forwarded by npm and scripts/demo.mjs): a repeat is
  // ignored, unless it comes more than two seconds later, when it stops at once.
  let stopRequested: NodeJS.Signals | undefined;
  let stopRequestedAt = 0;
  let wake: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      if (Date.now() - stopRequestedAt < 2000) return;
      try {
        if (server) process.kill(-server.pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      rmSync(scratch, { recursive: true, force: true });
      process.exit(130);
    }
    stopRequested = signal;
    stopRequestedAt = Date.now();
    wake();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const checkpoint = (): void => {
    if (stopRequested) throw new Stopped();
  };

  try {
    say('Provenance Lens demo: starting a local registry, a test Sigstore and code-server…');
    const entry = codeServerEntry(true);
    checkpoint();
    // Side by side; whatever started is stopped below even when another part failed.
    const [r, s, v] = await Promise.allSettled([startRegistry(), createMiniSigstore(), packageExtension(scratch)]);
    if (r.status === 'fulfilled') registry = r.value;
    if (s.status === 'fulfilled') sigstore = s.value;
    if (r.status === 'rejected') throw r.reason;
    if (s.status === 'rejected') throw s.reason;
    if (v.status === 'rejected') throw v.reason;
    const vsix = v.value;
    checkpoint();
    const release = await pushDemoRelease(r.value, s.value);
    const trustedRoot = await s.value.writeTrustedRoot(scratch);
    const workspace = join(scratch, 'fleet');
    writeDemoWorkspace(workspace, { registryHost: r.value.host });
    checkpoint();
    server = await startDemoCodeServer({
      entry,
      vsix,
      dir: scratch,
      ...(port !== undefined ? { port } : {}),
      settings: {
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.startupEditor': 'readme',
        ...QUIET_WORKBENCH,
        'security.workspace.trust.enabled': false,
        // Machine-scoped: a workspace cannot set whom to trust, so it is a user setting.
        'provenanceLens.trustedRoot': trustedRoot,
      },
    });
    checkpoint();
    const url = workbenchUrl(server.url, workspace);
    say('');
    say(`Open ${url}`);
    say('');
    say(
      `What to look at: the Provenance Lens view (activity bar), release fleet ${DEMO_TAG}: rancher/fleet fails because ${UNSIGNED_PLATFORM} has no signature; ` +
        `rancher/fleet-agent fails because ${WRONG_REPOSITORY}'s workflow signed it, not rancher/fleet's release workflow that .provenance-lens.yaml pins. ` +
        'Expand an image for its platforms, signatures and attestations.',
    );
    say(`Registry ${r.value.url} (${release.fleet.reference}, ${release.agent.reference}); workspace ${workspace}.`);
    say(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop.`);
    const crashed = server.exited.then(() => 'crashed' as const);
    const why = await Promise.race([stopSignal.then(() => 'signal' as const), crashed]);
    if (why === 'crashed') {
      process.stderr.write(`code-server exited on its own:\n${server.logs().split('\n').slice(-20).join('\n')}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof Stopped) return 0;
    throw e;
  } finally {
    if (stopRequested) say(`\n${stopRequested}: stopping the demo…`);
    await server?.stop();
    await registry?.stop();
    await sigstore?.dispose();
    rmSync(scratch, { recursive: true, force: true });
    if (stopRequested) say('Stopped: code-server, the registry and the scratch folder are gone.');
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
