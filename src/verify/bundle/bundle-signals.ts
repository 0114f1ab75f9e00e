import { X509Certificate as NodeX509 } from 'node:crypto';
import { RFC3161Timestamp } from '@sigstore/core';
import type { Bundle } from '@sigstore/bundle';
import type { BundleSignals } from '../trust';
import { leafCertificate, parseCertificate } from './certificate';

/**
 * What a bundle says about the Sigstore instance that made it, for choosing the trusted root
 * (trust/trust-choose.ts): its signing certificate's issuer and SCTs, the issuers of the
 * certificates that signed its RFC 3161 timestamps, and its transparency-log entries. Read
 * leniently: anything unreadable here is left out and fails in its own check later.
 */
export function bundleSignals(bundle: Bundle): BundleSignals {
  const signals: BundleSignals = { timestampIssuers: [], sct: false, tlogEntries: bundle.verificationMaterial.tlogEntries.length };
  const leaf = leafCertificate(bundle);
  if (leaf !== undefined) {
    try {
      const cert = parseCertificate(leaf);
      signals.leafIssuer = cert.issuer;
      signals.sct = cert.extSCT !== undefined;
    } catch {
      // CERTIFICATE_CHAIN says the certificate cannot be parsed.
    }
  }
  const issuers: Buffer[] = [];
  for (const t of bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []) {
    try {
      issuers.push(RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp)).signerIssuer);
    } catch {
      // TIMESTAMP says the timestamp cannot be read.
    }
  }
  return { ...signals, timestampIssuers: issuers };
}

/** The signing certificate's issuer as text (`O=GitHub\, Inc., CN=…`), for messages. */
export function issuerText(bundle: Bundle): string | undefined {
  const leaf = leafCertificate(bundle);
  if (leaf === undefined) return undefined;
  try {
    return (new NodeX509(leaf).issuer ?? '').split('\n').filter(Boolean).join(', ') || undefined;
  } catch {
    return undefined;
  }
}
