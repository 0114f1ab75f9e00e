// The top of the page: which image, its digest and verdict, the coverage sentence, notices,
// and the platform switcher with the chosen platform's facts.
import type { PanelModel, PanelNotice, PanelPlatform, PanelStateWords, PanelVerdictState } from '../src/protocol/panel';
import { custom, el, facts, value } from './dom';
import { flatten, formatBytes, shortDigest } from './text';
import { post } from './vscode-api';

/** The verdict as a badge: the state's icon (from the model's vocabulary), label, colour by state (media/webview.css). */
export function verdictBadge(state: PanelVerdictState, label: string, words: PanelStateWords): HTMLElement {
  return custom('vscode-badge', { class: `verdict state-${state}` }, custom('vscode-icon', { name: words.icon, class: 'verdict-icon' }), label);
}

function notice(n: PanelNotice): HTMLElement {
  const icon = n.severity === 'error' ? 'error' : n.severity === 'warn' ? 'warning' : 'info';
  return el(
    'div',
    { class: `notice ${n.severity}`, role: n.severity === 'error' ? 'alert' : 'note' },
    custom('vscode-icon', { name: icon, class: `notice-icon ${n.severity}` }),
    value(n.message, { max: 2000 }),
  );
}

function imageName(model: PanelModel): string {
  const name = model.repository.slice(model.repository.lastIndexOf('/') + 1);
  return model.tag !== undefined ? `${name}:${model.tag}` : `${name}@${shortDigest(model.digest)}`;
}

/** Why it is not verified, in one sentence, right under the title: what a reader needs first. */
function causeLine(state: PanelVerdictState, cause: string | undefined): HTMLElement | undefined {
  if (cause === undefined) return undefined;
  return el('p', { class: `cause state-${state}`, role: 'status' }, value(cause, { max: 2000 }));
}

function moreCauses(list: readonly string[]): HTMLElement | undefined {
  if (list.length === 0) return undefined;
  const ul = el('ul', { class: 'more-causes' });
  for (const c of list) ul.appendChild(el('li', {}, value(c, { max: 2000 })));
  return ul;
}

export function renderHeader(model: PanelModel): HTMLElement {
  const refresh = custom('vscode-button', { secondary: '', icon: 'refresh', class: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  const header = el(
    'header',
    { class: 'header' },
    el(
      'div',
      { class: 'title-row' },
      el('h1', {}, value(flatten(imageName(model), 120))),
      verdictBadge(model.verdict.state, model.verdict.label, model.states[model.verdict.state]),
      el('span', { class: 'spacer' }),
      refresh,
    ),
    causeLine(model.verdict.state, model.verdict.cause),
    moreCauses(model.verdict.moreCauses ?? []),
    facts([
      { label: 'Reference', value: model.reference, mono: true },
      { label: 'Digest', value: model.digest, mono: true },
      { label: 'Pinned reference', value: model.pinnedReference, mono: true },
      { label: 'Kind', value: model.kind === 'index' ? `multi-platform index (${model.mediaType})` : `single manifest (${model.mediaType})` },
      ...(model.verdict.trustRoot ? [{ label: 'Trusted root', value: model.verdict.trustRoot }] : []),
    ]),
  );
  if (model.verdict.coverage) header.appendChild(el('p', { class: 'coverage muted' }, value(model.verdict.coverage, { max: 4000 })));
  for (const n of model.notices) header.appendChild(notice(n));
  if (model.problems.length > 0) {
    const list = el('ul', { class: 'problems' });
    for (const p of model.problems)
      list.appendChild(el('li', {}, value(p.at, { mono: true, max: 200 }), ': ', value(p.message, { max: 1000 }), ` [${p.code}]`));
    header.appendChild(list);
  }
  return header;
}

/** The platform switcher; `onSelect` gets the digest. */
export function renderPlatformSwitcher(model: PanelModel, selected: string, onSelect: (digest: string) => void): HTMLElement {
  const select = custom('vscode-single-select', { id: 'platform', class: 'platform-select', 'aria-label': 'Platform' }) as HTMLElement & { value: string };
  for (const p of model.platforms) {
    const option = custom('vscode-option', { value: p.digest, description: model.states[p.state].words });
    option.textContent = `${flatten(p.platform, 80)} · ${p.causeShort !== undefined ? flatten(p.causeShort, 120) : model.states[p.state].words}`;
    if (p.digest === selected) option.setAttribute('selected', '');
    select.appendChild(option);
  }
  select.addEventListener('change', () => onSelect(select.value));
  return el('div', { class: 'platform-row' }, el('label', { for: 'platform', class: 'platform-label' }, 'Platform'), select);
}

export function renderPlatformFacts(model: PanelModel, p: PanelPlatform): HTMLElement {
  const coveredBy =
    p.signedBy.length > 0 ? `signed by ${p.signedBy.join(', ')}` : p.throughIndex ? 'covered by the signature on the index' : model.states[p.state].words;
  // One unit for both sizes (the tree's too): "406 B (config and layers), manifest 401 B".
  const size =
    p.imageSize !== undefined ? `${formatBytes(p.imageSize)} (config and layers), manifest ${formatBytes(p.size)}` : `manifest ${formatBytes(p.size)}`;
  const box = el(
    'div',
    { class: 'platform-facts' },
    el('div', { class: 'title-row' }, el('h2', {}, value(p.platform, { max: 120 })), verdictBadge(p.state, model.states[p.state].words, model.states[p.state])),
    // The platform's own cause, unless it is the image's (said once, in the header).
    causeLine(p.state, p.cause === model.verdict.cause ? undefined : p.cause),
    facts([
      { label: 'Manifest digest', value: p.digest, mono: true },
      { label: 'Pinned reference', value: `${model.pinnedReference.slice(0, model.pinnedReference.lastIndexOf('@'))}@${p.digest}`, mono: true },
      { label: 'Size', value: size },
      { label: 'Coverage', value: coveredBy },
    ]),
  );
  return box;
}
