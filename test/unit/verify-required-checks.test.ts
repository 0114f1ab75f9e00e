import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allRequiredPass } from '../../src/verify/checks';
import type { ImageCheck } from '../../src/verify/image/image-checks';

// One rule decides "every required check passed" for a bundle (verify-blob.ts) and for the image
// checks beside it (verify-artifact.ts: SUBJECT, CLAIMS, SLSA_*): no failure anywhere, and each
// required code present with a pass and no warn; an info note beside a pass does not weaken it.
const c = (code: ImageCheck['code'], status: ImageCheck['status']): ImageCheck => ({ code, status, message: `${code} ${status}` });

test('required checks: present and passing, no warn beside them, nothing failing', () => {
  assert.equal(allRequiredPass([c('SIGNATURE', 'pass'), c('SUBJECT', 'pass'), c('SUBJECT', 'info')], ['SIGNATURE', 'SUBJECT']), true);
  assert.equal(allRequiredPass([c('SIGNATURE', 'pass')], ['SIGNATURE', 'SUBJECT']), false, 'a required check that never ran');
  assert.equal(
    allRequiredPass([c('SIGNATURE', 'pass'), c('SLSA_SOURCE_REF', 'pass'), c('SLSA_SOURCE_REF', 'warn')], ['SLSA_SOURCE_REF']),
    false,
    'a warn beside the pass',
  );
  assert.equal(allRequiredPass([c('SIGNATURE', 'pass'), c('GITHUB_CLAIMS', 'fail')], ['SIGNATURE']), false, 'a failure outside the required ones');
  assert.equal(allRequiredPass([c('SLSA_BUILDER', 'info')], []), true, 'nothing required, nothing failed');
});
