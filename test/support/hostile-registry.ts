// The hostile registry: a real registry (registry.ts) with a release pushed into it, behind the
// fault proxy (fault-proxy.ts) whose `script` faults play the attacks of hostile-answers.ts. Tests
// talk to it only through the real RegistryClient, buildGraph and verifyImage.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { RegistryClient } from '../../src/registry/client';
import type { RegistryClientOptions } from '../../src/registry/client';
import { buildGraph } from '../../src/registry/graph';
import type { GraphOptions } from '../../src/registry/graph';
import type { ImageGraph } from '../../src/model/image-graph';
import type { RegistryLimits } from '../../src/registry/limits';
import { openReference } from '../../src/registry/open';
import { parseReference } from '../../src/registry/reference';
import { startFaultProxy } from './fault-proxy';
import type { FaultProxy, FaultProxyOptions } from './fault-proxy';
import { startRegistry } from './registry';
import type { RegistryOptions, TestRegistry } from './registry';
import { makeTestTls } from './tls';
import type { TestTls } from './tls';

/** Retries in milliseconds; timeouts stay at their defaults unless a test is about them. */
export const FAST: Partial<RegistryLimits> = { retries: 1, backoffBaseMs: 5, backoffMaxMs: 20 };

export interface HostileRegistry {
  readonly reg: TestRegistry;
  readonly proxy: FaultProxy;
  /** The proxy's TLS material when it serves HTTPS (clients trust `tls.caPem` and the registry's CA). */
  readonly tls?: TestTls;
  /** With `realmProxy`: a proxy on 127.0.0.2 in front of the token server, named as the realm in every challenge. */
  readonly realm?: FaultProxy;
  /** A client of the proxy: fresh cache and pool, FAST retries unless `limits` says otherwise. */
  client(limits?: Partial<RegistryLimits>, extra?: Omit<RegistryClientOptions, 'limits'>): RegistryClient;
  stop(): Promise<void>;
}

export interface HostileOptions {
  readonly registry?: RegistryOptions;
  /** Serve the proxy over HTTPS with its own test CA. */
  readonly tls?: boolean;
  readonly proxy?: Omit<FaultProxyOptions, 'upstream' | 'tls' | 'rewriteRealm'>;
  /** Token mode: put a recording (scriptable) proxy in front of the token server. */
  readonly realmProxy?: boolean;
}

export async function startHostileRegistry(opts: HostileOptions = {}): Promise<HostileRegistry> {
  const reg = await startRegistry(opts.registry);
  const dir = opts.tls ? await mkdtemp(join(tmpdir(), 'pl-hostile-tls-')) : undefined;
  // No keep-alive towards the registry: when the client is done, the process holds no socket
  // it did not hold before, so leak checks can compare resources exactly.
  const upstream = new Agent({ pipelining: 0, ...(reg.caPem ? { connect: { ca: reg.caPem } } : {}) });
  try {
    const tls = dir ? await makeTestTls(dir) : undefined;
    const tokenServer = reg.auth.mode === 'token' ? reg.auth.tokenServer : undefined;
    const realm =
      opts.realmProxy && tokenServer
        ? await startFaultProxy({
            upstream: { url: tokenServer.realm.replace(/\/token$/, ''), dispatcher: upstream },
            listenHost: '127.0.0.2',
            otherHost: null,
          })
        : undefined;
    const proxy = await startFaultProxy({
      upstream: { url: reg.url, dispatcher: upstream },
      ...opts.proxy,
      ...(tls ? { tls } : {}),
      ...(realm ? { rewriteRealm: `${realm.url}/token` } : {}),
    });
    return {
      reg,
      proxy,
      ...(tls ? { tls } : {}),
      ...(realm ? { realm } : {}),
      client: (limits = {}, extra = {}) =>
        new RegistryClient({
          // The registry's own CA too: its token server (the realm) is reached directly.
          ...(tls ? { ca: [tls.caPem, ...(reg.caPem ? [reg.caPem] : [])] } : { insecureRegistries: [proxy.host] }),
          ...extra,
          limits: { ...FAST, ...limits },
        }),
      stop: async () => {
        await proxy.close();
        await realm?.close();
        await upstream.close();
        await reg.stop();
        if (dir) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await upstream.close();
    await reg.stop();
    throw e;
  }
}

/** buildGraph of `ref` through `client`; the client is closed and the proxy settled afterwards. */
export async function walk(h: HostileRegistry, client: RegistryClient, ref: string, options: GraphOptions = {}): Promise<ImageGraph> {
  try {
    const { source, target } = openReference(parseReference(ref), client);
    return await buildGraph(source, target, options);
  } finally {
    await client.close();
    await h.proxy.settled();
  }
}

/** Milliseconds `p` takes to settle, and how it settled. */
export async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}
