/**
 * Markdown for editor hovers over a .goreleaser.yaml, built as a string so the escaping is
 * testable without an editor. Everything that comes from the file or a registry (templates,
 * references, digests, platforms, sentences with registry messages in them) passes through
 * `escapeMarkdown` or `codeSpan`; the only links are the ones `commandLink` makes from our own
 * command ids, and the edge trusts exactly those ids (MarkdownString.isTrusted.enabledCommands).
 * CommonMark: any ASCII punctuation may be backslash-escaped (spec 2.4), and code span content is
 * literal (spec 6.1), so neither can start a link, an autolink, emphasis or inline HTML.
 */
import { replaceInvisible } from '../core/invisible';

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Longest text shown for one value; a registry can send megabytes. */
export const MAX_VALUE_LENGTH = 400;

/**
 * Plain text safe to show: invisible and direction-changing characters become U+FFFD (visible, so a
 * reference that hides something looks wrong instead of looking right), line breaks become spaces,
 * and the text is cut at `max` characters.
 */
export function visibleText(text: string, max = MAX_VALUE_LENGTH): string {
  const clean = replaceInvisible(text.replace(/\r\n?|\n|\t/g, ' '), '\ufffd');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Every ASCII punctuation escaped, so nothing becomes markup, HTML or a link; the text is taken as it is. */
export function escapePunctuation(text: string): string {
  return text.replace(ASCII_PUNCTUATION, (c) => `\\${c}`);
}

/** Text that renders as itself: visible (visibleText), cut at `max`, every ASCII punctuation escaped. */
export function escapeMarkdown(text: string, max = MAX_VALUE_LENGTH): string {
  return escapePunctuation(visibleText(text, max));
}

/** Text as inline code: a backtick fence longer than any run inside, padded when it starts or ends with one. */
export function codeSpan(text: string, max = MAX_VALUE_LENGTH): string {
  const value = visibleText(text, max);
  if (value === '') return '` `';
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || (value.startsWith(' ') && value.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** A link that runs one of our commands with JSON arguments (the title is escaped, the arguments URI-encoded). */
export function commandLink(title: string, command: string, args: readonly unknown[] = []): string {
  if (!/^[A-Za-z][\w.-]*$/.test(command)) throw new Error(`not a command id: ${command}`);
  // encodeURIComponent leaves ( ) ! ' * ~ alone; a `)` would end the link destination.
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = args.length ? `?${encoded}` : '';
  return `[${escapeMarkdown(title, 80)}](command:${command}${query})`;
}

/** What a hover says about one image reference; every string is raw, the builder escapes. */
export interface ImageHover {
  /** `dockers_v2[2]`, with the entry's id and role when they help. */
  readonly origin: string;
  readonly id?: string;
  readonly role: string;
  readonly template: string;
  /**
   * What the template line is called (default `Template`); a file that names images without
   * templates calls it `Written`, and leaves it out where it is the reference itself.
   */
  readonly templateLabel?: string;
  /** Rendered; undefined when it cannot be. */
  readonly reference?: string;
  /** The reference with `<.Env.X>` holes, when unresolved. */
  readonly preview?: string;
  /** What it waits for and where to set it: [`.Env.STAGE_REGISTRY`, `the setting …`]. */
  readonly unresolved: readonly (readonly [variable: string, where: string])[];
  /** A template that fails when rendered: GoReleaser's message. */
  readonly error?: string;
  /** `not pushed: skip_push is true`. */
  readonly skipped?: string;
  readonly platforms: readonly string[];
  /** From the registry, once read. */
  readonly digest?: string;
  /**
   * The verdict in words; the first cause in a few words beside it (`signed by fleet-fork/fleet,
   * expected rancher/fleet`) and in its own words below; the other causes (or why there is no verdict).
   */
  readonly verdict?: string;
  readonly causeShort?: string;
  readonly cause?: string;
  readonly reasons?: readonly string[];
  /** Command links, already made with `commandLink`. */
  readonly links: readonly string[];
}

/** `a`, `b` and `c` as code spans, at most `max` then `and N more`. */
export function codeList(values: readonly string[], max = 6): string {
  const shown = values.slice(0, max).map((v) => codeSpan(v, 120));
  const more = values.length > max ? ` and ${values.length - max} more` : '';
  return `${shown.join(', ')}${more}`;
}

/**
 * With a verdict, the answer first, then what to do, then the other causes and the facts: a hover
 * is cut at its height limit (and a Problems entry on the same text comes above it), so the
 * verdict with its first cause and the links come before the rest. Without one (not rendered,
 * not pushed), what the entry is and what it waits for, then the links that give it.
 */
export function imageHoverMarkdown(h: ImageHover): string {
  const id = h.id !== undefined ? ` ${codeSpan(h.id, 80)}` : '';
  const header = `**${escapeMarkdown(h.origin, 80)}**${id} · ${escapeMarkdown(h.role, 80)}`;
  const template =
    h.templateLabel !== undefined && h.template === h.reference ? [] : [`${escapeMarkdown(h.templateLabel ?? 'Template', 40)}: ${codeSpan(h.template)}`];
  const facts: string[] = [];
  if (h.reference !== undefined) facts.push(`Reference: ${codeSpan(h.reference)}`);
  else if (h.error !== undefined) facts.push(`Fails in GoReleaser: ${escapeMarkdown(h.error)}`);
  else facts.push(`Reference: not rendered${h.preview !== undefined ? ` (${codeSpan(h.preview)})` : ''}`);
  for (const [variable, where] of h.unresolved) facts.push(`- ${codeSpan(variable, 120)}: ${escapeMarkdown(where)}`);
  if (h.skipped !== undefined) facts.push(`*${escapeMarkdown(h.skipped)}*`);
  if (h.digest !== undefined) facts.push(`Digest: ${codeSpan(h.digest, 100)}`);
  if (h.platforms.length) facts.push(`${h.platforms.length} platform${h.platforms.length === 1 ? '' : 's'}: ${codeList(h.platforms)}`);
  const links = h.links.length ? [h.links.join(' · ')] : [];
  if (h.verdict === undefined) return joinBlocks([header, ...template, ...facts, ...links]);
  // One line: the verdict and why in a few words, so that the links still show when a Problems
  // entry on the same text takes most of the hover's height. The engine's sentences follow them.
  const why = h.causeShort ?? h.cause;
  const answer = `**${escapeMarkdown(h.verdict, 120)}**${why !== undefined ? ` · ${escapeMarkdown(why)}` : ''}`;
  const sentences = [...(h.causeShort !== undefined && h.cause !== undefined ? [h.cause] : []), ...(h.reasons ?? []).slice(0, 3)];
  // The links right under the answer, in its paragraph (a backslash before the line end is a hard
  // break, CommonMark 6.7): no paragraph's margin between them. Other lines stay paragraphs.
  const lead = links.length ? `${answer}\\\n${links[0]!}` : answer;
  return joinBlocks([lead, ...sentences.map((r) => `- ${escapeMarkdown(r)}`), header, ...facts, ...template]);
}

/** Paragraphs, except list items, which stay together as one list. */
function joinBlocks(lines: readonly string[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > 0) out += line.startsWith('- ') && lines[i - 1]!.startsWith('- ') ? '\n' : '\n\n';
    out += line;
  }
  return out;
}
