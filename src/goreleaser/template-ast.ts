/**
 * The parse tree of a Go text/template, reduced to what GoReleaser templates use.
 * Shapes follow text/template/parse (https://pkg.go.dev/text/template/parse); every node keeps
 * `pos`, the offset of its first character in the template text, for error positions.
 */

/** An argument or the head of a command. */
export type Operand =
  /** `.A.B`: fields of dot. */
  | { readonly kind: 'field'; readonly pos: number; readonly names: readonly string[] }
  /** `.` */
  | { readonly kind: 'dot'; readonly pos: number }
  /** `$x.A.B`; `$` alone is the data the template was executed with. */
  | { readonly kind: 'variable'; readonly pos: number; readonly name: string; readonly names: readonly string[] }
  /** A function name (`tolower`, `eq`, …); defined ones only, checked when parsing. */
  | { readonly kind: 'function'; readonly pos: number; readonly name: string }
  | { readonly kind: 'string'; readonly pos: number; readonly value: string }
  | { readonly kind: 'number'; readonly pos: number; readonly value: number; readonly text: string }
  | { readonly kind: 'bool'; readonly pos: number; readonly value: boolean }
  | { readonly kind: 'nil'; readonly pos: number }
  /** `(pipeline).A.B` */
  | { readonly kind: 'pipe'; readonly pos: number; readonly pipe: Pipeline; readonly names: readonly string[] };

export interface Command {
  readonly pos: number;
  readonly args: readonly Operand[];
}

export interface Pipeline {
  readonly pos: number;
  /** Variables declared (`$x :=`) or assigned (`$x =`) by this pipeline. */
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly Command[];
}

export type TemplateNode =
  | { readonly type: 'text'; readonly pos: number; readonly text: string }
  | { readonly type: 'action'; readonly pos: number; readonly pipe: Pipeline }
  | {
      readonly type: 'if' | 'with' | 'range';
      readonly pos: number;
      readonly pipe: Pipeline;
      readonly list: readonly TemplateNode[];
      readonly elseList?: readonly TemplateNode[];
    }
  | { readonly type: 'break' | 'continue'; readonly pos: number };

/** Where a template could not be parsed or executed. Line and column are 1-based, within the template text. */
export interface TemplateError {
  readonly kind: 'syntax' | 'exec';
  readonly message: string;
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Line and column (1-based) of `offset` in `text`. */
export function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

export function templateError(kind: TemplateError['kind'], text: string, offset: number, message: string): TemplateError {
  return { kind, message, offset, ...positionIn(text, offset) };
}
