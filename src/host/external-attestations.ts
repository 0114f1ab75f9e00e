// Attestations the editor adds to an image from outside its registry, through the same path as
// `verify --bundle` and `--github-attestations` (src/attestations): bundle files the user chose
// ("Add Attestation File…", kept with the workspace and read again at every load), and GitHub's
// attestations API for images whose owner or repository is known, read with VS Code's GitHub account. The account is asked for
// quietly (`createIfNone: false`: no prompt, a sign-in request in the Accounts menu at most) while
// images load, and with a prompt only when the user runs "Fetch Attestations from GitHub". Its
// token is registered as a secret before any use, so the scrubbing logger and error paths never
// show it; it is sent to the API's origin only (github-api.ts).
import type * as vscode from 'vscode';
import type { AttestationCache, ExternalBundle, WithImageAttestations } from '../attestations';
import { LensError, describeError } from '../core/errors';
import { secrets } from '../core/redact';
import type { ImageGraph } from '../model/image-graph';
import type { Transport } from '../registry/transport';
import type { GithubAttestationScope } from '../verify/policy';
import type { AttestationFileStore } from './state';

/** VS Code's GitHub authentication provider (the built-in GitHub Authentication extension). */
export const GITHUB_PROVIDER = 'github';
/** GitHub's attestations API reads a private repository's attestations with the `repo` scope (https://docs.github.com/en/rest/repos/attestations). */
export const GITHUB_SCOPES: readonly string[] = ['repo'];
/** How a refusal names the token (github-api.ts). */
export const TOKEN_SOURCE = 'your VS Code GitHub account';

export interface ExternalAttestationOptions {
  /** `vscode.authentication`, or a stand-in in tests. */
  readonly authentication: Pick<typeof vscode.authentication, 'getSession'>;
  readonly transport: () => Promise<Transport>;
  /** Whose attestations to ask GitHub for, for an image (settings, else the policy; Verifier.githubScope). */
  readonly scope: (reference: string) => Promise<GithubAttestationScope | undefined>;
  /** `provenanceLens.github.fetchAttestations`: ask GitHub for every image whose owner or repository is known. */
  readonly fetchAlways: () => boolean;
  /** GITHUB_API_URL, as in Actions (GitHub Enterprise Server, or a test server). */
  readonly apiUrl?: string;
  readonly log: { info(message: string): void; warn(message: string): void };
  /** Where the added files are kept (the workspace's state); default this object's memory. */
  readonly files?: AttestationFileStore;
}

class MemoryFiles implements AttestationFileStore {
  private files: Readonly<Record<string, readonly string[]>> = {};
  read(): Readonly<Record<string, readonly string[]>> {
    return this.files;
  }
  write(files: Readonly<Record<string, readonly string[]>>): Promise<void> {
    this.files = { ...files };
    return Promise.resolve();
  }
}

export class ExternalAttestations {
  private readonly files: AttestationFileStore;
  private readonly asked = new Set<string>();
  private readonly bundles = new WeakMap<ImageGraph, ReadonlyMap<string, Uint8Array>>();
  private cache: AttestationCache | undefined;

  constructor(private readonly options: ExternalAttestationOptions) {
    this.files = options.files ?? new MemoryFiles();
  }

  /** The bundle files added to `reference`, in the order added. */
  filesOf(reference: string): readonly string[] {
    return this.files.read()[reference] ?? [];
  }

  /** Reads the files now (a bad one is a USAGE error naming it and its line) and adds them to the image. */
  async addFiles(reference: string, paths: readonly string[]): Promise<ExternalBundle[]> {
    const { readBundleFile } = await import('../attestations/index.js');
    const read: ExternalBundle[] = [];
    for (const path of paths) read.push(...(await readBundleFile(path)));
    await this.files.write({ ...this.files.read(), [reference]: [...new Set([...this.filesOf(reference), ...paths])] });
    return read;
  }

  /** Forgets the files added to `reference`; returns them. */
  async removeFiles(reference: string): Promise<readonly string[]> {
    const had = this.filesOf(reference);
    const { [reference]: _gone, ...rest } = this.files.read();
    await this.files.write(rest);
    return had;
  }

  /** Whose attestations GitHub's API is asked for, for this image (settings, else the policy). */
  scopeOf(reference: string): Promise<GithubAttestationScope | undefined> {
    return this.options.scope(reference);
  }

  /** Whether any image's loads ask GitHub's API (the setting, or the command for one image). */
  wantsGithub(): boolean {
    return this.asked.size > 0 || this.options.fetchAlways();
  }

  /** From now on `reference`'s loads ask GitHub's API; answers kept before are asked for again. */
  fetchFromGithub(reference: string): void {
    this.asked.add(reference);
    this.cache = undefined;
  }

  /**
   * VS Code's GitHub session's token, registered as a secret; undefined when there is none and
   * `prompt` is false. With `prompt`, VS Code asks the user to sign in (or to allow the scope).
   */
  async token(prompt: boolean): Promise<string | undefined> {
    const session = await this.options.authentication.getSession(
      GITHUB_PROVIDER,
      [...GITHUB_SCOPES],
      prompt ? { createIfNone: true } : { createIfNone: false },
    );
    if (session === undefined) return undefined;
    secrets.add(session.accessToken);
    return session.accessToken;
  }

  /** The bytes of the added artifacts of a graph `attach` returned, by artifact digest. */
  bundlesOf(graph: ImageGraph): ReadonlyMap<string, Uint8Array> | undefined {
    return this.bundles.get(graph);
  }

  /**
   * The graph with the image's added files and, when asked for, GitHub's attestations; what GitHub
   * could not give is a problem at the image's digest (its attestations there were not read, so
   * they count as not checked, never as absent). A file that cannot be read fails the load.
   */
  async attach(graph: ImageGraph, signal: AbortSignal): Promise<ImageGraph> {
    const reference = graph.reference;
    const paths = this.filesOf(reference);
    const wantsGithub = this.asked.has(reference) || this.options.fetchAlways();
    if (paths.length === 0 && !wantsGithub) return graph;
    const attestations = await import('../attestations/index.js');
    const files: ExternalBundle[] = [];
    for (const path of paths) files.push(...(await attestations.readBundleFile(path)));
    const problems: ImageGraph['problems'] = [];
    let github: Parameters<typeof attestations.addImageAttestations>[1]['github'];
    if (wantsGithub) {
      const asked = await this.githubSource(reference, problems, graph.digest);
      if (asked !== undefined) {
        this.cache ??= new attestations.MemoryAttestationCache();
        github = { ...asked, cache: this.cache };
      }
    }
    let added: WithImageAttestations;
    try {
      added = await attestations.addImageAttestations(graph, { files, ...(github ? { github } : {}) }, signal);
    } catch (e) {
      if (signal.aborted || github === undefined) throw e;
      // GitHub refused or failed: the files still count; what GitHub holds was not read.
      problems.push(problemOf(graph.digest, e));
      added = await attestations.addImageAttestations(graph, { files }, signal);
    }
    for (const note of added.notes) this.options.log.info(`${reference}: ${note}`);
    const out: ImageGraph = problems.length > 0 ? { ...added.graph, problems: [...added.graph.problems, ...problems] } : added.graph;
    if (added.bundles !== undefined) this.bundles.set(out, added.bundles);
    return out;
  }

  /** What GitHub's API is asked with, or undefined (and why, in the log or as a problem) when it is not asked. */
  private async githubSource(
    reference: string,
    problems: ImageGraph['problems'],
    digest: string,
  ): Promise<{ transport: Transport; token: string; tokenSource: string; owner: string; repository?: string; baseUrl?: string } | undefined> {
    const scope = await this.options.scope(reference);
    if (scope === undefined) {
      // As gh: the API is asked under an owner or repository someone named, never a guess.
      this.options.log.info(
        `${reference}: GitHub's attestations were not asked for: no owner or repository is known for it (set provenanceLens.github.owner or .repo, or name them in the policy's github: block).`,
      );
      return undefined;
    }
    const token = await this.token(false);
    if (token === undefined) {
      problems.push({
        at: digest,
        code: 'UNAUTHORIZED',
        message: `GitHub's attestations for ${scope.repository ?? scope.owner} were not read: VS Code is not signed in to GitHub. Run "Provenance Lens: Fetch Attestations from GitHub" to sign in.`,
      });
      return undefined;
    }
    return {
      transport: await this.options.transport(),
      token,
      tokenSource: TOKEN_SOURCE,
      owner: scope.owner,
      ...(scope.repository !== undefined ? { repository: scope.repository } : {}),
      ...(this.options.apiUrl ? { baseUrl: this.options.apiUrl } : {}),
    };
  }
}

function problemOf(digest: string, e: unknown): ImageGraph['problems'][number] {
  const code = e instanceof LensError ? e.code : 'NETWORK';
  return { at: digest, code, message: secrets.scrub(`GitHub's attestations were not read: ${describeError(e)}`) };
}
