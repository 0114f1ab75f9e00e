import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { CertificateAuthority, TransparencyLogInstance } from '@sigstore/protobuf-specs';
import { LensError, describeError } from '../core/errors';
import seeds from '@sigstore/tuf/seeds.json';
import tufPackage from '@sigstore/tuf/package.json';

/**
 * Sigstore trusted roots (`trusted_root.json`, protobuf-specs `TrustedRoot`): the Fulcio
 * CAs, Rekor logs, CT logs and timestamp authorities a verification may rely on.
 *
 * Offline first: the public-good root embedded in `@sigstore/tuf`'s seeds is decoded
 * from the bundled JSON, never fetched (`@sigstore/tuf`'s `getTrustedRoot()` always
 * refreshes over the network, so a cold offline start would fail). A TUF refresh with
 * a cache is a later addition behind `loadTrustRoot({ offline: false, cacheDir })`.
 * https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto
 */

export const PUBLIC_GOOD_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';

export type TrustRootSource =
  | { kind: 'embedded'; package: string; version: string; tufRepository: string }
  | { kind: 'file'; path: string };

export interface TrustRootInfo {
  /** Which Sigstore instance this root belongs to, recognised from its service URLs. */
  instance: 'sigstore-public-good' | 'sigstore-staging' | 'github' | 'custom';
  source: TrustRootSource;
  mediaType: string;
  /** sha256 of the trusted_root.json bytes: names exactly which root was used. */
  sha256: string;
  /** Newest `validFor.start` among all keys and CAs: when this root last gained a key. */
  newestKeyStart?: string;
  /** Whole days from `newestKeyStart` to the time of loading. */
  ageDays?: number;
  /** Whether the root was refreshed from its TUF repository in this run (not yet implemented). */
  refreshed: boolean;
  counts: { certificateAuthorities: number; tlogs: number; ctlogs: number; timestampAuthorities: number };
}

export interface TrustRoot {
  readonly info: TrustRootInfo;
  readonly root: TrustedRoot;
}

export interface LoadTrustRootOptions {
  /** A trusted_root.json file (private deployment, GitHub's instance, a pinned snapshot). */
  trustedRootFile?: string;
  /** Never touch the network. Today every load is offline; the flag keeps the API stable for TUF refresh. */
  offline?: boolean;
  /** Where a future TUF refresh keeps its metadata and the refreshed root. */
  cacheDir?: string;
  /** The clock for `ageDays` (tests). */
  now?: Date;
}

/** A trusted root from a file if given, else the embedded public-good root. Never uses the network. */
export async function loadTrustRoot(options: LoadTrustRootOptions = {}): Promise<TrustRoot> {
  const now = options.now ?? new Date();
  if (options.trustedRootFile !== undefined) {
    let bytes: Buffer;
    try {
      bytes = await readFile(options.trustedRootFile);
    } catch (e) {
      throw new LensError('USAGE', `Cannot read trusted root ${options.trustedRootFile}: ${describeError(e)}`, { path: options.trustedRootFile }, { cause: e });
    }
    return parseTrustedRoot(bytes, { kind: 'file', path: options.trustedRootFile }, now);
  }
  return embeddedTrustRoot(now);
}

type Seeds = Record<string, { targets?: Record<string, string> }>;

/** The public-good root as shipped in `@sigstore/tuf`'s seeds.json (base64 target `trusted_root.json`). */
export function embeddedTrustRoot(now: Date = new Date()): TrustRoot {
  const encoded = (seeds as Seeds)[PUBLIC_GOOD_TUF_URL]?.targets?.['trusted_root.json'];
  if (encoded === undefined) {
    throw new LensError('INTERNAL', `@sigstore/tuf ${tufPackage.version} seeds.json has no trusted_root.json target for ${PUBLIC_GOOD_TUF_URL}.`);
  }
  const source: TrustRootSource = { kind: 'embedded', package: '@sigstore/tuf', version: tufPackage.version, tufRepository: PUBLIC_GOOD_TUF_URL };
  return parseTrustedRoot(Buffer.from(encoded, 'base64'), source, now);
}

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(?:\+json;version=0\.1|\.v0\.[12]\+json)$/;

/** Parses and validates trusted_root.json bytes; throws PROTOCOL naming the first malformed entry. */
export function parseTrustedRoot(bytes: Uint8Array, source: TrustRootSource, now: Date = new Date()): TrustRoot {
  const where = source.kind === 'file' ? source.path : `${source.package}@${source.version} seeds.json`;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new LensError('PROTOCOL', `Trusted root ${where} is not JSON: ${describeError(e)}`, { source: where }, { cause: e });
  }
  const mediaType = typeof json === 'object' && json !== null ? (json as { mediaType?: unknown }).mediaType : undefined;
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) {
    throw new LensError('PROTOCOL', `${where} is not a Sigstore trusted root (mediaType ${JSON.stringify(mediaType)}); a TUF root.json is not one.`, { source: where });
  }
  const root = TrustedRoot.fromJSON(json);
  const problem = findProblem(root);
  if (problem !== undefined) {
    throw new LensError('PROTOCOL', `Trusted root ${where} is malformed: ${problem}. It is rejected rather than read loosely.`, { source: where });
  }
  const starts = validityStarts(root);
  const newest = starts.length > 0 ? new Date(Math.max(...starts.map((d) => d.getTime()))) : undefined;
  const info: TrustRootInfo = {
    instance: recogniseInstance(root),
    source,
    mediaType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    refreshed: false,
    counts: {
      certificateAuthorities: root.certificateAuthorities.length,
      tlogs: root.tlogs.length,
      ctlogs: root.ctlogs.length,
      timestampAuthorities: root.timestampAuthorities.length,
    },
  };
  if (newest !== undefined) {
    info.newestKeyStart = newest.toISOString();
    info.ageDays = Math.floor((now.getTime() - newest.getTime()) / 86_400_000);
  }
  return { info, root };
}

/**
 * A `TimeRange` may be absent (the key is not time-bound) but, when present, its
 * `start` is required (sigstore_common.proto: only `end` is optional). sigstore-js reads
 * a missing start as "since 1970", silently widening trust; sigstore-conformance
 * `trust-root-tlog-missing-validity-start_fail` expects the root to be rejected.
 */
function findProblem(root: TrustedRoot): string | undefined {
  const logs: Array<[string, TransparencyLogInstance[]]> = [['tlogs', root.tlogs], ['ctlogs', root.ctlogs]];
  for (const [kind, list] of logs) {
    for (const [i, log] of list.entries()) {
      const name = `${kind}[${i}] (${log.baseUrl || 'no baseUrl'})`;
      if (!log.publicKey?.rawBytes?.length) return `${name} has no publicKey.rawBytes`;
      if (!log.logId?.keyId?.length) return `${name} has no logId.keyId`;
      const range = rangeProblem(log.publicKey.validFor);
      if (range) return `${name} publicKey.validFor ${range}`;
    }
  }
  const cas: Array<[string, CertificateAuthority[]]> = [['certificateAuthorities', root.certificateAuthorities], ['timestampAuthorities', root.timestampAuthorities]];
  for (const [kind, list] of cas) {
    for (const [i, ca] of list.entries()) {
      const name = `${kind}[${i}] (${ca.uri || 'no uri'})`;
      if (!ca.certChain?.certificates.length) return `${name} has an empty certChain`;
      const range = rangeProblem(ca.validFor);
      if (range) return `${name} validFor ${range}`;
    }
  }
  return undefined;
}

function rangeProblem(range: { start: Date | undefined; end?: Date | undefined } | undefined): string | undefined {
  if (range === undefined) return undefined;
  if (!(range.start instanceof Date)) return 'has no start';
  if (Number.isNaN(range.start.getTime())) return 'has an invalid start';
  if (range.end !== undefined && Number.isNaN(range.end.getTime())) return 'has an invalid end';
  return undefined;
}

function validityStarts(root: TrustedRoot): Date[] {
  const out: Date[] = [];
  for (const log of [...root.tlogs, ...root.ctlogs]) if (log.publicKey?.validFor?.start) out.push(log.publicKey.validFor.start);
  for (const ca of [...root.certificateAuthorities, ...root.timestampAuthorities]) if (ca.validFor?.start) out.push(ca.validFor.start);
  return out;
}

function recogniseInstance(root: TrustedRoot): TrustRootInfo['instance'] {
  const urls = [...root.certificateAuthorities.map((c) => c.uri), ...root.tlogs.map((t) => t.baseUrl)].join(' ');
  if (/\bfulcio\.githubapp\.com\b/.test(urls)) return 'github';
  if (/\bsigstage\.dev\b/.test(urls)) return 'sigstore-staging';
  if (/\bfulcio\.sigstore\.dev\b|\brekor\.sigstore\.dev\b/.test(urls)) return 'sigstore-public-good';
  return 'custom';
}

/** One line for the CLI and logs: which root, from where, how old. */
export function describeTrustRoot(info: TrustRootInfo): string {
  const from = info.source.kind === 'file' ? info.source.path : `embedded ${info.source.package}@${info.source.version} (${info.source.tufRepository})`;
  const age = info.ageDays !== undefined ? `, newest key from ${info.newestKeyStart?.slice(0, 10)} (${info.ageDays} days old)` : '';
  return `${info.instance} trusted root from ${from}, sha256 ${info.sha256.slice(0, 12)}${age}`;
}
