// What a test of an error path asserts first: the promise rejected with a LensError of that code.
import assert from 'node:assert/strict';
import { LensError } from '../../src/core/errors';

/** The LensError `p` rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<LensError> {
  let caught: unknown;
  await p.then(
    () => undefined,
    (e: unknown) => (caught = e),
  );
  assert.ok(caught instanceof LensError, `expected a LensError ${code}, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}
