import { parseBoundedJson } from '../../claims/json';
import { heldContentLimits } from '../../claims/limits';
import { isSlsaProvenance } from '../../provenance/summary';
import type { CheckCode } from '../checks';
import type { ImageCheck } from './image-checks';
import type { SlsaExpectations } from '../policy';
import { slsaChecks } from './slsa-checks';

/**
 * The policy's SLSA expectations applied to a VERIFIED provenance attestation: does the signed
 * statement say it was built by an allowed builder from the expected repository, ref and commit
 * (slsa-checks.ts)? The checks for what the policy states are required: a contradiction fails,
 * and a provenance silent about a stated expectation (`warn`) does not verify it either.
 */
export function slsaPolicyChecks(
  payload: Uint8Array,
  predicateType: string | undefined,
  expected: SlsaExpectations | undefined,
): { checks: ImageCheck[]; required: CheckCode[] } {
  if (expected === undefined || !isSlsaProvenance(predicateType)) return { checks: [], required: [] };
  let statement: unknown;
  try {
    statement = parseBoundedJson(payload, heldContentLimits(payload.byteLength), 'DSSE payload');
  } catch {
    statement = undefined; // slsaChecks reports it as SLSA_FORMAT
  }
  const required: CheckCode[] = ['SLSA_FORMAT'];
  if ((expected.builderIds ?? []).length > 0) required.push('SLSA_BUILDER');
  if (expected.sourceRepository !== undefined) required.push('SLSA_SOURCE_REPOSITORY');
  if (expected.sourceRef !== undefined) required.push('SLSA_SOURCE_REF');
  if (expected.sourceCommit !== undefined) required.push('SLSA_SOURCE_COMMIT');
  if (expected.requireKnownBuildType === true) required.push('SLSA_BUILD_TYPE');
  return { checks: slsaChecks(statement, expected), required };
}
