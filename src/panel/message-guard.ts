/**
 * Runtime checks of what the page sends. The page renders strangers' text; if anything ever
 * ran in it, its messages are the only way to the host, so each is checked for shape and size
 * here before the host acts on it (links are checked again in links.ts).
 */
import type { PageMessage, PanelState } from '../protocol/panel';

/** The largest text the page may ask to copy (a raw statement can be several MB). */
export const MAX_COPY_CHARS = 32 * 1024 * 1024;
const MAX_SHORT = 4096;
/** What a copy is of ("digest", "raw JSON"): shown in the status bar, so plain words only (no `$(icon)`). */
const LABEL = /^[A-Za-z0-9 .,:/()'-]{1,80}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shortString(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_SHORT;
}

/** The message if it is one the protocol defines, with no extra fields; else undefined. */
export function parsePageMessage(value: unknown): PageMessage | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  const keys = Object.keys(value).sort().join(',');
  switch (value.type) {
    case 'ready':
      return keys === 'type,version' && typeof value.version === 'number' ? { type: 'ready', version: value.version } : undefined;
    case 'openLink':
      // Length is links.ts's business: it says why a URL was refused.
      return keys === 'type,url' && typeof value.url === 'string' ? { type: 'openLink', url: value.url } : undefined;
    case 'copy':
      return keys === 'label,text,type' &&
        typeof value.text === 'string' &&
        value.text.length <= MAX_COPY_CHARS &&
        typeof value.label === 'string' &&
        LABEL.test(value.label)
        ? { type: 'copy', text: value.text, label: value.label }
        : undefined;
    case 'selectPlatform':
      return keys === 'digest,type' && shortString(value.digest) ? { type: 'selectPlatform', digest: value.digest } : undefined;
    case 'refresh':
      return keys === 'type' ? { type: 'refresh' } : undefined;
    default:
      return undefined;
  }
}

/** The state VS Code hands back when restoring a panel, if it is one we wrote. */
export function parsePanelState(value: unknown): PanelState | undefined {
  if (!isRecord(value) || typeof value.reference !== 'string') return undefined;
  const reference = value.reference.trim();
  if (reference === '' || reference.length > 1024) return undefined;
  const platform = value.platform;
  const compare = isRecord(value.compare) ? [value.compare.old, value.compare.new].map((r) => (typeof r === 'string' ? r.trim() : '')) : [];
  const both = compare.length === 2 && compare.every((r) => r !== '' && r.length <= 1024) ? { compare: { old: compare[0]!, new: compare[1]! } } : {};
  return typeof platform === 'string' && platform.length <= 200 ? { reference, platform, ...both } : { reference, ...both };
}
