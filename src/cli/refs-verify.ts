import { Semaphore } from '../core/abort';
import { LensError, describeError, isLensError } from '../core/errors';
import { secrets } from '../core/redact';
import { checkReference } from '../references/positions';
import type { ReferenceSite } from '../references/types';
import type { RegistryClient } from '../registry/client';
import { buildGraph } from '../registry/graph';
import { openReference } from '../registry/open';
import { parseReference } from '../registry/reference';
import type { ImagePolicy, PolicyFile } from '../verify/policy';
import { policyCovers } from '../releases/policy-coverage';
import { verifyImage } from '../verify';
import type { PolicyFlagValues } from './policy-flags';
import { policyFromFlags, readPolicyFile } from './policy-flags';
import type { SiteVerdict } from './refs-output';
import type { TrustLoadOptions } from './trust-options';
import { cliSession } from './session';
import type { VerificationSession } from '../verify';

/**
 * `refs --verify`: each reference's verdict, through the engine and policy of `verify` (the same
 * flags, the same policy file reading, verifyImage). An image the policy says nothing about (no
 * entry of the policy file matches it, and no flag pins a signer for every image:
 * src/releases/policy-coverage.ts) is `no-policy`: a third-party base image is not the
 * maintainer's to sign, and is never fetched. Each image is
 * verified once per run however many files name it, at most IMAGE_CONCURRENCY at a time.
 */
export type RefsVerifyValues = PolicyFlagValues & { policy?: string; 'signature-repository'?: string };

/** Images verified at once; the registry client bounds requests per host underneath. */
const IMAGE_CONCURRENCY = 4;

export class RefsVerifier {
  private readonly slots = new Semaphore(IMAGE_CONCURRENCY);
  private readonly verdicts = new Map<string, Promise<SiteVerdict>>();
  private readonly session: VerificationSession;

  private constructor(
    private readonly values: RefsVerifyValues,
    policyFile: PolicyFile | undefined,
    private readonly client: RegistryClient,
    private readonly signal: AbortSignal,
    trustLoad: TrustLoadOptions,
  ) {
    this.session = cliSession(values, policyFile, trustLoad);
  }

  /** Reads the policy file and checks the flags before any file is read: a usage error is one at once. */
  static async create(
    values: RefsVerifyValues,
    warn: (line: string) => void,
    client: RegistryClient,
    signal: AbortSignal,
    trustLoad: TrustLoadOptions,
  ): Promise<RefsVerifier> {
    const pins =
      [values['certificate-identity'], values['certificate-identity-regexp'], values.owner, values.repo].some((v) => v !== undefined) ||
      (values.key?.length ?? 0) > 0;
    if (values.policy === undefined && !pins) {
      throw new LensError(
        'USAGE',
        'refs --verify needs a policy: --policy .provenance-lens.yaml (its image entries say which references are verified, and against what), or a signer for every image (--certificate-identity, --key, --owner or --repo). Without one, no image has a policy.',
      );
    }
    const policyFile = values.policy === undefined ? undefined : await readPolicyFile(values.policy, warn);
    await policyFromFlags(values);
    return new RefsVerifier(values, policyFile, client, signal, trustLoad);
  }

  /** The verdict of one reference as written: verified once per image, `no-policy` or not checked without a request. */
  verdict(site: ReferenceSite): Promise<SiteVerdict> {
    if (site.reference === null || site.unresolved?.length) {
      const needs = site.unresolved?.length ? site.unresolved.join(', ') : 'a value that cannot be known';
      return Promise.resolve({ state: 'not-checked', error: { code: 'UNRESOLVED', message: `needs ${needs}` } });
    }
    const checked = checkReference(site.reference);
    if (!checked.ok) return Promise.resolve({ state: 'not-checked', error: { code: 'REFERENCE_INVALID', message: checked.message } });
    let known = this.verdicts.get(checked.normalized);
    if (known === undefined) {
      known = this.check(checked.normalized);
      this.verdicts.set(checked.normalized, known);
    }
    return known;
  }

  /** The image's policy (the file's entry, under the flags); `no-policy` without a request when it says nothing. */
  private async check(reference: string): Promise<SiteVerdict> {
    let policy: ImagePolicy;
    try {
      policy = await this.session.policyFor(reference);
    } catch (e) {
      return { state: 'not-checked', error: { code: isLensError(e) ? e.code : 'INTERNAL', message: secrets.scrub(describeError(e)) } };
    }
    return policyCovers(policy) ? this.slots.run(() => this.verify(reference, policy)) : { state: 'no-policy' };
  }

  private async verify(reference: string, policy: ImagePolicy): Promise<SiteVerdict> {
    try {
      const trustRoot = await this.session.trustRoot(policy);
      const { source, target } = openReference(parseReference(reference), this.client);
      const signatureRepository = this.values['signature-repository'];
      const graph = await buildGraph(source, target, { signal: this.signal, signatureRepository });
      const { verdict } = await verifyImage(source, graph, { policy, trustRoot, signal: this.signal, signatureRepository });
      return {
        state: verdict.state,
        digest: graph.digest,
        coverage: verdict.coverage,
        causes: verdict.causes,
        ...(policy.matchedPattern !== undefined ? { policyEntry: policy.matchedPattern } : {}),
      };
    } catch (e) {
      if (this.signal.aborted) throw e;
      return { state: 'not-checked', error: { code: isLensError(e) ? e.code : 'INTERNAL', message: secrets.scrub(describeError(e)) } };
    }
  }
}
