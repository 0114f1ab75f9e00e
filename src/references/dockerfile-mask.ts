/**
 * The instructions of a Dockerfile that cannot name an image, made cheap to parse. dockerfile-ast
 * builds every instruction with its arguments as it parses, and a long `RUN` script (or `CMD`,
 * `LABEL`, …) costs it more than all the FROM lines together: on a 16 kB Dockerfile four fifths of
 * the parse. Their keywords are replaced by as many `Z`s, which the parser keeps as plain
 * instructions without reading their arguments. Only the keyword's letters change: every offset,
 * line break, continuation and comment stays where it was, so positions read from the masked text
 * are the file's.
 *
 * Kept: FROM, ARG and ENV (their values are substituted into references), COPY with `--from`, RUN
 * with a `--mount` and a `from=`, and any ADD, COPY, RUN or ONBUILD whose text holds `<<`: the parser reads here-documents
 * (https://docs.docker.com/reference/dockerfile/#here-documents) after those keywords only, so masking one
 * would turn its body into instructions. An instruction's extent follows the parser's rules:
 * a line ending with the escape character (then blanks) continues on the next line that is not
 * blank or a comment. Here-document bodies are skipped to their delimiter line. When anything is
 * unclear (an `# escape=` directive, a delimiter never found), the rest of the file is left as
 * written: masking less is always correct, only slower. A kept RUN's command after its flags is
 * blanked too (blankCommand): only its mounts are read.
 */

const KEPT = new Set(['FROM', 'ARG', 'ENV']);
const HEREDOC_KEYWORDS = new Set(['ADD', 'COPY', 'RUN', 'ONBUILD']);
/** A keyword followed by blanks and something more: a lone word could be a here-document's delimiter. */
const KEYWORD = /^([ \t]*)([A-Za-z]+)(?=[ \t]+\S)/;
const CONTINUED = /\\[ \t]*$/;
const SKIPPED = /^[ \t]*(?:#.*)?$/;
/** Every `<<name` in the text, a superset of the here-documents the parser sees: quotes stripped, `<<-` noted. */
const HEREDOC = /<<(-?)(["']?)([^\s"'<>]+)\2/g;

interface Line {
  readonly start: number;
  readonly text: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  const breaks = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
    out.push({ start, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  out.push({ start, text: text.slice(start) });
  return out;
}

/** Whether an instruction of this keyword and text is read by the references reader, or holds a here-document. */
function kept(keyword: string, extent: string): boolean {
  if (KEPT.has(keyword)) return true;
  if (keyword === 'COPY' && extent.includes('--from')) return true;
  // A mount names an image or a stage only through `from=`: cache and secret mounts do not.
  if (keyword === 'RUN' && extent.includes('--mount') && extent.includes('from=')) return true;
  return HEREDOC_KEYWORDS.has(keyword) && extent.includes('<<');
}

/** The index of the last line of the here-documents an instruction opens, or -1 when one never ends. */
function afterHeredocs(lines: readonly Line[], last: number, extent: string): number {
  let at = last;
  for (const m of extent.matchAll(HEREDOC)) {
    const tabbed = m[1] === '-';
    const name = m[3]!;
    let k = at + 1;
    while (k < lines.length && (tabbed ? lines[k]!.text.replace(/^\t+/, '') : lines[k]!.text) !== name) k++;
    if (k >= lines.length) return -1;
    at = k;
  }
  return at;
}

/** Blanks, continuations and comment lines between the words of an instruction. */
const BETWEEN = /^(?:[ \t]+|\\[ \t]*(?:\r\n|\n|\r)|(?:\r\n|\n|\r)[ \t]*(?:#[^\r\n]*)?)*/;

/**
 * A kept RUN's command, after its flags, with every character but line breaks and continuation
 * backslashes made a blank: only its `--mount` flags are read, and dockerfile-ast parses a long
 * script word by word. Undefined when the flags hold quotes (a word could hold a blank) or the
 * instruction opens a here-document.
 */
function blankCommand(extent: string, keywordEnd: number): { start: number; text: string } | undefined {
  if (extent.includes('<<')) return undefined;
  let i = keywordEnd;
  for (;;) {
    i += BETWEEN.exec(extent.slice(i))![0].length;
    if (!extent.startsWith('--', i)) break;
    i += /^\S+/.exec(extent.slice(i))![0].length;
  }
  if (/["']/.test(extent.slice(keywordEnd, i))) return undefined;
  const written = extent.slice(i);
  const command = written.replace(/\\(?=[ \t]*(?:\r\n|\n|\r|$))|[^\r\n]/g, (c) => (c === '\\' ? c : ' '));
  // The last line keeps its last character: a continuation runs on through blank lines, so an
  // all-blank last line would take the next instruction into this one.
  const last = written.search(/\S\s*$/);
  return { start: i, text: last < 0 ? command : `${command.slice(0, last)}${written[last]!}${command.slice(last + 1)}` };
}

/** The text with the keywords of instructions that cannot name an image replaced by `Z`s; same length. */
export function maskUnusedInstructions(text: string): string {
  if (/^[ \t]*#[ \t]*escape[ \t]*=/im.test(text)) return text;
  const lines = linesOf(text);
  const masks: Array<[start: number, text: string]> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SKIPPED.test(line.text)) continue;
    let last = i;
    while (CONTINUED.test(lines[last]!.text) && last + 1 < lines.length) {
      let next = last + 1;
      while (next < lines.length - 1 && SKIPPED.test(lines[next]!.text)) next++;
      last = next;
    }
    const end = last + 1 < lines.length ? lines[last + 1]!.start : text.length;
    const extent = text.slice(line.start, end);
    const m = KEYWORD.exec(line.text);
    const keyword = m?.[2]?.toUpperCase();
    if (m && keyword !== undefined && !kept(keyword, extent)) masks.push([line.start + m[1]!.length, 'Z'.repeat(m[2]!.length)]);
    else if (m && keyword === 'RUN') {
      const blank = blankCommand(extent, m[0].length);
      if (blank) masks.push([line.start + blank.start, blank.text]);
    }
    if (keyword !== undefined && HEREDOC_KEYWORDS.has(keyword) && extent.includes('<<')) {
      const bodyEnd = afterHeredocs(lines, last, extent);
      if (bodyEnd < 0) break;
      last = bodyEnd;
    }
    i = last;
  }
  if (masks.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, replacement] of masks) {
    out += text.slice(from, start) + replacement;
    from = start + replacement.length;
  }
  return out + text.slice(from);
}
