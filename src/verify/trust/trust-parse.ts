// trusted_root.json bytes -> a validated TrustedRoot and the facts reported about it.
// https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto
import { createHash } from 'node:crypto';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { CertificateAuthority, TransparencyLogInstance } from '@sigstore/protobuf-specs';
import { LensError, describeError } from '../../core/errors';
import type { TrustRoot, TrustRootInfo, TrustRootSource } from './trust-types';

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(?:\+json;version=0\.1|\.v0\.[12]\+json)$/;

/** Where the bytes came from, for messages. */
export function describeSource(source: TrustRootSource): string {
  switch (source.kind) {
    case 'file':
      return source.path;
    case 'embedded':
      return `${source.package}@${source.version} seeds.json`;
    case 'tuf':
      return `the trusted_root.json refreshed from ${source.tufRepository} on ${source.refreshedAt}`;
  }
}

/** Parses and validates trusted_root.json bytes; throws PROTOCOL naming the first malformed entry. */
export function parseTrustedRoot(bytes: Uint8Array, source: TrustRootSource, now: Date = new Date()): TrustRoot {
  const where = describeSource(source);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new LensError('PROTOCOL', `Trusted root ${where} is not JSON: ${describeError(e)}`, { source: where }, { cause: e });
  }
  const mediaType = typeof json === 'object' && json !== null ? (json as { mediaType?: unknown }).mediaType : undefined;
  if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) {
    throw new LensError('PROTOCOL', `${where} is not a Sigstore trusted root (mediaType ${JSON.stringify(mediaType)}); a TUF root.json is not one.`, {
      source: where,
    });
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
    info.ageDays = wholeDays(newest, now);
  }
  return { info, root };
}

/** Whole days from `from` to `to`, never negative (a clock a little behind is not "in the future"). */
export function wholeDays(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));
}

/**
 * A `TimeRange` may be absent (the key is not time-bound) but, when present, its
 * `start` is required (sigstore_common.proto: only `end` is optional). sigstore-js reads
 * a missing start as "since 1970", silently widening trust; sigstore-conformance
 * `trust-root-tlog-missing-validity-start_fail` expects the root to be rejected.
 */
function findProblem(root: TrustedRoot): string | undefined {
  const logs: Array<[string, TransparencyLogInstance[]]> = [
    ['tlogs', root.tlogs],
    ['ctlogs', root.ctlogs],
  ];
  for (const [kind, list] of logs) {
    for (const [i, log] of list.entries()) {
      const name = `${kind}[${i}] (${log.baseUrl || 'no baseUrl'})`;
      if (!log.publicKey?.rawBytes?.length) return `${name} has no publicKey.rawBytes`;
      if (!log.logId?.keyId?.length) return `${name} has no logId.keyId`;
      const range = rangeProblem(log.publicKey.validFor);
      if (range) return `${name} publicKey.validFor ${range}`;
    }
  }
  const cas: Array<[string, CertificateAuthority[]]> = [
    ['certificateAuthorities', root.certificateAuthorities],
    ['timestampAuthorities', root.timestampAuthorities],
  ];
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
