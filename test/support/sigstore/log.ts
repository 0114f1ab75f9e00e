// A Rekor-like transparency log for tests: an ECDSA P-256 log key, entries with signed entry
// timestamps (SETs), and RFC 6962 inclusion proofs with signed checkpoints, all in memory.
// SET: https://github.com/sigstore/rekor/blob/main/pkg/api/entries.go (signed over the RFC 8785
// canonical JSON of {body, integratedTime, logID, logIndex}); checkpoints (signed notes):
// https://github.com/transparency-dev/formats/blob/main/log/README.md
import { createHash } from 'node:crypto';
import { json } from '@sigstore/core';
import { DEFAULT_SIGNING_TIME } from './ca';
import type { SigningKey } from './keys';
import { createSigningKey } from './keys';
import { auditPath, leafHash, treeHash } from './merkle';

/** What a SET signs, and cosign's `dev.sigstore.cosign/bundle` `Payload`. */
export interface SetPayload {
  body: string;
  integratedTime: number;
  logIndex: number;
  logID: string;
}

export function setPayloadBytes(p: SetPayload): Buffer {
  return Buffer.from(json.canonicalize({ body: p.body, integratedTime: p.integratedTime, logIndex: p.logIndex, logID: p.logID }), 'utf8');
}

/** A Rekor v1 entry body before canonicalisation. */
export interface RekorBody {
  apiVersion: string;
  kind: string;
  spec: Record<string, unknown>;
}

/** Rekor stores and serves bodies as canonical JSON (sorted keys, no whitespace). */
export const canonicalBody = (body: RekorBody): Buffer => Buffer.from(json.canonicalize(body), 'utf8');

export interface LogEntry {
  /** The canonicalized body bytes (base64 of these is `body` / `canonicalizedBody`). */
  readonly body: Buffer;
  readonly kind: string;
  readonly apiVersion: string;
  /** Unix seconds. */
  readonly integratedTime: number;
  /** Global index (what Rekor's API and the SET use). */
  readonly logIndex: number;
  /** Index inside this tree (what the inclusion proof uses). */
  readonly treeIndex: number;
  readonly logIdHex: string;
  /** DER ECDSA signature of the log key over setPayloadBytes(). */
  readonly set: Buffer;
}

export interface InclusionProof {
  readonly logIndex: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly hashes: readonly Buffer[];
  /** Signed note: origin, size, root hash, blank line, `— <name> <b64(keyhint||sig)>`. */
  readonly checkpoint: string;
}

export interface LogOptions {
  /** Host-like name: the checkpoint signer name, matched by verifiers against baseUrl. */
  name?: string;
  validFrom?: Date;
  validTo?: Date;
  /** Rekor shards: global index = indexOffset + tree index (default 0). */
  indexOffset?: number;
  treeId?: string;
  key?: SigningKey;
}

export interface TestLog {
  readonly name: string;
  readonly baseUrl: string;
  readonly origin: string;
  readonly key: SigningKey;
  /** sha256 of the DER SubjectPublicKeyInfo: Rekor's log ID. */
  readonly logId: Buffer;
  readonly logIdHex: string;
  readonly validFor: { readonly start: Date; readonly end?: Date };
  readonly size: number;
  append(body: RekorBody | Buffer, options?: { integratedTime?: number | Date }): LogEntry;
  /** Signs any SET payload: for mutations (a SET made for another body). */
  signEntryTimestamp(payload: SetPayload): Buffer;
  /** Inclusion proof of an entry in the tree as it is now, with a fresh signed checkpoint. */
  prove(entry: LogEntry): InclusionProof;
}

export const unixSeconds = (t: number | Date): number => (typeof t === 'number' ? t : Math.floor(t.getTime() / 1000));

export function createTestLog(options: LogOptions = {}): TestLog {
  const name = options.name ?? 'rekor.provenance-lens.test';
  const key = options.key ?? createSigningKey('P-256');
  const logId = createHash('sha256').update(key.publicKeyDer).digest();
  const origin = `${name} - ${options.treeId ?? '1193050959916656506'}`;
  const offset = options.indexOffset ?? 0;
  const leaves: Buffer[] = [];
  const validFor = { start: options.validFrom ?? new Date('2024-01-01T00:00:00Z'), ...(options.validTo ? { end: options.validTo } : {}) };

  const signEntryTimestamp = (payload: SetPayload): Buffer => key.sign(setPayloadBytes(payload));
  const checkpoint = (size: number, root: Buffer): string => {
    const note = `${origin}\n${size}\n${root.toString('base64')}\n`;
    const signature = Buffer.concat([logId.subarray(0, 4), key.sign(Buffer.from(note, 'utf8'))]);
    return `${note}\n\u2014 ${name} ${signature.toString('base64')}\n`;
  };

  return {
    name,
    baseUrl: `https://${name}`,
    origin,
    key,
    logId,
    logIdHex: logId.toString('hex'),
    validFor,
    get size() {
      return leaves.length;
    },
    append(body, opts = {}) {
      const bytes = Buffer.isBuffer(body) ? body : canonicalBody(body);
      const parsed = JSON.parse(bytes.toString('utf8')) as { kind?: unknown; apiVersion?: unknown };
      const treeIndex = leaves.length;
      leaves.push(leafHash(bytes));
      const integratedTime = unixSeconds(opts.integratedTime ?? DEFAULT_SIGNING_TIME);
      const logIndex = offset + treeIndex;
      const logIdHex = logId.toString('hex');
      const set = signEntryTimestamp({ body: bytes.toString('base64'), integratedTime, logIndex, logID: logIdHex });
      return { body: bytes, kind: String(parsed.kind), apiVersion: String(parsed.apiVersion), integratedTime, logIndex, treeIndex, logIdHex, set };
    },
    signEntryTimestamp,
    prove(entry) {
      const treeSize = leaves.length;
      const rootHash = treeHash(leaves);
      return { logIndex: entry.treeIndex, treeSize, rootHash, hashes: auditPath(leaves, entry.treeIndex), checkpoint: checkpoint(treeSize, rootHash) };
    },
  };
}
