// The log behind @sigstore/mock's Rekor handler, doing what the mock's own log does not:
// - Rekor stores the CANONICAL entry, not the proposed one. For `dsse` 0.0.1 the proposal
//   (`proposedContent: {envelope, verifiers}`) becomes `{envelopeHash, payloadHash, signatures}`;
//   for `intoto` 0.0.2 the payload is dropped; `hashedrekord` keeps its shape. The mock logs the
//   proposal as it came, which no verifier accepts as a dsse body.
//   https://github.com/sigstore/rekor/blob/main/pkg/types/dsse/v0.0.1/entry.go (Canonicalize)
//   https://github.com/sigstore/rekor/blob/main/pkg/types/intoto/v0.0.2/entry.go (Canonicalize)
// - Entries go into one growing tree (a mini-Sigstore TestLog) with real audit paths and signed
//   checkpoints, where the mock proves every entry as the only leaf of a tree of size 1.
// The response is Rekor's v1 API shape (`POST /api/v1/log/entries`, 201):
// https://github.com/sigstore/rekor/blob/main/openapi.yaml
import { createHash } from 'node:crypto';
import type { TLog } from '@sigstore/mock/dist/rekor';
import { hashedRekordBody } from '../sigstore/entries';
import type { RekorBody, TestLog } from '../sigstore/log';
import { leafHash } from '../sigstore/merkle';

const sha256 = (bytes: string | Buffer): { algorithm: string; value: string } => ({
  algorithm: 'sha256',
  value: createHash('sha256').update(bytes).digest('hex'),
});
const b64 = (text: string): Buffer => Buffer.from(text, 'base64');

type Json = Record<string, unknown>;
const obj = (v: unknown, what: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`proposed entry: ${what} is not an object`);
  return v as Json;
};
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new Error(`proposed entry: ${what} is not a string`);
  return v;
};

/** The canonical body Rekor would store for a proposed `dsse` 0.0.1, `intoto` 0.0.2 or `hashedrekord` 0.0.1 entry. */
export function canonicalRekorBody(proposed: Json): RekorBody {
  const kind = `${String(proposed.kind)}/${String(proposed.apiVersion)}`;
  const spec = obj(proposed.spec, 'spec');
  switch (kind) {
    case 'dsse/0.0.1': {
      const content = obj(spec.proposedContent, 'spec.proposedContent');
      // The envelope hash is over the envelope exactly as submitted.
      const envelopeText = str(content.envelope, 'spec.proposedContent.envelope');
      const envelope = obj(JSON.parse(envelopeText), 'the envelope');
      const verifiers = content.verifiers;
      if (!Array.isArray(verifiers) || verifiers.length !== 1) throw new Error('proposed entry: expected exactly one verifier');
      const signatures = envelope.signatures;
      if (!Array.isArray(signatures) || signatures.length !== 1) throw new Error('proposed entry: expected exactly one envelope signature');
      return {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: sha256(envelopeText),
          payloadHash: sha256(b64(str(envelope.payload, 'envelope payload'))),
          signatures: [{ signature: str(obj(signatures[0], 'signature').sig, 'signature sig'), verifier: str(verifiers[0], 'verifier') }],
        },
      };
    }
    case 'intoto/0.0.2': {
      const content = obj(spec.content, 'spec.content');
      const { payload: _payload, ...envelope } = obj(content.envelope, 'spec.content.envelope');
      return { apiVersion: '0.0.2', kind: 'intoto', spec: { content: { envelope, hash: content.hash, payloadHash: content.payloadHash } } };
    }
    case 'hashedrekord/0.0.1': {
      const hash = obj(obj(spec.data, 'spec.data').hash, 'spec.data.hash');
      const signature = obj(spec.signature, 'spec.signature');
      if (hash.algorithm !== 'sha256') throw new Error(`proposed entry: hash algorithm ${String(hash.algorithm)}`);
      const pem = b64(str(obj(signature.publicKey, 'publicKey').content, 'publicKey content')).toString('utf8');
      return hashedRekordBody(Buffer.from(str(hash.value, 'hash value'), 'hex'), b64(str(signature.content, 'signature content')), pem);
    }
    default:
      throw new Error(`proposed entry: kind ${kind} is not one this log canonicalises`);
  }
}

export interface RekorLog extends TLog {
  /** `kind/apiVersion` of each entry logged through the API, oldest first. */
  readonly logged: readonly string[];
}

/** A TLog for `rekorHandler` that canonicalises, appends to `log` and answers as Rekor v1 does. */
export function createRekorLog(log: TestLog, clock: () => Date = () => new Date()): RekorLog {
  const logged: string[] = [];
  return {
    publicKey: log.key.publicKeyDer,
    logged,
    async log(proposed: object) {
      const body = canonicalRekorBody(proposed as Json);
      const entry = log.append(body, { integratedTime: clock() });
      const proof = log.prove(entry);
      logged.push(`${entry.kind}/${entry.apiVersion}`);
      // Rekor's entry UUID: the leaf hash (after the tree ID on sharded logs).
      const uuid = leafHash(entry.body).toString('hex');
      return {
        [uuid]: {
          body: entry.body.toString('base64'),
          integratedTime: entry.integratedTime,
          logID: entry.logIdHex,
          logIndex: entry.logIndex,
          verification: {
            signedEntryTimestamp: entry.set.toString('base64'),
            inclusionProof: {
              logIndex: proof.logIndex,
              treeSize: proof.treeSize,
              rootHash: proof.rootHash.toString('hex'),
              hashes: proof.hashes.map((h) => h.toString('hex')),
              checkpoint: proof.checkpoint,
            },
          },
        },
      };
    },
  };
}
