/**
 * Bounds on executing one template. GoReleaser would run `{{ range 100000000 }}` to the end; a
 * template from a cloned repository must not hang the editor or exhaust its memory, so going
 * past these is an exec error at the node that went over. Real image templates take a few dozen
 * steps and render a few hundred characters.
 */
export const MAX_TEMPLATE_STEPS = 1_000_000;
/** Characters rendered (output and dropped speculative output), and the longest value a function may return. */
export const MAX_TEMPLATE_OUTPUT = 1 << 20;

/** What one execution has used so far, shared with its speculative branches. */
export interface Budget {
  steps: number;
  chars: number;
}

/** Over a bound: unlike the executor's own errors, never swallowed by a speculative branch. */
export class LimitError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}
