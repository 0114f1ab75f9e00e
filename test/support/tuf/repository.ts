// A TUF repository made and signed here, for refresh tests without the internet: the
// layout Sigstore's repository uses (consistent snapshots, hash-prefixed targets), one
// ed25519 key per top-level role, threshold 1. The metadata model and canonical-JSON
// signing input are tuf-js's own (@tufjs/models, installed with @sigstore/tuf); the keys and
// signatures are node:crypto's. https://theupdateframework.github.io/specification/latest/#metadata-files
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Key, MetaFile, Metadata, Root, Signature, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';

type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';

interface RoleKey {
  key: Key;
  privateKey: KeyObject;
}

export interface PublishOptions {
  /** Sign timestamp.json with a key the root does not list, under the timestamp key's id. */
  badTimestampSignature?: boolean;
}

export interface TestTufRepository {
  /** root.json version 1: what a client is given to start from (`tufRootPath`). */
  readonly rootJson: Buffer;
  /** Everything served, by URL path below the repository URL (no leading slash). */
  readonly files: Map<string, Buffer>;
  /** The version of targets / snapshot / timestamp last published. */
  readonly version: number;
  /** Publishes `trustedRoot` as the `trusted_root.json` target in new targets, snapshot and timestamp metadata. */
  publish(trustedRoot: Buffer, options?: PublishOptions): void;
}

const YEAR_MS = 365 * 86_400_000;
const SPEC = { specVersion: '1.0.31' };
// TUF dates are whole seconds, "YYYY-MM-DDTHH:MM:SSZ".
const expiresIn = (ms: number): string => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function roleKey(): RoleKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString('hex');
  // The key id is the sha256 of the key's canonical JSON; this object's keys are already sorted.
  const json = { keytype: 'ed25519', keyval: { public: raw }, scheme: 'ed25519' };
  const keyID = createHash('sha256').update(JSON.stringify(json)).digest('hex');
  return { key: new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: raw } }), privateKey };
}

const signer =
  (keyID: string, privateKey: KeyObject) =>
  (data: Buffer): Signature =>
    new Signature({ keyID, sig: sign(null, data, privateKey).toString('hex') });

function serialise(md: Metadata<Root | Targets | Snapshot | Timestamp>): Buffer {
  return Buffer.from(JSON.stringify(md.toJSON(), null, 1));
}

export function createTufRepository(): TestTufRepository {
  const keys: Record<RoleName, RoleKey> = { root: roleKey(), targets: roleKey(), snapshot: roleKey(), timestamp: roleKey() };
  const root = new Root({ ...SPEC, version: 1, expires: expiresIn(YEAR_MS), consistentSnapshot: true });
  for (const role of Object.keys(keys) as RoleName[]) root.addKey(keys[role].key, role);
  const rootMd = new Metadata(root);
  rootMd.sign(signer(keys.root.key.keyID, keys.root.privateKey));
  const rootJson = serialise(rootMd);
  const files = new Map<string, Buffer>([['1.root.json', rootJson]]);
  let version = 0;

  const signed = <T extends Targets | Snapshot | Timestamp>(body: T, role: RoleName, privateKey = keys[role].privateKey): Buffer => {
    const md = new Metadata(body);
    md.sign(signer(keys[role].key.keyID, privateKey));
    return serialise(md);
  };

  return {
    rootJson,
    files,
    get version() {
      return version;
    },
    publish(trustedRoot, options = {}) {
      version += 1;
      const sha256 = createHash('sha256').update(trustedRoot).digest('hex');
      files.set(`targets/${sha256}.trusted_root.json`, trustedRoot);
      const targets = new Targets({ ...SPEC, version, expires: expiresIn(YEAR_MS), targets: {} });
      targets.addTarget(new TargetFile({ path: 'trusted_root.json', length: trustedRoot.length, hashes: { sha256 } }));
      files.set(`${version}.targets.json`, signed(targets, 'targets'));
      files.set(
        `${version}.snapshot.json`,
        signed(new Snapshot({ ...SPEC, version, expires: expiresIn(YEAR_MS), meta: { 'targets.json': new MetaFile({ version }) } }), 'snapshot'),
      );
      const stranger = options.badTimestampSignature ? generateKeyPairSync('ed25519').privateKey : undefined;
      files.set(
        'timestamp.json',
        signed(new Timestamp({ ...SPEC, version, expires: expiresIn(YEAR_MS), snapshotMeta: new MetaFile({ version }) }), 'timestamp', stranger),
      );
    },
  };
}
