/**
 * Executes a parsed template the way text/template's exec.go does, with GoReleaser's
 * `Option("missingkey=error")` (internal/tmpl/tmpl.go): a key that does not exist is an error.
 * A value the context does not know (an unset variable, no tag yet) is `Unknown`: printing it makes
 * the result unresolved, and a condition on it runs both branches only to collect what they miss.
 */
import type { Operand, Pipeline, TemplateError, TemplateNode } from './template-ast';
import { templateError } from './template-ast';
import type { CallEnv } from './template-functions';
import { FUNCTIONS, FunctionError } from './template-functions';
import type { Budget } from './template-limits';
import { LimitError, MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS } from './template-limits';
import { formatGoTime } from './go-time';
import type { ParsedTemplate } from './template-parser';
import type { Value } from './template-values';
import { EnvMap, RootData, Unknown, goString, goType, isMap, truth } from './template-values';

export type ExecResult =
  | { readonly ok: true; readonly value: string | null; readonly unresolved: readonly string[]; readonly preview?: string }
  | { readonly ok: false; readonly error: TemplateError };

class ExecError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}
class Break {}
class Continue {}

/** "No value passed from the previous pipeline stage" (Go's missingVal). */
const NONE = Symbol('none');
type Maybe = Value | typeof NONE;

export function execute(tpl: ParsedTemplate, env: CallEnv): ExecResult {
  const state = new State(env, [{ name: '$', value: env.root }], { steps: 0, chars: 0 });
  try {
    state.walk(tpl.nodes, env.root);
  } catch (e) {
    if (e instanceof ExecError || e instanceof LimitError) return { ok: false, error: templateError('exec', tpl.text, e.pos, e.message) };
    throw e;
  }
  if (!state.unresolved) return { ok: true, value: state.out.join(''), unresolved: [] };
  return { ok: true, value: null, unresolved: [...state.names], ...(state.preview ? { preview: state.preview.join('') } : {}) };
}

interface Var {
  readonly name: string;
  value: Value;
}

class State {
  readonly out: string[] = [];
  preview: string[] | undefined = [];
  readonly names = new Set<string>();
  unresolved = false;

  constructor(
    private readonly env: CallEnv,
    private readonly vars: Var[],
    private readonly budget: Budget,
  ) {}

  private step(pos: number): void {
    if (++this.budget.steps > MAX_TEMPLATE_STEPS) throw new LimitError(`the template takes more than ${MAX_TEMPLATE_STEPS} steps to render`, pos);
  }

  walk(nodes: readonly TemplateNode[], dot: Value): void {
    for (const node of nodes) {
      this.step(node.pos);
      switch (node.type) {
        case 'text':
          this.emit(node.text, node.pos);
          break;
        case 'action': {
          const v = this.pipeline(node.pipe, dot);
          if (node.pipe.decl.length === 0) this.print(v, node.pos);
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.vars.length;
          const v = this.pipeline(node.pipe, dot);
          if (v instanceof Unknown) {
            this.miss(v, false);
            this.speculate(node.list, node.type === 'with' ? v : dot);
            this.speculate(node.elseList, dot);
          } else if (truth(v)) this.walk(node.list, node.type === 'with' ? v : dot);
          else if (node.elseList) this.walk(node.elseList, dot);
          this.vars.length = mark;
          break;
        }
        case 'range':
          this.range(node, dot);
          break;
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
      }
    }
  }

  private range(node: Extract<TemplateNode, { type: 'if' | 'with' | 'range' }>, dot: Value): void {
    const mark = this.vars.length;
    const v = this.pipeline(node.pipe, dot);
    let entries: Iterable<[Value, Value]> = [];
    if (v instanceof Unknown) {
      this.miss(v, false);
      this.speculate(node.list, v);
      this.speculate(node.elseList, dot);
    } else if (Array.isArray(v)) entries = (v as Value[]).map((e, i): [Value, Value] => [i, e]);
    else if (isMap(v) || v instanceof EnvMap) {
      const m = v instanceof EnvMap ? v.known : v;
      entries = Object.keys(m)
        .sort()
        .map((k): [Value, Value] => [k, m[k]]);
    } else if (typeof v === 'number' && Number.isInteger(v)) entries = upTo(v);
    else if (v !== null && v !== undefined) throw new ExecError(`range can't iterate over ${goString(v)}`, node.pos);
    const decl = node.pipe.decl;
    let count = 0;
    for (const [key, elem] of entries) {
      count++;
      this.step(node.pos);
      if (decl.length === 1) this.setVar(decl[0]!, elem);
      if (decl.length === 2) {
        this.setVar(decl[0]!, key);
        this.setVar(decl[1]!, elem);
      }
      try {
        this.walk(node.list, elem);
      } catch (e) {
        if (e instanceof Break) break;
        if (!(e instanceof Continue)) throw e;
      }
    }
    if (count === 0 && !(v instanceof Unknown) && node.elseList) this.walk(node.elseList, dot);
    this.vars.length = mark;
  }

  /** Runs a branch that may or may not run, to learn which unknowns it needs; its output and errors are dropped. */
  private speculate(nodes: readonly TemplateNode[] | undefined, dot: Value): void {
    if (!nodes) return;
    const sub = new State(
      this.env,
      this.vars.map((v) => ({ ...v })),
      this.budget,
    );
    try {
      sub.walk(nodes, dot);
    } catch (e) {
      if (!(e instanceof ExecError || e instanceof Break || e instanceof Continue)) throw e;
    }
    for (const n of sub.names) this.names.add(n);
  }

  private emit(text: string, pos: number): void {
    this.budget.chars += text.length;
    if (this.budget.chars > MAX_TEMPLATE_OUTPUT) throw new LimitError(`the template renders more than ${MAX_TEMPLATE_OUTPUT} characters`, pos);
    this.out.push(text);
    this.preview?.push(text);
  }

  private miss(u: Unknown, printed: boolean): void {
    this.unresolved = true;
    for (const n of u.names) this.names.add(n);
    if (printed && u.preview !== undefined) this.preview?.push(u.preview);
    else this.preview = undefined;
  }

  private print(v: Maybe, pos: number): void {
    if (v instanceof Unknown) this.miss(v, true);
    else this.emit(goString(v === NONE ? undefined : v), pos);
  }

  private setVar(name: string, value: Value): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.vars.push({ name, value });
  }

  private lookupVar(name: string, pos: number): Value {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw new ExecError(`undefined variable: ${name}`, pos);
  }

  private pipeline(pipe: Pipeline, dot: Value): Value {
    let value: Maybe = NONE;
    for (const cmd of pipe.cmds) value = this.command(cmd.args, dot, value);
    const v = value === NONE ? undefined : value;
    for (const name of pipe.decl) {
      if (pipe.assign) this.setVar(name, v);
      else this.vars.push({ name, value: v });
    }
    return v;
  }

  private command(args: readonly Operand[], dot: Value, final: Maybe): Value {
    const [head, ...rest] = args as [Operand, ...Operand[]];
    switch (head.kind) {
      case 'field':
        return this.chain(dot, dot, head.names, rest, final, head.pos);
      case 'variable':
        return this.chain(dot, this.lookupVar(head.name, head.pos), head.names, rest, final, head.pos);
      case 'pipe':
        return this.chain(dot, this.pipeline(head.pipe, dot), head.names, rest, final, head.pos);
      case 'function':
        return this.call(head.name, head.pos, rest, dot, final);
      case 'nil':
        throw new ExecError('nil is not a command', head.pos);
      default:
        this.notAFunction(rest, final, head.pos);
        return this.arg(head, dot);
    }
  }

  private notAFunction(rest: readonly Operand[], final: Maybe, pos: number): void {
    if (rest.length > 0 || final !== NONE) throw new ExecError("can't give argument to non-function", pos);
  }

  private arg(node: Operand, dot: Value): Value {
    switch (node.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
      case 'number':
      case 'string':
        return node.value;
      case 'function':
        return this.call(node.name, node.pos, [], dot, NONE);
      default:
        return this.command([node], dot, NONE);
    }
  }

  /** `receiver.A.B …`; the last field may be a method taking the command's arguments. */
  private chain(dot: Value, receiver: Value, names: readonly string[], rest: readonly Operand[], final: Maybe, pos: number): Value {
    if (names.length === 0) {
      this.notAFunction(rest, final, pos);
      return receiver;
    }
    let v = receiver;
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      v = this.field(v, name, last ? rest : [], last ? final : NONE, pos, dot);
    });
    return v;
  }

  private field(v: Value, name: string, rest: readonly Operand[], final: Maybe, pos: number, dot: Value): Value {
    const hasArgs = rest.length > 0 || final !== NONE;
    if (v instanceof Unknown) return new Unknown(v.names);
    if (v instanceof Date) return this.timeMethod(v, name, [...rest.map((a) => this.arg(a, dot)), ...(final === NONE ? [] : [final])], pos);
    if (hasArgs) throw new ExecError(`${name} is not a method but has arguments`, pos);
    if (v instanceof RootData) {
      if (name === 'Env') return v.env;
      if (Object.hasOwn(v.fields, name)) return v.fields[name];
      if (v.names.has(name)) return new Unknown([`.${name}`], `<.${name}>`);
      throw new ExecError(`map has no entry for key "${name}"`, pos);
    }
    if (v instanceof EnvMap) {
      const e = v.get(name);
      if (e instanceof Unknown) return new Unknown(e.names, `<.Env.${name}>`);
      return e ?? new Unknown([`.Env.${name}`], `<.Env.${name}>`);
    }
    if (isMap(v)) {
      if (Object.hasOwn(v, name)) return v[name];
      throw new ExecError(`map has no entry for key "${name}"`, pos);
    }
    if (v === null || v === undefined) throw new ExecError(`nil pointer evaluating interface {}.${name}`, pos);
    throw new ExecError(`can't evaluate field ${name} in type ${goType(v)}`, pos);
  }

  /** The time.Time methods templates use: `.Now.Format "2006"`, `.Now.Unix`. */
  private timeMethod(t: Date, name: string, args: Value[], pos: number): Value {
    const want = name === 'Format' ? 1 : 0;
    if (!['Format', 'Unix', 'UTC', 'Year'].includes(name)) throw new ExecError(`can't evaluate field ${name} in type time.Time`, pos);
    if (args.length !== want) throw new ExecError(`wrong number of args for ${name}: want ${want} got ${args.length}`, pos);
    const u = Unknown.of(args);
    if (u) return u;
    if (name === 'Format') {
      if (typeof args[0] !== 'string') throw new ExecError(`wrong type for value; expected string; got ${goType(args[0])}`, pos);
      return formatGoTime(t, args[0]);
    }
    return name === 'Unix' ? Math.floor(t.getTime() / 1000) : name === 'Year' ? t.getUTCFullYear() : t;
  }

  private call(name: string, pos: number, rest: readonly Operand[], dot: Value, final: Maybe): Value {
    if (name === 'and' || name === 'or') {
      const count = rest.length + (final === NONE ? 0 : 1);
      if (count === 0) throw new ExecError(`wrong number of args for ${name}: want at least 1 got 0`, pos);
      let v: Value = undefined;
      // Go 1.18+: arguments are evaluated left to right and evaluation stops once the result is known.
      for (let i = 0; i < count; i++) {
        v = i < rest.length ? this.arg(rest[i]!, dot) : (final as Value);
        if (v instanceof Unknown) return v;
        if ((name === 'and') !== truth(v)) return v;
      }
      return v;
    }
    if (name === 'call') throw new ExecError('call is not supported in GoReleaser templates here', pos);
    const fn = FUNCTIONS[name]!;
    const args = rest.map((a) => this.arg(a, dot));
    if (final !== NONE) args.push(final);
    const [min, max] = typeof fn.arity === 'number' ? [fn.arity, fn.arity] : fn.arity;
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : args.length < min ? `at least ${min}` : `at most ${max}`;
      throw new ExecError(`wrong number of args for ${name}: want ${want} got ${args.length}`, pos);
    }
    const unknown = Unknown.of(args);
    if (unknown) return unknown;
    let result: Value;
    try {
      result = fn.call(args, this.env);
    } catch (e) {
      if (e instanceof FunctionError) throw new ExecError(e.bare ? e.message : `error calling ${name}: ${e.message}`, pos);
      // A string too long for the engine, a precision toFixed refuses: the arguments' fault.
      if (e instanceof RangeError) throw new LimitError(`error calling ${name}: ${e.message}`, pos);
      throw e;
    }
    if (typeof result === 'string' && result.length > MAX_TEMPLATE_OUTPUT)
      throw new LimitError(`error calling ${name}: the result is longer than ${MAX_TEMPLATE_OUTPUT} characters`, pos);
    return result;
  }
}

/** `range N` (Go 1.22+) without materialising N entries. */
function* upTo(n: number): Generator<[Value, Value]> {
  for (let i = 0; i < n; i++) yield [i, i];
}
