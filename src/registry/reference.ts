import { LensError } from '../core/errors';
import { parseDigest } from './digest';

/**
 * Image references, following the grammar of distribution/reference
 * (https://github.com/distribution/reference/blob/main/reference.go):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*
 *   domain    := host [":" port]   (first component with "." or ":", "localhost", or uppercase)
 *
 * Docker Hub normalisation: no domain -> docker.io, one path component -> library/<name>,
 * index.docker.io -> docker.io. Local OCI layouts: `oci-layout:/path[:tag|@digest]`.
 */
export interface RegistryReference {
  kind: 'registry';
  /** Registry host as written after normalisation, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface LayoutReference {
  kind: 'oci-layout';
  /** Absolute or relative path of the layout directory. */
  path: string;
  tag?: string;
  digest?: string;
}

export type ImageReference = RegistryReference | LayoutReference;

export const DOCKER_HUB = 'docker.io';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST_LABEL = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6 = /^\[[a-fA-F0-9:.%]+\]$/;
const MAX_NAME = 255;

function invalid(input: string, at: number, why: string): LensError {
  const pointer = at >= 0 ? ` (at character ${at + 1})` : '';
  return new LensError('REFERENCE_INVALID', `Invalid image reference "${input}"${pointer}: ${why}`, { reference: input, position: at + 1 });
}

function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

function checkHost(input: string, domain: string, at: number): void {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const end = domain.indexOf(']');
    if (end < 0) throw invalid(input, at, 'an IPv6 registry address must be closed with "]".');
    host = domain.slice(0, end + 1);
    const rest = domain.slice(end + 1);
    if (rest) {
      if (!rest.startsWith(':')) throw invalid(input, at + end + 1, `unexpected "${rest}" after the IPv6 address.`);
      port = rest.slice(1);
    }
    if (!IPV6.test(host)) throw invalid(input, at, `"${host}" is not an IPv6 address.`);
  } else {
    const colon = domain.lastIndexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    const labels = host.split('.');
    let offset = at;
    for (const label of labels) {
      if (!HOST_LABEL.test(label)) {
        throw invalid(input, offset, `"${host}" is not a valid registry host name (labels are letters, digits and inner hyphens).`);
      }
      offset += label.length + 1;
    }
  }
  if (port !== undefined) {
    const portAt = at + domain.length - port.length;
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535 || Number(port) === 0) {
      throw invalid(input, portAt, `"${port}" is not a port number (1-65535).`);
    }
  }
}

/** Parses a registry image reference. Throws REFERENCE_INVALID saying what is wrong and where. */
export function parseRegistryReference(input: string): RegistryReference {
  const s = input.trim();
  if (s === '') throw invalid(input, -1, 'the reference is empty; expected e.g. ghcr.io/org/image:v1.2.3 or registry:5000/repo@sha256:<hex>.');
  const ws = s.search(/\s/);
  if (ws >= 0) throw invalid(input, input.indexOf(s) + ws, 'whitespace is not allowed in a reference.');
  const lead = input.indexOf(s);

  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    try {
      parseDigest(digest);
    } catch (e) {
      throw invalid(input, lead + at + 1, e instanceof LensError ? e.message.replace(/^"[^"]*" /, `"${digest}" `) : 'bad digest.');
    }
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw invalid(input, lead + colon + 1, `"${tag}" is not a valid tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-").`);
    }
  }
  if (rest === '') throw invalid(input, lead, 'the repository name is missing.');

  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  let offset = lead;
  if (parts.length > 1 && isDomain(parts[0]!)) {
    const domain = parts.shift()!;
    checkHost(input, domain, lead);
    registry = domain;
    offset += domain.length + 1;
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      const why =
        part === ''
          ? 'an empty path component ("//" or a trailing "/").'
          : part !== part.toLowerCase()
            ? `"${part}" has uppercase letters; repository names must be lowercase.`
            : `"${part}" is not a valid repository path component (lowercase letters and digits, separated by ".", "_", "__" or "-").`;
      throw invalid(input, offset, why);
    }
    offset += part.length + 1;
  }
  let repository = parts.join('/');
  if (registry === DOCKER_HUB && parts.length === 1) repository = `library/${repository}`;
  if (`${registry}/${repository}`.length > MAX_NAME) throw invalid(input, -1, `the name is longer than ${MAX_NAME} characters.`);
  const ref: RegistryReference = { kind: 'registry', registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

const LAYOUT_PREFIX = 'oci-layout:';

/**
 * Parses `oci-layout:/path[:tag|@digest]`. The tag is whatever follows the last ":" after
 * the last "/", so paths with colons in directory names still work when a tag is given.
 */
export function parseLayoutReference(input: string): LayoutReference {
  let rest = input.trim().slice(LAYOUT_PREFIX.length);
  if (rest === '') throw invalid(input, LAYOUT_PREFIX.length, 'the layout path is missing; expected oci-layout:/path/to/layout[:tag|@sha256:<hex>].');
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at > rest.lastIndexOf('/')) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    try {
      parseDigest(digest);
    } catch (e) {
      throw invalid(input, LAYOUT_PREFIX.length + at + 1, e instanceof Error ? e.message : 'bad digest.');
    }
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(tag)) throw invalid(input, LAYOUT_PREFIX.length + colon + 1, `"${tag}" is not a valid tag.`);
    }
  }
  if (rest === '') throw invalid(input, LAYOUT_PREFIX.length, 'the layout path is missing.');
  const ref: LayoutReference = { kind: 'oci-layout', path: rest };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export function parseReference(input: string): ImageReference {
  return input.trim().startsWith(LAYOUT_PREFIX) ? parseLayoutReference(input) : parseRegistryReference(input);
}

/** The canonical text of a reference (fully qualified, `docker.io/library/...`). */
export function formatReference(ref: ImageReference): string {
  const base = ref.kind === 'registry' ? `${ref.registry}/${ref.repository}` : `${LAYOUT_PREFIX}${ref.path}`;
  return `${base}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The repository name a user would recognise: `nginx` rather than `docker.io/library/nginx`. */
export function familiarName(ref: RegistryReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  return ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
}

/** The host to talk to: Docker Hub's API lives on registry-1.docker.io. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** The same repository pinned to a digest (the tag is kept for display). */
export function withDigest(ref: RegistryReference, digest: string): RegistryReference {
  return { ...ref, digest };
}
