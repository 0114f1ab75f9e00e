// A `trusted_root.json` for the mini Sigstore (protobuf-specs sigstore_trustroot.proto,
// https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto): the test
// CAs and logs, no CT logs (so no SCTs are expected: src/verify sets ctlogThreshold from the root),
// no timestamp authorities (signed time comes from the log's integrated time).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestCertificateAuthority } from './ca';
import type { TestLog } from './log';

export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';

export interface TrustedRootContents {
  certificateAuthorities: readonly TestCertificateAuthority[];
  tlogs: readonly TestLog[];
  /** Logs to list as CT logs (none by default: test leaves carry no SCT). */
  ctlogs?: readonly TestLog[];
}

const range = (v: { start: Date; end?: Date }): Record<string, string> => ({ start: v.start.toISOString(), ...(v.end ? { end: v.end.toISOString() } : {}) });

function logInstance(log: TestLog): Record<string, unknown> {
  return {
    baseUrl: log.baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: log.key.publicKeyDer.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: range(log.validFor) },
    logId: { keyId: log.logId.toString('base64') },
  };
}

export function trustedRootJson(c: TrustedRootContents): Record<string, unknown> {
  return {
    mediaType: TRUSTED_ROOT_MEDIA_TYPE,
    tlogs: c.tlogs.map(logInstance),
    certificateAuthorities: c.certificateAuthorities.map((ca) => ({
      subject: { organization: ca.organization, commonName: ca.commonName },
      uri: ca.uri,
      // Leaf-most first, root last, as in the public-good root.
      certChain: { certificates: [ca.intermediate, ca.root].map((m) => ({ rawBytes: m.der.toString('base64') })) },
      // The CA's validity; an open end means "current", as the public-good root marks its newest CA.
      validFor: { start: ca.validFor.start.toISOString() },
    })),
    ctlogs: (c.ctlogs ?? []).map(logInstance),
    timestampAuthorities: [],
  };
}

export function trustedRootBytes(c: TrustedRootContents): Buffer {
  return Buffer.from(`${JSON.stringify(trustedRootJson(c), null, 2)}\n`);
}

/** Writes `trusted_root.json` into `dir` (a test's temp dir) and returns its path. */
export async function writeTrustedRoot(dir: string, c: TrustedRootContents): Promise<string> {
  const path = join(dir, 'trusted_root.json');
  await writeFile(path, trustedRootBytes(c));
  return path;
}
