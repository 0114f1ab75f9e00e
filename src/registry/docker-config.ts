import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { throwIfAborted } from '../core/abort';
import { LensError, isLensError } from '../core/errors';
import { secrets } from '../core/redact';
import type { Logger } from '../core/logger';
import type { Credential, CredentialProvider } from './credentials-types';
import { DOCKER_HUB } from './reference';

/**
 * Credentials from Docker's client configuration, the way `docker` finds them
 * (https://docs.docker.com/reference/cli/docker/login/#credential-stores and
 * https://github.com/docker/cli/blob/master/cli/config/configfile/file.go):
 * `credHelpers[host]`, else `credsStore`, else the inline `auths` entry.
 * One deviation: when a helper answers "credentials not found" we still try the inline
 * entry, since the file is the user's own and an old `docker login` may have left it there.
 */
export interface DockerConfigOptions {
  /** The config.json to read; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
  configPath?: string;
  /** Environment for locating the file and for helper processes (their PATH); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** `false` in an untrusted context: never start a `docker-credential-*` program. */
  allowHelpers?: boolean;
  helperTimeoutMs?: number;
  logger?: Logger;
}

/** Docker Hub's key in config.json and the server URL its credential helpers know it by. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';
const HELPER_TIMEOUT_MS = 10_000;
const CONFIG_LIMIT = 4 * 1024 * 1024;
// A helper name becomes part of a program name: refuse anything that could name a path.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

interface ConfigFile {
  auths: Record<string, unknown>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

/** Where Docker keeps its client config for this environment. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  const home = env === process.env ? homedir() : (env.HOME ?? env.USERPROFILE ?? homedir());
  return join(home, '.docker', 'config.json');
}

/**
 * The registry host a config key stands for, as Docker's `ConvertToHostname` reads it:
 * `https://host/anything` -> `host`; Docker Hub's aliases -> `docker.io`.
 */
export function registryHostOfKey(key: string): string {
  const host = key
    .trim()
    .replace(/^https?:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

function credentialsError(message: string, details: Record<string, string | number | undefined> = {}): LensError {
  return new LensError('CREDENTIALS', message, details);
}

function objectOrEmpty(value: unknown, field: string, file: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw credentialsError(`"${field}" in ${file} is not an object. Fix the file or run "docker login" to rewrite it.`, { file });
  }
  return value as Record<string, unknown>;
}

function parseConfig(text: string, file: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the text around the error, which may be a password: keep only the position.
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      where = ` (line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    throw credentialsError(`${file} is not valid JSON${where}. Fix it, or move it away and run "docker login" again.`, { file });
  }
  const root = objectOrEmpty(json, 'the top level', file);
  const credHelpers: Record<string, string> = {};
  for (const [key, name] of Object.entries(objectOrEmpty(root.credHelpers, 'credHelpers', file))) {
    if (typeof name !== 'string') throw credentialsError(`credHelpers["${key}"] in ${file} is not a string.`, { file });
    credHelpers[key] = name;
  }
  const store = root.credsStore;
  if (store !== undefined && typeof store !== 'string') throw credentialsError(`"credsStore" in ${file} is not a string.`, { file });
  const config: ConfigFile = { auths: objectOrEmpty(root.auths, 'auths', file), credHelpers };
  if (store) config.credsStore = store;
  return config;
}

/** The entry for a host: the exact key first (as Docker does), then any key naming the same host. */
function findByHost<T>(map: Record<string, T>, host: string): [key: string, value: T] | undefined {
  const exact = host === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : host;
  if (Object.prototype.hasOwnProperty.call(map, exact)) return [exact, map[exact]!];
  const key = Object.keys(map).find((k) => registryHostOfKey(k) === host);
  return key === undefined ? undefined : [key, map[key]!];
}

function str(entry: Record<string, unknown>, field: string): string {
  const v = entry[field];
  return typeof v === 'string' ? v : '';
}

/** An `auths` entry; precedence as in Docker's registry client: registry token, identity token, password. */
function inlineCredential(entry: unknown, key: string, file: string): Credential | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const [auth, username, password, identityToken, registryToken] = [
    str(e, 'auth'),
    str(e, 'username'),
    str(e, 'password'),
    str(e, 'identitytoken'),
    str(e, 'registrytoken'),
  ];
  for (const secret of [auth, password, identityToken, registryToken]) secrets.add(secret);
  if (registryToken) return { kind: 'registry-token', token: registryToken };
  if (identityToken) return { kind: 'identity-token', token: identityToken };
  if (auth) {
    const compact = auth.replace(/\s+/g, '');
    const decoded = BASE64.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw credentialsError(
        `The "auth" value of auths["${key}"] in ${file} is not base64 of "username:password". Run "docker login ${registryHostOfKey(key)}" again or fix the entry.`,
        { file, registry: registryHostOfKey(key) },
      );
    }
    // Docker trims NULs from the password (cli/config/configfile/file.go decodeAuth).
    const pass = decoded.slice(colon + 1).replace(/^\0+|\0+$/g, '');
    secrets.add(pass);
    return { kind: 'basic', username: decoded.slice(0, colon), password: pass };
  }
  if (username && password) return { kind: 'basic', username, password };
  return undefined;
}

/** What a helper prints for `get` (https://github.com/docker/docker-credential-helpers#development). */
function helperCredential(stdout: string, program: string): Credential | undefined {
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    // The output holds the secret: describe it, never quote it.
    throw credentialsError(
      `${program} answered with something that is not JSON ({"ServerURL","Username","Secret"} expected). Check that it is a Docker credential helper.`,
      { helper: program },
    );
  }
  const username = typeof answer?.Username === 'string' ? answer.Username : '';
  const secret = typeof answer?.Secret === 'string' ? answer.Secret : '';
  secrets.add(secret);
  if (!secret) return undefined;
  // `<token>` is how helpers mark an identity (refresh) token (docker/cli credentials/native_store.go).
  if (username === '<token>') return { kind: 'identity-token', token: secret };
  return { kind: 'basic', username, password: secret };
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return secrets.scrub(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

/** Runs `docker-credential-<name> get` with the server URL on stdin; `undefined` = not stored there. */
function runHelper(
  name: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  file: string,
  signal?: AbortSignal,
): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      ['get'],
      { env, timeout: timeoutMs, signal, maxBuffer: 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) {
          try {
            resolve(helperCredential(stdout, program));
          } catch (e) {
            reject(e);
          }
          return;
        }
        const error = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        if (signal?.aborted) return reject(new LensError('ABORTED', 'The operation was cancelled.'));
        if (error.code === 'ENOENT') {
          return reject(
            credentialsError(
              `${program} is not installed (not found on PATH), but ${file} names it for ${serverUrl}. Install it, or remove "${name}" from credsStore/credHelpers in that file.`,
              { helper: program, file },
            ),
          );
        }
        if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(credentialsError(`${program} printed more than 1 MiB for ${serverUrl}; that is not a credential helper answer.`, { helper: program }));
        }
        if (error.killed) {
          return reject(
            credentialsError(
              `${program} did not answer within ${timeoutMs / 1000} s for ${serverUrl}. It may be waiting for an unlock prompt; unlock the keychain and try again.`,
              { helper: program },
            ),
          );
        }
        const output = `${stdout}\n${stderr}`;
        // docker-credential-helpers' ErrCredentialsNotFound: "credentials not found in native keychain".
        if (/credentials not found/i.test(output)) return resolve(undefined);
        const said = firstLine(stderr) || firstLine(stdout);
        reject(
          credentialsError(
            `${program} failed for ${serverUrl} (exit ${String(error.code ?? 'unknown')})${said ? `: ${said}` : ''}. Run "echo ${serverUrl} | ${program} get" to see why.`,
            { helper: program, exitCode: typeof error.code === 'number' ? error.code : undefined },
          ),
        );
      },
    );
    // A helper that exits without reading stdin must not crash us with EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(serverUrl);
  });
}

/** A CredentialProvider over Docker's config.json and credential helpers; caches per host for its lifetime. */
export class DockerConfigCredentials implements CredentialProvider {
  private readonly file: string;
  private readonly env: NodeJS.ProcessEnv;
  private config: Promise<ConfigFile> | undefined;
  private readonly cache = new Map<string, Promise<Credential | undefined>>();

  constructor(private readonly options: DockerConfigOptions = {}) {
    this.env = options.env ?? process.env;
    this.file = options.configPath ?? dockerConfigPath(this.env);
  }

  get(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    const host = registryHostOfKey(registry);
    let pending = this.cache.get(host);
    if (!pending) {
      pending = this.lookup(host, signal);
      this.cache.set(host, pending);
      // Failures (a locked keychain, a cancelled request) are not remembered: the next call tries again.
      // A shared lookup runs under the first caller's signal; callers of one walk share one signal.
      pending.catch(() => {
        if (this.cache.get(host) === pending) this.cache.delete(host);
      });
    }
    return pending;
  }

  private async lookup(host: string, signal?: AbortSignal): Promise<Credential | undefined> {
    throwIfAborted(signal);
    const config = await this.loadConfig();
    const helper = findByHost(config.credHelpers, host)?.[1] ?? config.credsStore;
    if (helper) {
      if (this.options.allowHelpers === false) {
        this.options.logger?.debug(`Credential helper "${helper}" for ${host} not run: helpers are disabled in this context.`);
      } else {
        if (!HELPER_NAME.test(helper)) {
          throw credentialsError(
            `The credential helper name "${helper}" in ${this.file} is not a plain program name. Fix credsStore/credHelpers in that file.`,
            { file: this.file },
          );
        }
        const serverUrl = host === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : host;
        const timeout = this.options.helperTimeoutMs ?? HELPER_TIMEOUT_MS;
        const found = await runHelper(helper, serverUrl, this.env, timeout, this.file, signal);
        if (found) return found;
      }
    }
    const entry = findByHost(config.auths, host);
    return entry ? inlineCredential(entry[1], entry[0], this.file) : undefined;
  }

  private loadConfig(): Promise<ConfigFile> {
    if (!this.config) {
      this.config = this.readConfig();
      this.config.catch(() => (this.config = undefined));
    }
    return this.config;
  }

  private async readConfig(): Promise<ConfigFile> {
    let text: string;
    try {
      const bytes = await readFile(this.file);
      if (bytes.length > CONFIG_LIMIT)
        throw credentialsError(`${this.file} is larger than ${CONFIG_LIMIT} bytes; that is not a Docker config.`, { file: this.file });
      text = bytes.toString('utf8');
    } catch (e) {
      if (isLensError(e)) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      // No config at the default place simply means anonymous access, as for `docker pull`.
      if (code === 'ENOENT' && this.options.configPath === undefined) return { auths: {}, credHelpers: {} };
      throw credentialsError(`Cannot read the Docker config ${this.file} (${code ?? 'error'}). Check the path and its permissions.`, { file: this.file });
    }
    return parseConfig(text, this.file);
  }
}
