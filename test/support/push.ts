// Pushes blobs and manifests with plain HTTP (OCI distribution spec, "Pushing blobs" /
// "Pushing manifests"), deliberately not through src/registry, so the harness does not depend on
// the code it tests. Also the raw GET helpers tests use to look at what the registry serves.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { TestRegistry } from './registry';

/** What push needs from a registry: the parts of TestRegistry, or anything shaped like them. */
export type PushTarget = Pick<TestRegistry, 'url' | 'auth' | 'dispatcher'>;

/** The full Accept list: without it distribution 404s OCI manifests and downgrades Docker lists. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The harness's own Authorization header for `repo`: Basic for htpasswd; in token mode a token
 * minted directly by the token server object, so harness pushes never show up in its request log.
 */
export function harnessAuthorization(target: PushTarget, repo: string, actions: readonly string[] = ['pull', 'push']): Record<string, string> {
  const auth = target.auth;
  if (auth.mode === 'htpasswd') {
    return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
  }
  if (auth.mode === 'token') {
    const token = auth.tokenServer.issueToken(auth.username, [{ type: 'repository', name: repo, actions }]);
    return { authorization: `Bearer ${token}` };
  }
  return {};
}

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

async function send(
  target: PushTarget,
  repo: string,
  method: Dispatcher.HttpMethod,
  pathOrUrl: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<RawResponse> {
  const url = new URL(pathOrUrl, target.url);
  const res = await request(url, {
    method,
    dispatcher: target.dispatcher,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    headers: { ...harnessAuthorization(target, repo), ...headers },
    ...(body ? { body } : {}),
  });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

function fail(what: string, res: RawResponse): never {
  // Only the registry's error body: it never echoes credentials.
  throw new Error(`${what}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 500)}`);
}

/** Uploads a blob (monolithic POST then PUT ?digest=), skipping it when HEAD says it is there. */
export async function pushBlob(target: PushTarget, repo: string, bytes: Uint8Array): Promise<string> {
  const data = Buffer.from(bytes);
  const digest = sha256Digest(data);
  const head = await send(target, repo, 'HEAD', `/v2/${repo}/blobs/${digest}`);
  if (head.status === 200) return digest;
  const start = await send(target, repo, 'POST', `/v2/${repo}/blobs/uploads/`);
  const location = start.headers.location;
  if (start.status !== 202 || typeof location !== 'string') fail(`start upload to ${repo}`, start);
  const put = new URL(location, target.url);
  put.searchParams.set('digest', digest);
  const done = await send(target, repo, 'PUT', put.href, { 'content-type': 'application/octet-stream' }, data);
  if (done.status !== 201) fail(`upload ${digest} to ${repo}`, done);
  return digest;
}

/** PUTs a manifest under a tag or its digest; checks the registry computed the same digest. */
export async function pushManifest(target: PushTarget, repo: string, refTagOrDigest: string, bytes: Uint8Array, mediaType: string): Promise<string> {
  const data = Buffer.from(bytes);
  const digest = sha256Digest(data);
  const res = await send(target, repo, 'PUT', `/v2/${repo}/manifests/${refTagOrDigest}`, { 'content-type': mediaType }, data);
  if (res.status !== 201) fail(`push manifest ${repo}:${refTagOrDigest}`, res);
  if (res.headers['docker-content-digest'] !== digest) {
    throw new Error(`registry stored ${repo}:${refTagOrDigest} as ${String(res.headers['docker-content-digest'])}, expected ${digest}`);
  }
  return digest;
}

export interface FetchedManifest {
  readonly status: number;
  readonly bytes: Buffer;
  readonly mediaType: string | undefined;
  /** The registry's Docker-Content-Digest header (a hint; compare with sha256Digest(bytes)). */
  readonly digestHeader: string | undefined;
}

/** GET a manifest with the full Accept list and the harness's credentials. */
export async function fetchManifest(target: PushTarget, repo: string, ref: string): Promise<FetchedManifest> {
  const res = await send(target, repo, 'GET', `/v2/${repo}/manifests/${ref}`, { accept: MANIFEST_ACCEPT }, undefined);
  const header = (name: string): string | undefined => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return { status: res.status, bytes: res.body, mediaType: header('content-type'), digestHeader: header('docker-content-digest') };
}

/** GET a blob's bytes with the harness's credentials. */
export async function fetchBlob(target: PushTarget, repo: string, digest: string): Promise<Buffer> {
  const res = await send(target, repo, 'GET', `/v2/${repo}/blobs/${digest}`);
  if (res.status !== 200) fail(`get blob ${repo}@${digest}`, res);
  return res.body;
}
