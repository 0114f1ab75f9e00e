import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LensError } from '../core/errors';
import type { Logger } from '../core/logger';
import { scrubbingLogger } from '../core/logger';
import { existingUserCacheDir } from '../core/user-cache-dir';
import { DiskCache, MemoryCache } from '../registry/cache';
import { RegistryClient } from '../registry/client';
import { DockerConfigCredentials } from '../registry/docker-config';
import type { CliIo } from './io';
import type { OptionDocs } from './options';

/** Options every command that talks to a registry shares. */
export const registryOptionSpec = {
  'insecure-registry': { type: 'string', multiple: true, value: 'host:port', help: 'talk plain HTTP to this registry (repeatable)' },
  'ca-file': { type: 'string', multiple: true, value: 'file.pem', help: 'trust this CA for registry TLS (repeatable)' },
  'signature-repository': { type: 'string', value: 'repo', help: 'where cosign signatures live, if not beside the image' },
  'no-cache': {
    type: 'boolean',
    help: 'neither read nor keep manifests and blobs in the user cache ($XDG_CACHE_HOME/provenance-lens/manifests-and-blobs); tags, tag lists and referrers are asked for every run either way',
  },
  verbose: { type: 'boolean', short: 'v', help: 'log every request (method, URL without secrets, status, time) to stderr' },
} as const satisfies OptionDocs;

/**
 * Where the CLI keeps registry content between runs: manifests and blobs by digest, never a tag
 * (src/registry/cache.ts DiskCache), so a second run asks the registry only what can change.
 */
export function contentCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const dir = existingUserCacheDir(env);
  return dir === undefined ? undefined : join(dir, 'manifests-and-blobs');
}

/** Said below the options of every command that talks to a registry. */
export const CREDENTIALS_NOTE = "Credentials come from Docker's config ($DOCKER_CONFIG/config.json: auths, credHelpers, credsStore).";

async function clientFromOptions(
  values: { 'insecure-registry'?: string[]; 'ca-file'?: string[]; 'no-cache'?: boolean; verbose?: boolean },
  io: CliIo,
): Promise<RegistryClient> {
  const ca: string[] = [];
  for (const f of values['ca-file'] ?? []) {
    try {
      ca.push(await readFile(f, 'utf8'));
    } catch (e) {
      throw new LensError('USAGE', `Cannot read the CA file ${f}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    }
  }
  const logger: Logger = scrubbingLogger(
    values.verbose
      ? stderrLogger(io)
      : { trace() {}, debug() {}, info() {}, warn: (m) => io.stderr.write(`warning: ${m}\n`), error: (m) => io.stderr.write(`error: ${m}\n`) },
  );
  return new RegistryClient({
    insecureRegistries: values['insecure-registry'],
    ca,
    logger,
    credentials: new DockerConfigCredentials({ env: io.env, logger }),
    cache: diskCache(values['no-cache'] ? undefined : contentCacheDir(io.env)),
  });
}

const diskCache = (dir: string | undefined) => (dir === undefined ? new MemoryCache() : new DiskCache(dir));

/**
 * Runs `work` with a registry client made from the options and a signal that Ctrl-C aborts (so
 * requests in flight stop and the command ends with ABORTED); the client is closed whatever happens.
 */
export async function withRegistryClient<T>(
  values: Parameters<typeof clientFromOptions>[0],
  io: CliIo,
  work: (client: RegistryClient, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const client = await clientFromOptions(values, io);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await work(client, controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
    await client.close();
  }
}

function stderrLogger(io: CliIo): Logger {
  const w = (level: string) => (m: string) => void io.stderr.write(`[${level}] ${m}\n`);
  return { trace: w('trace'), debug: w('debug'), info: w('info'), warn: w('warn'), error: w('error') };
}
