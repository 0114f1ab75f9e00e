// Which of the loaded trusted roots a bundle is verified against, from what the bundle carries:
// the issuer of its signing certificate (a CA of exactly one instance issued it), else the
// timestamp authority that signed its RFC 3161 timestamps, and whether it was made to be logged
// (SCTs, transparency-log entries: the public-good instance logs, GitHub's does not). This is how
// `gh attestation verify` tells the instances apart (by the leaf's issuer), without trusting
// anything the bundle says: the chosen root still has to verify every signature and chain.
import { X509Certificate } from '@sigstore/core';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { TrustRoot } from './trust-types';

/** What a bundle says about the instance that made it; the bundle room reads these. */
export interface BundleSignals {
  /** DER of the signing certificate's issuer Name; absent for a key-made signature. */
  leafIssuer?: Buffer;
  /** DER issuer Names of the certificates that signed its RFC 3161 timestamps. */
  timestampIssuers: readonly Buffer[];
  /** The signing certificate carries embedded SCTs (it was logged to a CT log). */
  sct: boolean;
  /** How many transparency-log entries it carries. */
  tlogEntries: number;
}

export interface TrustChoice {
  root: TrustRoot;
  /** Several roots were loaded: why this one (a clause for the TRUST_ROOT check). */
  reason?: string;
  /** The bundle fits none of several loaded roots: each one tried, described (the first is the one used). */
  unfit?: string[];
}

interface RootNames {
  /** Subjects of every certificate in the root's Fulcio CA chains. */
  ca: Buffer[];
  /** Subjects (and issuers) of every certificate in its timestamp authorities' chains. */
  tsa: Buffer[];
}

const names = new WeakMap<TrustedRoot, RootNames>();

function namesOf(root: TrustedRoot): RootNames {
  let n = names.get(root);
  if (n === undefined) {
    n = { ca: [], tsa: [] };
    for (const ca of root.certificateAuthorities) for (const c of ca.certChain?.certificates ?? []) push(n.ca, c.rawBytes, false);
    for (const ta of root.timestampAuthorities) for (const c of ta.certChain?.certificates ?? []) push(n.tsa, c.rawBytes, true);
    names.set(root, n);
  }
  return n;
}

function push(into: Buffer[], raw: Uint8Array, withIssuer: boolean): void {
  try {
    const cert = X509Certificate.parse(Buffer.from(raw));
    into.push(cert.subject);
    if (withIssuer) into.push(cert.issuer);
  } catch {
    // A certificate we cannot parse names nothing a bundle could match.
  }
}

const has = (list: readonly Buffer[], name: Buffer): boolean => list.some((n) => n.equals(name));

/** `github trusted root (embedded …)`: which instance and where from, for messages. */
export function rootLabel(root: TrustRoot): string {
  const s = root.info.source;
  const from = s.kind === 'file' ? s.path : s.tufRepository;
  return `${root.info.instance} (${from}, sha256 ${root.info.sha256.slice(0, 12)})`;
}

/** The loaded root a bundle belongs to; the given root alone when it has no siblings. */
export function chooseTrustRoot(root: TrustRoot, signals: BundleSignals): TrustChoice {
  const candidates = [root, ...(root.siblings ?? [])];
  if (candidates.length === 1) return { root };
  const logged = signals.sct || signals.tlogEntries > 0;
  const byTimestamp = (list: TrustRoot[]): TrustRoot[] => list.filter((c) => signals.timestampIssuers.some((i) => has(namesOf(c.root).tsa, i)));
  if (signals.leafIssuer !== undefined) {
    const issuer = signals.leafIssuer;
    const fits = candidates.filter((c) => has(namesOf(c.root).ca, issuer));
    if (fits.length === 0) return { root, unfit: candidates.map(rootLabel) };
    if (fits.length === 1) return { root: fits[0]!, reason: 'chosen because one of its certificate authorities issued the signing certificate' };
    // Several instances share the issuer's name: a logged certificate belongs to one that logs.
    const narrowed = logged ? fits.filter((c) => c.root.ctlogs.length + c.root.tlogs.length > 0) : byTimestamp(fits);
    return { root: narrowed[0] ?? fits[0]!, reason: 'chosen by the issuer of the signing certificate and how the bundle was logged or timestamped' };
  }
  // A key-made signature: only a timestamp without any log entry can point elsewhere.
  if (!logged) {
    const fits = byTimestamp(candidates);
    if (fits.length > 0 && fits[0] !== root) return { root: fits[0]!, reason: "chosen because its timestamp authority signed the bundle's timestamp" };
  }
  return { root };
}
