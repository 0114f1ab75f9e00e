// "Sign In to Registry" / "Sign Out of Registry": credentials go to SecretStorage (the OS
// keychain), never to settings, and are registered with the log scrubber the moment they exist.
import * as vscode from 'vscode';
import { parseRegistryReference } from '../registry/reference';
import type { LensServices } from './context';
import { isTreeNode } from './targets';

/** What these commands use of the services (src/commands/context.ts). */
export type SignInDeps = Pick<LensServices, 'engines' | 'log' | 'secrets' | 'service'>;

function registryError(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'A registry host, e.g. ghcr.io or 127.0.0.1:5000';
  try {
    const ref = parseRegistryReference(`${v}/x`);
    return ref.registry === v ? undefined : `"${v}" is not a registry host (e.g. ghcr.io, registry.example.com:5000).`;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/"[^"]*\/x"/, `"${v}"`) : String(e);
  }
}

/** Registries the view knows: those that asked for a sign-in first, then every other. */
function knownRegistries(s: SignInDeps): string[] {
  const wanting = new Set<string>();
  const all = new Set<string>();
  for (const r of s.service.releases) {
    for (const i of r.images) {
      if (i.reference === null) continue;
      const load = s.service.peek(i.reference);
      const registry = i.reference.split('/')[0]!;
      if (load.status === 'failed' && load.failure.code === 'UNAUTHORIZED') wanting.add(load.failure.registry ?? registry);
      else all.add(registry);
    }
  }
  return [...wanting, ...[...all].filter((r) => !wanting.has(r))];
}

/** A registry host typed in, checked as it is typed. */
function typeRegistry(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Sign In to Registry',
    prompt: 'Registry host',
    placeHolder: 'ghcr.io',
    ignoreFocusOut: true,
    validateInput: registryError,
  });
}

async function askRegistry(s: SignInDeps): Promise<string | undefined> {
  const known = knownRegistries(s);
  if (known.length === 0) return typeRegistry();
  const pick = await vscode.window.showQuickPick([...known.map((r) => ({ label: r })), { label: 'Another registry…' }], {
    title: 'Sign In to Registry',
    placeHolder: 'Which registry?',
  });
  if (!pick) return undefined;
  if (pick.label !== 'Another registry…') return pick.label;
  return typeRegistry();
}

export async function signIn(s: SignInDeps, arg?: unknown): Promise<string | undefined> {
  let registry = typeof arg === 'string' ? arg : isTreeNode(arg) && arg.kind === 'failure' ? arg.failure.registry : undefined;
  registry ??= await askRegistry(s);
  if (!registry) return undefined;
  registry = registry.trim();
  const invalid = registryError(registry);
  if (invalid) {
    void vscode.window.showErrorMessage(invalid);
    return undefined;
  }
  const username = await vscode.window.showInputBox({
    title: `Sign in to ${registry} (1/2)`,
    prompt: 'User name',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The user name is empty.'),
  });
  if (username === undefined) return undefined;
  const password = await vscode.window.showInputBox({
    title: `Sign in to ${registry} (2/2)`,
    prompt: `Password or access token for ${username.trim()}`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : 'The password is empty.'),
  });
  if (password === undefined) return undefined;
  await s.secrets.set(registry, { kind: 'basic', username: username.trim(), password });
  s.log.logger.info(`Stored credentials for ${registry} (user ${username.trim()}) in VS Code's secret storage.`);
  s.engines.reset();
  s.service.refreshRegistry(registry);
  void vscode.window.showInformationMessage(`Signed in to ${registry}. The credentials are kept in VS Code's secret storage, not in settings.`);
  return registry;
}

export async function signOut(s: SignInDeps, arg?: unknown): Promise<string | undefined> {
  const stored = s.secrets.registries();
  let registry = typeof arg === 'string' ? arg : undefined;
  if (!registry) {
    if (stored.length === 0) {
      void vscode.window.showInformationMessage("You have not signed in to any registry with Provenance Lens (Docker's own logins are not changed here).");
      return undefined;
    }
    registry = (await vscode.window.showQuickPick(stored, { title: 'Sign out of registry', placeHolder: 'Forget the credentials stored for…' })) ?? undefined;
  }
  if (!registry) return undefined;
  await s.secrets.delete(registry);
  s.engines.reset();
  s.service.refreshRegistry(registry);
  void vscode.window.showInformationMessage(`Signed out of ${registry}.`);
  return registry;
}
