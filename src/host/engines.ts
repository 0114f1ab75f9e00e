// The engines, loaded on first use: activation only wires commands and views; the registry
// client (undici), the graph walker, sigstore and the provenance reader are imported when the
// first image is inspected. Settings or a sign-in change reset the client (the next call builds
// a new one with the new options and credentials).
import type * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { RegistryClient } from '../registry/client';
import type { CredentialProvider } from '../registry/credentials-types';
import type { ImageGraph, PlatformEntry } from '../model/image-graph';
import type { ContentSource, TagList } from '../registry/source';
import type { Transport } from '../registry/transport';
import type { ProvenanceReport } from '../provenance/collect';
import type { openReference } from '../registry/open';
import type { buildGraph } from '../registry/graph';
import type { parseReference } from '../registry/reference';
import type { LensSettings } from './config';
import type { HostLog } from './log';

export interface EngineOptions {
  readonly settings: () => LensSettings;
  /** SecretStorage first, then Docker's config with `docker()`'s rules. */
  readonly credentials: (docker: () => Promise<CredentialProvider>) => CredentialProvider;
  readonly trusted: () => boolean;
  readonly log: HostLog;
  readonly userAgent: string;
  /** Where manifests and blobs are kept by digest between sessions (the extension's global storage). */
  readonly contentCacheDir: string;
}

interface Loaded {
  readonly client: RegistryClient;
  readonly registry: { openReference: typeof openReference; buildGraph: typeof buildGraph; parseReference: typeof parseReference };
}

export class Engines implements vscode.Disposable {
  private current: Promise<Loaded> | undefined;
  private readonly retired = new Set<RegistryClient>();
  /** The turn each graph was inspected at, for the requests of its verification. */
  private readonly priorities = new WeakMap<ImageGraph, number>();

  constructor(private readonly options: EngineOptions) {}

  /**
   * The supply-chain graph of one image (docs/inspect-json.md). `priority`: its turn among the
   * registry's requests (a release's images in the order they started); its verification reads
   * at the same turn (source()).
   */
  async inspect(reference: string, signal: AbortSignal, priority?: number): Promise<ImageGraph> {
    const { client, registry } = await this.loaded();
    const { source, target } = registry.openReference(registry.parseReference(reference), client, priority);
    const graph = await registry.buildGraph(source, target, { signal });
    if (priority !== undefined) this.priorities.set(graph, priority);
    return graph;
  }

  /** Every tag of the reference's repository. */
  async listTags(reference: string, signal: AbortSignal): Promise<TagList> {
    const { client, registry } = await this.loaded();
    const { source, target } = registry.openReference(registry.parseReference(reference), client);
    return source.listTags(target.repository, { signal });
  }

  /**
   * The provenance of the given platforms (default all), read and normalised, not verified.
   * `externalBundles`: the bytes of the graph's artifacts from outside the registry, by digest.
   */
  async provenance(
    graph: ImageGraph,
    platforms: readonly PlatformEntry[] | undefined,
    signal: AbortSignal,
    externalBundles?: ReadonlyMap<string, Uint8Array>,
  ): Promise<ProvenanceReport> {
    const { client, registry } = await this.loaded();
    const { collectProvenance } = await import('../provenance/collect.js');
    const { source } = registry.openReference(registry.parseReference(graph.reference), client);
    return collectProvenance(source, graph, { signal, ...(platforms ? { platforms } : {}), ...(externalBundles ? { externalBundles } : {}) });
  }

  /** The client's HTTP stack (undici, retries, bounded bodies), for GitHub's attestations API. */
  async transport(): Promise<Transport> {
    return (await this.loaded()).client.http;
  }

  /** The content source of an inspected image (for the verifier), at the turn of its inspection. */
  async source(graph: ImageGraph): Promise<ContentSource> {
    const { client, registry } = await this.loaded();
    return registry.openReference(registry.parseReference(graph.reference), client, this.priorities.get(graph)).source;
  }

  /** Drops the client; the next request builds one from the current settings and credentials. */
  reset(): void {
    const old = this.current;
    this.current = undefined;
    // In-flight requests finish on the old client; it closes once they are done.
    void old
      ?.then(({ client }) => {
        this.retired.add(client);
        return client.close().finally(() => this.retired.delete(client));
      })
      .catch(() => undefined);
  }

  dispose(): void {
    this.reset();
  }

  private loaded(): Promise<Loaded> {
    if (!this.current) {
      this.current = this.build();
      this.current.catch(() => (this.current = undefined));
    }
    return this.current;
  }

  private async build(): Promise<Loaded> {
    const [clientModule, cacheModule, dockerModule, open, graph, reference] = await Promise.all([
      import('../registry/client.js'),
      import('../registry/cache.js'),
      import('../registry/docker-config.js'),
      import('../registry/open.js'),
      import('../registry/graph.js'),
      import('../registry/reference.js'),
    ]);
    const settings = this.options.settings();
    const { log } = this.options;
    const ca: string[] = [];
    for (const file of settings.caFiles) {
      try {
        ca.push(await readFile(file, 'utf8'));
      } catch (e) {
        log.logger.warn(`The CA file ${file} (provenanceLens.caFiles) cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
      }
    }
    let docker: CredentialProvider | undefined;
    const dockerProvider = async (): Promise<CredentialProvider> => {
      if (!docker) {
        docker = new dockerModule.DockerConfigCredentials({
          allowHelpers: this.options.trusted(),
          logger: log.logger,
          ...(settings.dockerConfig ? { configPath: settings.dockerConfig } : {}),
        });
      }
      return docker;
    };
    const client = new clientModule.RegistryClient({
      credentials: this.options.credentials(dockerProvider),
      insecureRegistries: [...settings.insecureRegistries],
      ca,
      limits: { concurrencyPerHost: settings.concurrency },
      cache: new cacheModule.DiskCache(this.options.contentCacheDir, { memoryBytes: settings.cacheSizeMb * 1024 * 1024 }),
      logger: log.logger,
      onExchange: (e) => log.exchange(e),
      userAgent: this.options.userAgent,
    });
    log.logger.info(
      `Registry client ready (${settings.concurrency} requests per registry, ${settings.cacheSizeMb} MB memory cache in front of ${this.options.contentCacheDir}${settings.insecureRegistries.length ? `, plain HTTP for ${settings.insecureRegistries.join(', ')}` : ''}).`,
    );
    return { client, registry: { openReference: open.openReference, buildGraph: graph.buildGraph, parseReference: reference.parseReference } };
  }
}
