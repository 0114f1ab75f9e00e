// Running fast-check properties inside node:test: a fixed seed per property (so a run is
// reproducible and CI never flakes on a new random draw), a bounded number of runs (so each
// file stays well under 20 s on a loaded 2-core machine), and on failure a message that says
// how to replay the counterexample. FC_SEED / FC_RUNS override for local exploration:
//   FC_SEED=123 FC_RUNS=20000 node --test out/test/unit/property-reference.test.js
import fc from 'fast-check';

export interface PropertyRun {
  /** The seed this property always starts from (unless FC_SEED says otherwise). */
  seed: number;
  numRuns: number;
}

const envNumber = (name: string): number | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v);
};

/** The seed and run count for one property: its own fixed values, or the environment's. */
export function runFor(seed: number, numRuns: number): PropertyRun {
  return { seed: envNumber('FC_SEED') ?? seed, numRuns: envNumber('FC_RUNS') ?? numRuns };
}

/**
 * `fc.assert` with a fixed seed. fast-check's own report (counterexample, seed, path) is kept
 * whole and prefixed with a replay line, so a failure in CI can be reproduced locally.
 */
export function holds<Ts>(name: string, run: PropertyRun, property: fc.IProperty<Ts>): void {
  // A synchronous property gives synchronous details.
  const details = fc.check(property, { seed: run.seed, numRuns: run.numRuns }) as fc.RunDetails<Ts>;
  if (!details.failed) return;
  const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` (path ${details.counterexamplePath})` : ''}`;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`Property "${name}" failed (seed ${details.seed}, replay with ${replay}).\n${fc.defaultReportMessage(details)}\nError: ${cause}`);
}

/** `holds` for an asynchronous property (one that runs processes or reads files). */
export async function holdsAsync<Ts>(name: string, run: PropertyRun, property: fc.IAsyncProperty<Ts>): Promise<void> {
  const details = await fc.check(property, { seed: run.seed, numRuns: run.numRuns });
  if (!details.failed) return;
  const replay = `FC_SEED=${details.seed}${details.counterexamplePath ? ` (path ${details.counterexamplePath})` : ''}`;
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error(`Property "${name}" failed (seed ${details.seed}, replay with ${replay}).\n${fc.defaultReportMessage(details)}\nError: ${cause}`);
}
