// Raw JSON, collapsible and copyable: shown up to RAW_SHOWN characters (a statement can be
// megabytes), the whole text copied through the host.
import type { PanelModel } from '../src/protocol/panel';
import { appendText, copyAction, custom, el } from './dom';
import { clip, flatten, formatBytes, groupDigits, shortDigest } from './text';

/** What a <pre> shows at most; past it, copy. */
export const RAW_SHOWN = 200_000;

/** `title` is ours (the collapsible upper-cases it); `detail` may carry digests and names. */
export function rawBlock(title: string, json: string, open: boolean, detail?: string): HTMLElement {
  const c = custom('vscode-collapsible', { class: 'raw' }) as HTMLElement & { heading: string; description: string; open: boolean };
  c.heading = title;
  c.description = `${detail ? `${detail} · ` : ''}${formatBytes(json.length)}`;
  c.open = open;
  const copy = copyAction(`${title.toLowerCase()}`, () => json);
  copy.setAttribute('slot', 'decorations');
  c.appendChild(copy);
  const shown = clip(json, RAW_SHOWN);
  const pre = el('pre', { class: 'json', tabindex: '0' });
  // Rendered lazily: a closed block of several MB costs nothing until opened.
  const fill = (): void => {
    if (pre.childNodes.length > 0) return;
    appendText(pre, shown.text, true);
    if (shown.omitted > 0) pre.appendChild(el('span', { class: 'clipped' }, `\n… ${groupDigits(shown.omitted)} more characters: copy to see them all.`));
  };
  if (open) fill();
  c.addEventListener('vsc-collapsible-toggle', fill);
  c.appendChild(pre);
  return c;
}

export function renderRaw(model: PanelModel): HTMLElement {
  const root = el('div', { class: 'tab-body' });
  for (const r of model.raw) root.appendChild(rawBlock(r.label, r.json, false, r.detail));
  model.provenance.forEach((p) => {
    if (p.statementJson === undefined) return;
    const on =
      p.attachedTo === 'index' ? 'on the index' : `on ${flatten(model.platforms.find((x) => x.digest === p.coversDigest)?.platform ?? p.coversDigest, 60)}`;
    root.appendChild(rawBlock('Provenance statement', p.statementJson, false, `${on} · ${shortDigest(p.artifactDigest)}`));
  });
  return root;
}
