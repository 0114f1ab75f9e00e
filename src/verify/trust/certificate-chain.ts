import { X509Certificate, createHash } from 'node:crypto';
import { CertificateAuthority } from '@sigstore/protobuf-specs';
import { LensError, describeError } from '../../core/errors';
import type { TrustRoot, TrustRootInfo } from './trust-types';

/**
 * A private PKI as trust material: the PEM CA certificates given with `--certificate-chain`
 * (or `certificateChain:` in the policy file) replace the trusted root's certificate
 * authorities, as `cosign verify --certificate-chain` replaces Fulcio's roots
 * (https://github.com/sigstore/cosign/blob/main/doc/cosign_verify.md). The rest of the root
 * stays: its transparency logs (so a required log entry still means the public log), its
 * timestamp authorities. A private CA logs to no CT log, so the CT logs are dropped and no SCT
 * is expected of its certificates. Chains are then built and checked by `@sigstore/verify`
 * from these certificates only; the chain a signature carries is never trusted.
 */
export interface CertificateChainInfo {
  /** The PEM file, as given. */
  path: string;
  /** sha256 of the file: names exactly which chain was trusted. */
  sha256: string;
  /** Subject of each certificate, in file order (intermediates first, root last, as cosign expects). */
  subjects: string[];
  /** sha256 of each certificate's DER, in file order. */
  fingerprints: string[];
  notBefore: string;
  notAfter: string;
}

/** A trust root made from a private PKI chain; `info.certificateChain` says which. */
export interface PrivatePkiTrustRoot extends TrustRoot {
  readonly info: TrustRootInfo & { certificateChain: CertificateChainInfo };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export interface CertificateChain {
  certificates: X509Certificate[];
  info: CertificateChainInfo;
}

/**
 * Every certificate must be a CA (a leaf given by mistake would be trusted as an anchor) and
 * one must be a self-signed root: the library builds a path to a self-signed certificate
 * and accepts it only when that path contains one of these.
 */
export function parseCertificateChain(text: string, path: string): CertificateChain {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new LensError('USAGE', `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`, { path });
  const certificates = blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (e) {
      throw new LensError('USAGE', `Certificate ${i + 1} of ${path} cannot be parsed: ${describeError(e)}`, { path }, { cause: e });
    }
  });
  certificates.forEach((c, i) => {
    if (!c.ca)
      throw new LensError(
        'USAGE',
        `Certificate ${i + 1} of ${path} (${subjectLine(c.subject)}) is not a CA certificate; give the intermediates and the root, not the signing certificate.`,
        { path },
      );
  });
  if (!certificates.some(selfSigned)) {
    throw new LensError('USAGE', `${path} has no self-signed root CA certificate; the chain must end with the root (as cosign --certificate-chain expects).`, {
      path,
    });
  }
  const times = (pick: (c: X509Certificate) => string) => certificates.map((c) => new Date(pick(c)).getTime());
  return {
    certificates,
    info: {
      path,
      sha256: createHash('sha256').update(text).digest('hex'),
      subjects: certificates.map((c) => subjectLine(c.subject)),
      fingerprints: certificates.map((c) => `sha256:${createHash('sha256').update(c.raw).digest('hex')}`),
      notBefore: new Date(Math.min(...times((c) => c.validFrom))).toISOString(),
      notAfter: new Date(Math.max(...times((c) => c.validTo))).toISOString(),
    },
  };
}

/** `base` with the chain as its only certificate authority and no CT logs. */
export function withCertificateChain(base: TrustRoot, chain: CertificateChain): PrivatePkiTrustRoot {
  const authority = CertificateAuthority.fromJSON({
    subject: { organization: '', commonName: chain.info.subjects.at(-1) ?? '' },
    uri: `file:${chain.info.path}`,
    certChain: { certificates: chain.certificates.map((c) => ({ rawBytes: c.raw.toString('base64') })) },
    // The chain's own span; each certificate's validity is checked by the chain verifier.
    validFor: { start: chain.info.notBefore, end: chain.info.notAfter },
  });
  const root = { ...base.root, certificateAuthorities: [authority], ctlogs: [] };
  const info: PrivatePkiTrustRoot['info'] = {
    ...base.info,
    instance: 'custom',
    counts: { ...base.info.counts, certificateAuthorities: 1, ctlogs: 0 },
    certificateChain: chain.info,
  };
  return { info, root };
}

/** The private PKI chain a trust root was made from, if any. */
export function privatePki(root: Pick<TrustRoot, 'info'>): CertificateChainInfo | undefined {
  return (root.info as Partial<PrivatePkiTrustRoot['info']>).certificateChain;
}

function selfSigned(c: X509Certificate): boolean {
  try {
    return c.checkIssued(c) && c.verify(c.publicKey);
  } catch {
    return false;
  }
}

/** Node gives `undefined` for an empty subject, whatever its type says. */
export function subjectLine(subject: string | undefined): string {
  return (subject ?? '').split('\n').filter(Boolean).join(', ') || 'no subject';
}
