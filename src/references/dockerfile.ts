/**
 * Image references of a Dockerfile or Containerfile, parsed with dockerfile-ast (the parser of the
 * Docker language server: continuation lines, heredocs, `# escape=`, flags and their options):
 *
 * - `# syntax=<image>`: the frontend image BuildKit pulls (https://docs.docker.com/reference/dockerfile/#syntax);
 * - `FROM [--platform=…] <image> [AS name]`, with the ARGs declared before the first FROM
 *   (https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact);
 * - `COPY --from=<image>` and `RUN --mount=…,from=<image>`, with the stage's ARG and ENV values.
 *
 * `scratch`, and a name of an EARLIER stage, are not images: a stage can only name stages defined
 * before it, so `FROM ${IMG:-builder} AS builder` pulls the image `builder`. A name with unknown
 * variables that matches an earlier stage with the variables as wildcards (`binaries-$TARGETOS`)
 * is a stage; `COPY --from=0` names a stage by index.
 */
import type { Flag, Instruction } from 'dockerfile-ast';
import { Arg, Copy, DockerfileParser, Env, From, Run } from 'dockerfile-ast';
import { maskUnusedInstructions } from './dockerfile-mask';
import type { LineIndex } from './positions';
import { site } from './positions';
import type { ReferenceSite } from './types';
import type { EscapeRule, Expansion } from './variables';
import { HOLE, expand, wildcardPattern } from './variables';

type Scope = Map<string, string | undefined>;

interface Range0 {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
}

class DockerfileReader {
  readonly sites: ReferenceSite[] = [];
  private readonly global: Scope = new Map();
  private stage: Scope = new Map();
  private readonly stages: string[] = [];
  private seenFrom = false;

  constructor(
    private readonly lines: LineIndex,
    private readonly escape: EscapeRule,
  ) {}

  private offsets(r: Range0): { start: number; end: number } {
    return { start: this.lines.offsetOf(r.start.line, r.start.character), end: this.lines.offsetOf(r.end.line, r.end.character) };
  }

  private expandIn(scope: Scope, text: string): Expansion {
    return expand(text, (name) => scope.get(name), this.escape);
  }

  /**
   * Whether a name is one of the stages defined so far, its unknown parts as wildcards; a name that
   * is nothing but unknowns (`$BASE_IMAGE`) is an image, whatever it may become.
   */
  private isStage(e: Expansion): boolean {
    if (e.value !== null) return this.stages.includes(e.value.toLowerCase());
    if (e.pattern.split(HOLE).join('') === '') return false;
    const pattern = wildcardPattern(e.pattern);
    return this.stages.some((s) => pattern.test(s));
  }

  declare(scope: Scope, instruction: Arg | Env): void {
    for (const p of instruction.getProperties()) {
      const name = p.getName();
      const value = p.getValue();
      if (value === null) {
        // `ARG X` in a stage brings in the global default; an ARG with neither is unknown.
        if (instruction instanceof Arg) scope.set(name, scope === this.global ? undefined : this.global.get(name));
        continue;
      }
      scope.set(name, this.expandIn(scope, value).value ?? undefined);
    }
  }

  from(f: From): void {
    this.seenFrom = true;
    this.stage = new Map();
    const image = f.getImage();
    const range = f.getImageRange();
    const stageName = f.getBuildStage();
    if (image !== null && range !== null && image.toLowerCase() !== 'scratch') {
      const e = this.expandIn(this.global, image);
      if (!this.isStage(e) && e.value?.toLowerCase() !== 'scratch') {
        const flag = f.getPlatformFlag();
        const platform = flag?.getValue() ?? undefined;
        const p = platform === undefined ? undefined : (this.expandIn(this.global, platform).value ?? platform);
        this.sites.push(
          site(this.lines, {
            reference: e.value,
            raw: image,
            ...this.offsets(range),
            via: 'FROM',
            unresolved: e.unresolved,
            ...(p !== undefined ? { platform: p } : {}),
          }),
        );
      }
    }
    // Named after the image is read: the stage being defined is not an "earlier" one.
    if (stageName) this.stages.push(stageName.toLowerCase());
  }

  /** `COPY --from` and `RUN --mount=…,from=`: a stage (by name or index) or an image. */
  fromValue(value: string, range: Range0, via: string): void {
    if (/^\d+$/.test(value)) return;
    const e = this.expandIn(this.stage, value);
    if (this.isStage(e)) return;
    this.sites.push(site(this.lines, { reference: e.value, raw: value, ...this.offsets(range), via, unresolved: e.unresolved }));
  }

  instruction(i: Instruction): void {
    if (i instanceof Arg) return this.declare(this.seenFrom ? this.stage : this.global, i);
    if (i instanceof Env) return this.declare(this.stage, i);
    if (i instanceof From) return this.from(i);
    if (i instanceof Copy) {
      // getFromFlag() answers only when --from is the one flag; `COPY --link --from=…` is common.
      const flag = i.getFlags().find((f: Flag) => f.getName() === 'from');
      const value = flag?.getValue();
      const range = flag?.getValueRange();
      if (value && range) this.fromValue(value, range, 'COPY --from');
      return;
    }
    if (i instanceof Run) {
      for (const flag of i.getFlags().filter((f: Flag) => f.getName() === 'mount')) {
        const option = flag.getOption('from');
        const value = option?.getValue();
        const range = option?.getValueRange();
        if (value && range) this.fromValue(value, range, 'RUN --mount');
      }
    }
  }
}

/** `mask: false` parses every instruction as written (tests compare both ways). */
export function dockerfileReferences(text: string, lines: LineIndex, options: { mask?: boolean } = {}): ReferenceSite[] {
  // Same length, same positions; only instructions that cannot name an image are made cheap (dockerfile-mask.ts).
  const dockerfile = DockerfileParser.parse(options.mask === false ? text : maskUnusedInstructions(text));
  const escapeChar = dockerfile.getEscapeCharacter();
  const reader = new DockerfileReader(lines, { kind: 'char', char: escapeChar });
  for (const d of dockerfile.getDirectives()) {
    if (d.getName().toLowerCase() !== 'syntax') continue;
    const r = d.getValueRange();
    const start = lines.offsetOf(r.start.line, r.start.character);
    const value = d.getValue();
    reader.sites.push(site(lines, { reference: value, raw: value, start, end: lines.offsetOf(r.end.line, r.end.character), via: '# syntax' }));
  }
  for (const i of dockerfile.getInstructions()) reader.instruction(i);
  return reader.sites;
}
