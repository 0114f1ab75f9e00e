// Offsets of the pure model (UTF-16 code units into the text) to editor ranges, at the edge.
import * as vscode from 'vscode';
import type { SourceRange } from '../goreleaser/types';

export function toRange(document: vscode.TextDocument, range: Pick<SourceRange, 'start' | 'end'>): vscode.Range {
  return new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
}
