import { LensError } from '../core/errors';
import type { Descriptor, FetchedManifest, ImageIndex, ImageManifest } from '../model/oci';
import { MediaType, isIndexMediaType, isManifestMediaType } from './media-types';
import { assertJsonShape } from './json-shape';
import { assertUnambiguousJson } from './strict-json';

/**
 * Parses manifest bytes already checked against `digest`: the one reader of image indexes and
 * manifests, for registries and OCI layouts alike. Lenient about what it does not need (unknown
 * fields, unknown media types of entries), strict about what it relies on (an index has a
 * `manifests` array of descriptors, a manifest has `config` and `layers`) and about anything a
 * container runtime could read differently:
 * - keys Go would fold or duplicate (strict-json.ts) are AMBIGUOUS_JSON;
 * - a document with both `manifests` and `config`/`layers`, or whose media type (its own, or the one
 *   served) names the other kind, is AMBIGUOUS_JSON: a runtime picks the kind from the media type,
 *   and such documents are how CVE-2021-41190 confused readers
 *   (https://github.com/opencontainers/image-spec/security/advisories/GHSA-77vh-xpmg-72qh);
 * - bytes that are no image manifest or index at all are NOT_A_MANIFEST.
 */
export function parseManifest(bytes: Uint8Array, digest: string, servedType: string | undefined): FetchedManifest {
  const text = Buffer.from(bytes).toString('utf8');
  const what = `Manifest ${digest}`;
  assertJsonShape(text, what);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LensError('NOT_A_MANIFEST', `${what} is not valid JSON, so it is no image manifest or index.`, { digest });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new LensError('NOT_A_MANIFEST', `${what} is not a JSON object, so it is no image manifest or index.`, { digest });
  }
  assertUnambiguousJson(text, what, 'manifest');
  const obj = json as Record<string, unknown>;
  const declared = typeof obj.mediaType === 'string' ? obj.mediaType : undefined;
  const served = servedType?.split(';')[0]?.trim() || undefined;
  const looksIndex = 'manifests' in obj;
  const looksManifest = 'config' in obj || 'layers' in obj;
  if (looksIndex && looksManifest) {
    throw ambiguous(what, 'it has both "manifests" (an index) and "config"/"layers" (a manifest)', digest);
  }
  for (const [whose, type] of [
    ['its own', declared],
    ['the served', served],
  ] as const) {
    if ((looksIndex && isManifestMediaType(type)) || (looksManifest && isIndexMediaType(type))) {
      throw ambiguous(what, `${whose} media type ${type} names the other kind of document than its fields`, digest);
    }
  }
  // The body's own mediaType is covered by the digest; the header is only a hint.
  let mediaType = declared ?? served ?? '';
  if (!declared && !isIndexMediaType(mediaType) && !isManifestMediaType(mediaType)) {
    mediaType = looksIndex ? MediaType.ociIndex : MediaType.ociManifest;
  }
  if (obj.schemaVersion !== 2) {
    throw new LensError('NOT_A_MANIFEST', `${what} has schemaVersion ${String(obj.schemaVersion)}; only schema 2 (OCI and Docker v2) is read.`, { digest });
  }
  if (looksIndex && Array.isArray(obj.manifests)) {
    const manifests = obj.manifests.map((d, i) => descriptor(d, `${digest} manifests[${i}]`));
    const index: ImageIndex = { ...(obj as object), schemaVersion: 2, manifests } as ImageIndex;
    if (obj.subject !== undefined) index.subject = descriptor(obj.subject, `${digest} subject`);
    return { digest, mediaType, size: bytes.length, bytes, kind: 'index', index };
  }
  if (looksManifest && typeof obj.config === 'object' && obj.config !== null) {
    const config = descriptor(obj.config, `${digest} config`);
    const layersRaw = Array.isArray(obj.layers) ? obj.layers : [];
    const layers = layersRaw.map((d, i) => descriptor(d, `${digest} layers[${i}]`));
    const manifest: ImageManifest = { ...(obj as object), schemaVersion: 2, config, layers } as ImageManifest;
    if (obj.subject !== undefined) manifest.subject = descriptor(obj.subject, `${digest} subject`);
    return { digest, mediaType, size: bytes.length, bytes, kind: 'manifest', manifest };
  }
  throw new LensError('NOT_A_MANIFEST', `${what} (${mediaType || 'no media type'}) is neither an image index nor an image manifest.`, { digest });
}

function ambiguous(what: string, why: string, digest: string): LensError {
  return new LensError('AMBIGUOUS_JSON', `${what} was refused: ${why}. Two readers could see two different documents, so nothing in it was trusted.`, {
    digest,
  });
}

const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function descriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null) throw new LensError('PROTOCOL', `${where} is not a descriptor object.`);
  const d = value as Record<string, unknown>;
  if (typeof d.digest !== 'string' || !DIGEST_RE.test(d.digest)) throw new LensError('PROTOCOL', `${where} has no valid digest.`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw new LensError('PROTOCOL', `${where} has no valid size.`);
  const out: Descriptor = { mediaType: typeof d.mediaType === 'string' ? d.mediaType : '', digest: d.digest, size: d.size };
  if (typeof d.artifactType === 'string') out.artifactType = d.artifactType;
  if (isStringRecord(d.annotations)) out.annotations = d.annotations;
  if (typeof d.platform === 'object' && d.platform !== null) {
    const p = d.platform as Record<string, unknown>;
    out.platform = { os: String(p.os ?? ''), architecture: String(p.architecture ?? '') };
    if (typeof p.variant === 'string') out.platform.variant = p.variant;
    if (typeof p['os.version'] === 'string') out.platform['os.version'] = p['os.version'];
  }
  if (Array.isArray(d.urls)) out.urls = d.urls.filter((u): u is string => typeof u === 'string');
  return out;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
