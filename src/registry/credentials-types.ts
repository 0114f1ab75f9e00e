/**
 * Registry credentials as Docker's config and credential helpers provide them
 * (https://github.com/docker/cli/blob/master/docs/reference/commandline/login.md#credential-stores).
 */
export type Credential =
  /** Username and password (Basic, or exchanged for a Bearer token). */
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (`identitytoken`, or a helper answering Username `<token>`). */
  | { kind: 'identity-token'; token: string }
  /** A bearer token to send as is (`registrytoken`). */
  | { kind: 'registry-token'; token: string };

/** Looks up the credential for a registry host (`docker.io`, `localhost:5000`); `undefined` = anonymous. */
export interface CredentialProvider {
  get(registry: string, signal?: AbortSignal): Promise<Credential | undefined>;
}

export const anonymous: CredentialProvider = { get: async () => undefined };
