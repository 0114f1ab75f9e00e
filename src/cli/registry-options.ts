import { readFile } from 'node:fs/promises';
import { LensError } from '../core/errors';
import type { Logger } from '../core/logger';
import { scrubbingLogger } from '../core/logger';
import { RegistryClient } from '../registry/client';
import { DockerConfigCredentials } from '../registry/docker-config';
import type { CliIo } from './io';

/** Options every command that talks to a registry shares. */
export const registryOptionSpec = {
  'insecure-registry': { type: 'string', multiple: true },
  'ca-file': { type: 'string', multiple: true },
  'signature-repository': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

export const registryOptionUsage = `  --insecure-registry host:port   talk plain HTTP to this registry (repeatable)
  --ca-file file.pem              trust this CA for registry TLS (repeatable)
  --signature-repository repo     where cosign signatures live, if not beside the image
  -v, --verbose                   log every request (method, URL without secrets, status, time) to stderr
Credentials come from Docker's config ($DOCKER_CONFIG/config.json: auths, credHelpers, credsStore).`;

async function clientFromOptions(values: { 'insecure-registry'?: string[]; 'ca-file'?: string[]; verbose?: boolean }, io: CliIo): Promise<RegistryClient> {
  const ca: string[] = [];
  for (const f of values['ca-file'] ?? []) {
    try {
      ca.push(await readFile(f, 'utf8'));
    } catch (e) {
      throw new LensError('USAGE', `Cannot read the CA file ${f}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
    }
  }
  const logger: Logger = scrubbingLogger(values.verbose ? stderrLogger(io) : { trace() {}, debug() {}, info() {}, warn: (m) => io.stderr.write(`warning: ${m}\n`), error: (m) => io.stderr.write(`error: ${m}\n`) });
  return new RegistryClient({
    insecureRegistries: values['insecure-registry'],
    ca,
    logger,
    credentials: new DockerConfigCredentials({ env: io.env, logger }),
  });
}

/**
 * Runs `work` with a registry client made from the options and a signal that Ctrl-C aborts (so
 * requests in flight stop and the command ends with ABORTED); the client is closed whatever happens.
 */
export async function withRegistryClient<T>(values: Parameters<typeof clientFromOptions>[0], io: CliIo, work: (client: RegistryClient, signal: AbortSignal) => Promise<T>): Promise<T> {
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
