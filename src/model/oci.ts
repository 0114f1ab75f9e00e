/**
 * OCI content descriptors and manifests
 * (https://github.com/opencontainers/image-spec/blob/main/descriptor.md, manifest.md, image-index.md).
 * Parsed leniently: unknown fields are kept by the raw JSON, unknown entries never crash.
 */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/**
 * A manifest as fetched: the exact bytes (digest-checked), the media type served, and the parsed
 * JSON, an image index or an image manifest; `kind` says which, so neither is ever optional.
 */
export type FetchedManifest = {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Uint8Array;
} & ({ kind: 'index'; index: ImageIndex } | { kind: 'manifest'; manifest: ImageManifest });

/** The subject a referrer names (OCI 1.1 `subject`), whichever kind it is. */
export function subjectOf(m: FetchedManifest): Descriptor | undefined {
  return m.kind === 'index' ? m.index.subject : m.manifest.subject;
}

export function platformString(p: Platform | undefined): string {
  if (!p) return 'unknown';
  let s = `${p.os}/${p.architecture}`;
  if (p.variant) s += `/${p.variant}`;
  if (p['os.version']) s += ` (${p['os.version']})`;
  return s;
}
