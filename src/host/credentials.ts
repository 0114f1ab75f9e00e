// Registry credentials for the extension: what the user entered with "Sign In to Registry",
// kept in VS Code's SecretStorage (the OS keychain), never in settings; then Docker's own
// config. Docker credential helpers are programs, so they run only in a trusted workspace.
import type * as vscode from 'vscode';
import { secrets } from '../core/redact';
import type { Logger } from '../core/logger';
import type { Credential, CredentialProvider } from '../registry/credentials-types';

const KEY_PREFIX = 'provenanceLens.registry/';
const INDEX_KEY = 'provenanceLens.registries';

function isCredential(v: unknown): v is Credential {
  if (!v || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  if (c.kind === 'basic') return typeof c.username === 'string' && typeof c.password === 'string';
  return (c.kind === 'identity-token' || c.kind === 'registry-token') && typeof c.token === 'string';
}

function remember(c: Credential): void {
  // Known to the scrubber from now on: no log line or error can carry it.
  secrets.add(c.kind === 'basic' ? c.password : c.token);
  if (c.kind === 'basic') secrets.add(Buffer.from(`${c.username}:${c.password}`).toString('base64'));
}

/** Credentials stored per registry host in SecretStorage. */
export class RegistrySecrets {
  constructor(
    private readonly storage: vscode.SecretStorage,
    private readonly memento: vscode.Memento,
  ) {}

  async get(registry: string): Promise<Credential | undefined> {
    const raw = await this.storage.get(KEY_PREFIX + registry);
    if (!raw) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!isCredential(parsed)) return undefined;
      remember(parsed);
      return parsed;
    } catch {
      return undefined;
    }
  }

  async set(registry: string, credential: Credential): Promise<void> {
    remember(credential);
    await this.storage.store(KEY_PREFIX + registry, JSON.stringify(credential));
    // The registries signed in to (names only), so "Sign out" can offer them.
    const known = new Set(this.registries());
    known.add(registry);
    await this.memento.update(INDEX_KEY, [...known].sort());
  }

  async delete(registry: string): Promise<void> {
    await this.storage.delete(KEY_PREFIX + registry);
    await this.memento.update(
      INDEX_KEY,
      this.registries().filter((r) => r !== registry),
    );
  }

  registries(): string[] {
    const v = this.memento.get<unknown>(INDEX_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

/** SecretStorage first, then Docker's config (a provider built with helpers allowed only when trusted). */
export class HostCredentials implements CredentialProvider {
  constructor(
    private readonly stored: RegistrySecrets,
    private readonly docker: () => Promise<CredentialProvider>,
    private readonly logger: Logger,
  ) {}

  async get(registry: string, signal?: AbortSignal): Promise<Credential | undefined> {
    const own = await this.stored.get(registry);
    if (own) {
      this.logger.debug(`Using the credentials stored for ${registry} (Sign In to Registry).`);
      return own;
    }
    return (await this.docker()).get(registry, signal);
  }
}
