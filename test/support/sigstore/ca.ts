// A Fulcio-like certificate authority for tests: a root and an intermediate (P-384, as
// Fulcio's), issuing short-lived P-256 code-signing leaves that carry Fulcio's extensions.
// node:crypto cannot write X.509, so certificates come from the system `openssl ca` (the only
// openssl 3.0 command that takes arbitrary notBefore/notAfter, needed for expired leaves).
// Private keys live in a private temp dir removed by dispose() or at process exit.
// Extensions: https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SubjectAlternativeName } from './der';
import { sanValue } from './der';
import type { GithubClaims, RawExtension } from './fulcio-extensions';
import { leafExtensionSection } from './fulcio-extensions';
import type { SigningKey } from './keys';
import { createSigningKey } from './keys';

const execFileAsync = promisify(execFile);

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** When generated material is signed unless a test says otherwise: fixed, so evidence is stable. */
export const DEFAULT_SIGNING_TIME = new Date('2025-01-02T03:04:05Z');
/** Fulcio certificates live ten minutes. */
export const LEAF_LIFETIME_MS = 10 * 60_000;

export type { GithubClaims, RawExtension } from './fulcio-extensions';
export { fulcioOid } from './fulcio-extensions';

export interface CertificateMaterial {
  readonly pem: string;
  readonly der: Buffer;
}

export interface LeafOptions {
  san: SubjectAlternativeName;
  /** OIDC issuer; default GitHub Actions'. */
  issuer?: string;
  /** Which issuer extensions: Fulcio writes both 1.1 (raw) and 1.8 (UTF8String); old leaves only 1.1. */
  issuerExtensions?: 'both' | 'v1' | 'v2' | 'none';
  github?: GithubClaims;
  /** Default DEFAULT_SIGNING_TIME; notAfter defaults to ten minutes later. */
  notBefore?: Date;
  notAfter?: Date;
  /** Reuse a key (e.g. two certificates for one key); default a fresh P-256 key. */
  key?: SigningKey;
  extraExtensions?: readonly RawExtension[];
  /** openssl `extendedKeyUsage` value (default `codeSigning`, as Fulcio); null leaves the extension out. */
  extendedKeyUsage?: string | null;
}

/** A signer holding a leaf certificate: what a keyless `cosign sign` has for ten minutes. */
export interface SigningIdentity extends SigningKey {
  readonly certificate: CertificateMaterial;
  /** Intermediate then root, as cosign writes `dev.sigstore.cosign/chain` (no trailing newline). */
  readonly chainPem: string;
  readonly identity: string;
  readonly issuer: string | undefined;
  readonly github: GithubClaims;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The issuing CA's URI. */
  readonly authority: string;
  /** What the leaf was issued from (without the key), to re-issue it with one thing changed. */
  readonly leaf: Omit<LeafOptions, 'key'>;
}

export interface CaOptions {
  /** Common name prefix; default `provenance-lens-test`. */
  name?: string;
  organization?: string;
  uri?: string;
  validFrom?: Date;
  validTo?: Date;
  /** The intermediate's openssl `extendedKeyUsage` value (default `codeSigning`, as Fulcio's); null leaves it out. */
  intermediateExtendedKeyUsage?: string | null;
}

export interface TestCertificateAuthority {
  readonly uri: string;
  readonly organization: string;
  readonly commonName: string;
  readonly root: CertificateMaterial;
  readonly intermediate: CertificateMaterial;
  readonly chainPem: string;
  readonly validFor: { readonly start: Date; readonly end: Date };
  issue(options: LeafOptions): Promise<SigningIdentity>;
  dispose(): Promise<void>;
}

const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = issued
default_md = sha384
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
# Random 159-bit serials, as Fulcio's; no serial file to keep.
rand_serial = yes
[ policy_any ]
organizationName = optional
commonName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
[ root ]
basicConstraints = critical,CA:TRUE,pathlen:1
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ intermediate ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd: dir });
  } catch (err) {
    // openssl's stderr holds diagnostics only, never key material.
    throw new Error(`openssl ${args[0]} failed: ${((err as { stderr?: string }).stderr ?? String(err)).trim()}`);
  }
}

/** `openssl ca -startdate` format (GeneralizedTime; openssl stores UTCTime before 2050). */
const opensslTime = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

function material(pem: string): CertificateMaterial {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem)?.[0];
  if (block === undefined) throw new Error('openssl wrote no certificate');
  return { pem: block.endsWith('\n') ? block : `${block}\n`, der: new X509Certificate(block).raw };
}

function withoutKey(leaf: LeafOptions): Omit<LeafOptions, 'key'> {
  const { key: _key, ...rest } = leaf;
  return rest;
}

const cleanups = new Set<string>();
process.once('exit', () => cleanups.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A root + intermediate CA in its own temp dir. Issue leaves with `issue()`; `dispose()` when done. */
export async function createTestCA(options: CaOptions = {}): Promise<TestCertificateAuthority> {
  const name = options.name ?? 'provenance-lens-test';
  const organization = options.organization ?? 'provenance-lens.test';
  const uri = options.uri ?? `https://fulcio.${name}.provenance-lens.test`;
  const start = options.validFrom ?? new Date('2024-01-01T00:00:00Z');
  const end = options.validTo ?? new Date('2035-01-01T00:00:00Z');
  const dir = await mkdtemp(join(tmpdir(), 'pl-test-ca-'));
  cleanups.add(dir);
  const eku = options.intermediateExtendedKeyUsage === undefined ? 'codeSigning' : options.intermediateExtendedKeyUsage;
  await writeFile(join(dir, 'ca.cnf'), CA_CONFIG.replace('extendedKeyUsage = codeSigning\n', eku === null ? '' : `extendedKeyUsage = ${eku}\n`));
  await writeFile(join(dir, 'index.txt'), '');
  await mkdir(join(dir, 'issued'), { mode: 0o700 });
  const writeKey = (file: string, key: SigningKey): Promise<void> =>
    writeFile(join(dir, file), key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const dates = ['-startdate', opensslTime(start), '-enddate', opensslTime(end)];
  const ca = ['ca', '-batch', '-config', 'ca.cnf', '-notext'];

  await writeKey('root.key', createSigningKey('P-384'));
  await openssl(dir, ['req', '-new', '-config', 'ca.cnf', '-key', 'root.key', '-subj', `/O=${organization}/CN=${name}`, '-out', 'root.csr']);
  await openssl(dir, [...ca, '-selfsign', '-keyfile', 'root.key', '-in', 'root.csr', ...dates, '-extensions', 'root', '-out', 'root.pem']);
  await writeKey('intermediate.key', createSigningKey('P-384'));
  await openssl(dir, [
    'req',
    '-new',
    '-config',
    'ca.cnf',
    '-key',
    'intermediate.key',
    '-subj',
    `/O=${organization}/CN=${name}-intermediate`,
    '-out',
    'intermediate.csr',
  ]);
  await openssl(dir, [
    ...ca,
    '-cert',
    'root.pem',
    '-keyfile',
    'root.key',
    '-in',
    'intermediate.csr',
    ...dates,
    '-extensions',
    'intermediate',
    '-out',
    'intermediate.pem',
  ]);
  const root = material(await readFile(join(dir, 'root.pem'), 'utf8'));
  const intermediate = material(await readFile(join(dir, 'intermediate.pem'), 'utf8'));
  const chainPem = `${intermediate.pem}${root.pem}`.trimEnd();

  // openssl ca keeps a database: one issuance at a time.
  let queue: Promise<unknown> = Promise.resolve();
  let counter = 0;
  const issueNow = async (leaf: LeafOptions): Promise<SigningIdentity> => {
    const n = ++counter;
    const key = leaf.key ?? createSigningKey('P-256');
    const notBefore = leaf.notBefore ?? DEFAULT_SIGNING_TIME;
    const notAfter = leaf.notAfter ?? new Date(notBefore.getTime() + LEAF_LIFETIME_MS);
    await writeKey(`leaf-${n}.key`, key);
    await writeFile(join(dir, `leaf-${n}.cnf`), leafExtensionSection({ ...leaf, issuer: leaf.issuer ?? GITHUB_ISSUER }));
    try {
      await openssl(dir, ['req', '-new', '-config', 'ca.cnf', '-key', `leaf-${n}.key`, '-subj', '/', '-out', `leaf-${n}.csr`]);
      await openssl(dir, [
        ...ca,
        '-cert',
        'intermediate.pem',
        '-keyfile',
        'intermediate.key',
        '-md',
        'sha384',
        '-in',
        `leaf-${n}.csr`,
        '-startdate',
        opensslTime(notBefore),
        '-enddate',
        opensslTime(notAfter),
        '-extfile',
        `leaf-${n}.cnf`,
        '-extensions',
        'leaf',
        '-out',
        `leaf-${n}.pem`,
      ]);
    } finally {
      await rm(join(dir, `leaf-${n}.key`), { force: true });
    }
    const certificate = material(await readFile(join(dir, `leaf-${n}.pem`), 'utf8'));
    const which = leaf.issuerExtensions ?? 'both';
    return {
      ...key,
      certificate,
      chainPem,
      identity: sanValue(leaf.san),
      issuer: which === 'none' ? undefined : (leaf.issuer ?? GITHUB_ISSUER),
      github: { ...leaf.github },
      notBefore,
      notAfter,
      authority: uri,
      leaf: withoutKey(leaf),
    };
  };
  return {
    uri,
    organization,
    commonName: name,
    root,
    intermediate,
    chainPem,
    validFor: { start, end },
    issue(leaf) {
      const next = queue.then(() => issueNow(leaf));
      queue = next.catch(() => undefined);
      return next;
    },
    async dispose() {
      cleanups.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface GithubWorkflowOptions {
  /** `org/repo` the workflow runs in. */
  repository: string;
  workflowPath?: string;
  /** `refs/tags/v1.0.0` by default. */
  ref?: string;
  sha?: string;
  trigger?: string;
  workflowName?: string;
  runId?: string;
  /**
   * A reusable workflow that signs (slsa-github-generator): the SAN and build signer name
   * it, while source repository claims name the caller.
   */
  signer?: { repository: string; workflowPath: string; ref: string };
  notBefore?: Date;
  notAfter?: Date;
  key?: SigningKey;
}

/** Leaf options exactly as Fulcio issues them to a GitHub Actions workflow run. */
export function githubWorkflowLeaf(o: GithubWorkflowOptions): LeafOptions {
  const ref = o.ref ?? 'refs/tags/v1.0.0';
  const sha = o.sha ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const trigger = o.trigger ?? 'push';
  const path = o.workflowPath ?? '.github/workflows/release.yml';
  const workflowUri = `https://github.com/${o.repository}/${path}@${ref}`;
  const signerUri = o.signer ? `https://github.com/${o.signer.repository}/${o.signer.workflowPath}@${o.signer.ref}` : workflowUri;
  const owner = o.repository.split('/')[0] ?? o.repository;
  const leaf: LeafOptions = {
    san: { uri: signerUri },
    issuer: GITHUB_ISSUER,
    github: {
      workflowTrigger: trigger,
      workflowSha: sha,
      workflowName: o.workflowName ?? 'Release',
      workflowRepository: o.repository,
      workflowRef: ref,
      buildSignerUri: signerUri,
      buildSignerDigest: sha,
      runnerEnvironment: 'github-hosted',
      sourceRepositoryUri: `https://github.com/${o.repository}`,
      sourceRepositoryDigest: sha,
      sourceRepositoryRef: ref,
      sourceRepositoryIdentifier: '123456789',
      sourceRepositoryOwnerUri: `https://github.com/${owner}`,
      sourceRepositoryOwnerIdentifier: '987654321',
      buildConfigUri: workflowUri,
      buildConfigDigest: sha,
      buildTrigger: trigger,
      runInvocationUri: `https://github.com/${o.repository}/actions/runs/${o.runId ?? '1234567890'}/attempts/1`,
      sourceRepositoryVisibilityAtSigning: 'public',
    },
  };
  if (o.notBefore) leaf.notBefore = o.notBefore;
  if (o.notAfter) leaf.notAfter = o.notAfter;
  if (o.key) leaf.key = o.key;
  return leaf;
}
