import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';
import { realFixtureDir } from './real-fixtures';

/**
 * The sigstore-conformance `bundle-verify` cases vendored in test/fixtures/real (origin and
 * expected outcome of each in test/fixtures/real/SOURCES.md, format in the suite's README.md
 * there): one directory per case, `_fail` suffix when verification must fail, optional
 * `artifact`, `identity`, `issuer`, `key.pub`, `trusted_root.json`; defaults from the suite's
 * client protocol.
 */
export const conformanceDir = realFixtureDir('sigstore-bundles', 'conformance');

export const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
export const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

export interface ConformanceCase {
  name: string;
  dir: string;
  expect: 'pass' | 'fail';
  bundle: string;
  artifact: string;
  identity: string;
  issuer: string;
  key?: string;
  trustedRoot?: string;
}

export function conformanceCases(): ConformanceCase[] {
  return readdirSync(conformanceDir)
    .filter((name) => statSync(join(conformanceDir, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(conformanceDir, name);
      const file = (f: string) => (existsSync(join(dir, f)) ? join(dir, f) : undefined);
      const text = (f: string) => (file(f) !== undefined ? readFileSync(join(dir, f), 'utf8').trim() : undefined);
      const c: ConformanceCase = {
        name,
        dir,
        expect: name.endsWith('_fail') ? 'fail' : 'pass',
        bundle: join(dir, 'bundle.sigstore.json'),
        artifact: file('artifact') ?? join(conformanceDir, 'a.txt'),
        identity: text('identity') ?? DEFAULT_IDENTITY,
        issuer: text('issuer') ?? DEFAULT_ISSUER,
      };
      const key = file('key.pub');
      if (key !== undefined) c.key = key;
      const root = file('trusted_root.json');
      if (root !== undefined) c.trustedRoot = root;
      return c;
    });
}

/** `verify-blob` arguments for a case, as the conformance harness would pass them. */
export function verifyBlobArgs(c: ConformanceCase, artifact: 'file' | 'digest' = 'file'): string[] {
  const args = ['--bundle', c.bundle];
  if (c.key !== undefined) args.push('--key', c.key);
  else args.push('--certificate-identity', c.identity, '--certificate-oidc-issuer', c.issuer);
  if (c.trustedRoot !== undefined) args.push('--trusted-root', c.trustedRoot);
  args.push(artifact === 'file' ? c.artifact : `sha256:${createHash('sha256').update(readFileSync(c.artifact)).digest('hex')}`);
  return args;
}

/**
 * The same case through `@sigstore/verify` alone, used the way its own docs show
 * (exact SAN string as policy, the case's key for every hint): the baseline our extra
 * checks are measured against. Returns 'pass' or 'fail: <reason>'.
 */
export function rawLibraryOutcome(c: ConformanceCase): string {
  try {
    const bundle = bundleFromJSON(JSON.parse(readFileSync(c.bundle, 'utf8')));
    const rootJson: unknown = c.trustedRoot !== undefined ? JSON.parse(readFileSync(c.trustedRoot, 'utf8')) : undefined;
    const root = rootJson !== undefined ? TrustedRoot.fromJSON(rootJson) : embeddedTrustRoot().root;
    const key = c.key !== undefined ? createPublicKey(readFileSync(c.key)) : undefined;
    const material = toTrustMaterial(root, key ? () => ({ publicKey: key, validFor: () => true }) : undefined);
    const entity = toSignedEntity(bundle, readFileSync(c.artifact));
    new Verifier(material).verify(entity, key ? undefined : { subjectAlternativeName: c.identity, extensions: { issuer: c.issuer } });
    return 'pass';
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return `fail: ${code}`;
    return `fail: ${e instanceof Error ? `${e.name} (${e.message.slice(0, 40)})` : 'error'}`;
  }
}
