import { X509Certificate as NodeX509, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { TransparencyLogEntry } from '@sigstore/bundle';
import { pem as pemText } from '@sigstore/core';
import type { SignatureCheck } from '../checks';
import { check } from '../checks';
import { sameKey } from '../trust';

/** The certificate or public key the bundle's signature verified with. */
export type SigningKey = { kind: 'certificate'; der: Buffer; key: KeyObject } | { kind: 'public-key'; key: KeyObject };

type Recorded = { kind: 'certificate'; der: Buffer } | { kind: 'public-key'; der: Buffer; format: 'spki' } | { kind: 'pem'; pem: string };

/**
 * Is the key or certificate recorded in the log entry the one that signed? cosign
 * compares them (pkg/cosign/verify.go, "comparePublicKey"); `@sigstore/verify` 3.1 only
 * compares signature and digest, so a log entry made by another key with the same
 * signature bytes would pass there. Body shapes: Rekor types
 * https://github.com/sigstore/rekor/tree/main/pkg/types (v1) and
 * https://github.com/sigstore/rekor-tiles/blob/main/api/proto/rekor/v2 (v2).
 */
export function tlogSignerCheck(entries: readonly TransparencyLogEntry[], signer: SigningKey): SignatureCheck | undefined {
  if (entries.length === 0) return undefined;
  for (const [i, entry] of entries.entries()) {
    const kind = `${entry.kindVersion?.kind}/${entry.kindVersion?.version}`;
    let recorded: Recorded[];
    try {
      recorded = recordedVerifiers(JSON.parse(Buffer.from(entry.canonicalizedBody).toString('utf8')) as Body, kind);
    } catch {
      return check('TLOG_SIGNER', 'fail', `Log entry ${i} (${kind}) has a body that cannot be read.`, { entryKind: kind });
    }
    if (recorded.length === 0) {
      return check('TLOG_SIGNER', 'fail', `Log entry ${i} (${kind}) records no key or certificate to compare with the signer.`, { entryKind: kind });
    }
    if (!recorded.some((r) => matches(r, signer))) {
      return check('TLOG_SIGNER', 'fail', `Log entry ${i} (${kind}) was made by another key or certificate than the one that signed this bundle.`, {
        entryKind: kind,
      });
    }
  }
  return check(
    'TLOG_SIGNER',
    'pass',
    `The log entry records the same ${signer.kind === 'certificate' ? 'certificate' : 'public key'} that made the signature.`,
  );
}

// Loosely typed on purpose: these are untrusted JSON bodies, every field is checked.
type Body = { spec?: Record<string, unknown> };

function recordedVerifiers(body: Body, kind: string): Recorded[] {
  const spec = body.spec ?? {};
  const pem = (v: unknown): Recorded[] => (typeof v === 'string' && v.length > 0 ? [{ kind: 'pem', pem: Buffer.from(v, 'base64').toString('utf8') }] : []);
  switch (kind) {
    case 'hashedrekord/0.0.1':
      return pem(get(spec, 'signature', 'publicKey', 'content'));
    case 'dsse/0.0.1':
      return list(spec.signatures).flatMap((s) => pem(get(s, 'verifier')));
    case 'intoto/0.0.2':
      return list(get(spec, 'content', 'envelope', 'signatures')).flatMap((s) => pem(get(s, 'publicKey')));
    case 'intoto/0.0.1':
      return pem(spec.publicKey);
    case 'hashedrekord/0.0.2':
      return v2Verifier(get(spec, 'hashedRekordV002', 'signature', 'verifier'));
    case 'dsse/0.0.2':
      return list(get(spec, 'dsseV002', 'signatures')).flatMap((s) => v2Verifier(get(s, 'verifier')));
    default:
      return [];
  }
}

function v2Verifier(v: unknown): Recorded[] {
  const cert = get(v, 'x509Certificate', 'rawBytes');
  if (typeof cert === 'string') return [{ kind: 'certificate', der: Buffer.from(cert, 'base64') }];
  const key = get(v, 'publicKey', 'rawBytes');
  if (typeof key === 'string') return [{ kind: 'public-key', der: Buffer.from(key, 'base64'), format: 'spki' }];
  return [];
}

function matches(r: Recorded, signer: SigningKey): boolean {
  try {
    if (r.kind === 'pem') {
      // Rekor v1 bodies hold a PEM certificate (keyless) or a PEM public key.
      // A certificate is compared by its DER bytes, decoded from the PEM (no need to parse it).
      if (r.pem.includes('CERTIFICATE')) return matches({ kind: 'certificate', der: pemText.toDER(r.pem) }, signer);
      return sameKey(createPublicKey(r.pem), signer.key);
    }
    if (r.kind === 'certificate') return signer.kind === 'certificate' ? r.der.equals(signer.der) : sameKey(new NodeX509(r.der).publicKey, signer.key);
    return sameKey(createPublicKey({ key: r.der, format: 'der', type: 'spki' }), signer.key);
  } catch {
    return false;
  }
}

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
