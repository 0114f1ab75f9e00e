import type { TrustRootInfo } from './trust-types';

/**
 * One line for the CLI and logs: which root, from where, how old, and what the refresh did, then
 * `extra` clauses (a private PKI), then the root's notes as sentences. It ends with a full stop
 * only when notes end it: a caller ending its sentence uses `endSentence`.
 */
export function describeTrustRoot(info: TrustRootInfo, extra: readonly string[] = []): string {
  const age = info.ageDays !== undefined ? `, newest key from ${info.newestKeyStart?.slice(0, 10)} (${info.ageDays} days old)` : '';
  const parts = [`${info.instance} trusted root from ${describeOrigin(info)}, sha256 ${info.sha256.slice(0, 12)}${age}`];
  const refresh = info.refresh;
  if (refresh?.status === 'refreshed') parts.push(refresh.changed ? 'the refresh brought a new root' : 'the refresh found no change');
  if (refresh?.status === 'failed')
    parts.push(`the TUF refresh from ${refresh.tufRepository} failed (${refresh.code}: ${refresh.reason}), so this root was kept`);
  if (refresh?.status === 'pending')
    parts.push(
      `the TUF refresh from ${refresh.tufRepository} gave ${refresh.reason}, so this root was used; the refresh goes on and its root is used from the next load`,
    );
  parts.push(...extra);
  return `${parts.join('; ')}${info.notes?.length ? `. ${info.notes.join(' ')}` : ''}`;
}

/** A full stop at the end, unless the text already ends a sentence (a note ending in one). */
export function endSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function describeOrigin(info: TrustRootInfo): string {
  const s = info.source;
  switch (s.kind) {
    case 'file':
      return s.path;
    case 'embedded':
      return `embedded ${s.package}@${s.version} (${s.tufRepository})`;
    case 'tuf':
      return info.refreshed
        ? `TUF repository ${s.tufRepository}, refreshed in this run`
        : `TUF repository ${s.tufRepository}, cached refresh of ${s.refreshedAt.slice(0, 10)} (${s.refreshAgeDays} days ago)`;
  }
}
