/**
 * Offsets to 1-based lines and UTF-16 columns, the way VS Code's `TextDocument.positionAt` counts
 * (JavaScript string indexes are UTF-16 code units; `\r\n`, `\n` and `\r` end a line).
 */
import { formatReference, parseRegistryReference } from '../registry/reference';
import type { KeyRange, ReferenceSite } from './types';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  /** 1-based line and column of an offset. */
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** Offset of a 0-based line and character (an LSP position, as dockerfile-ast gives them). */
  offsetOf(line: number, character: number): number {
    return (this.starts[line] ?? this.text.length) + character;
  }

  keyRange(start: number, end: number): KeyRange {
    return { start, end, ...this.at(start) };
  }
}

export interface SiteInput {
  readonly reference: string | null;
  readonly raw: string;
  readonly start: number;
  readonly end: number;
  readonly via: string;
  readonly unresolved?: readonly string[];
  readonly platform?: string;
  readonly keys?: Readonly<Record<string, KeyRange>>;
}

export function site(lines: LineIndex, input: SiteInput): ReferenceSite {
  const a = lines.at(input.start);
  const b = lines.at(input.end);
  const unresolved = input.unresolved && input.unresolved.length ? { unresolved: [...new Set(input.unresolved)] } : {};
  return {
    reference: input.reference,
    raw: input.raw,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column,
    start: input.start,
    end: input.end,
    ...unresolved,
    ...(input.platform !== undefined ? { platform: input.platform } : {}),
    via: input.via,
    ...(input.keys ? { keys: input.keys } : {}),
  };
}

/** Whether a reference is a registry reference, and the error saying why not (for the edge). */
export function checkReference(reference: string): { ok: true; normalized: string } | { ok: false; message: string } {
  try {
    return { ok: true, normalized: formatReference(parseRegistryReference(reference)) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
