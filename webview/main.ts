/**
 * The image panel page (bundled to dist/webview.js, runs in the webview under a strict CSP).
 * It says `ready`, then renders whatever the host sends: `loading`, `show` (the model) or
 * `error`. All it can do outside itself is post the protocol's messages.
 */
import './elements';
import type { HostMessage, PANEL_PROTOCOL_VERSION, PanelDiff, PanelModel, PanelPlatform } from '../src/protocol/panel';
import { custom, el, routeLinks, value } from './dom';
import { artifactsFor, renderChecks } from './render-checks';
import { renderDiff } from './render-diff';
import { renderHeader, renderPlatformFacts, renderPlatformSwitcher } from './render-header';
import { provenanceFor, renderProvenance } from './render-provenance';
import { renderRaw } from './render-raw';
import { renderSbom } from './render-sbom';
import { post, savedState, saveState } from './vscode-api';

// The host's version, checked at compile time against src/protocol/panel.ts.
const VERSION: typeof PANEL_PROTOCOL_VERSION = 3;

let model: PanelModel | undefined;
/** The comparison shown, in a diff view (a panel shows an image or a comparison, never both). */
let diff: PanelDiff | undefined;
let selected: string | undefined;
let tabIndex = 0;

function app(): HTMLElement {
  return document.getElementById('app')!;
}

function platformOf(m: PanelModel): PanelPlatform | undefined {
  return m.platforms.find((p) => p.digest === selected) ?? m.platforms[0];
}

function counter(n: number): HTMLElement {
  return custom('vscode-badge', { variant: 'counter', slot: 'content-after' }, String(n));
}

function renderTabs(m: PanelModel, p: PanelPlatform | undefined): HTMLElement {
  const tabs = custom('vscode-tabs', { 'selected-index': String(tabIndex), class: 'tabs' });
  // Each badge counts what its tab's title names: the signatures and attestations shown (those on
  // this platform, on the index, and on those artifacts), the provenance statements, the SBOMs.
  const artifactsShown = artifactsFor(m, p).length;
  const sboms = m.sboms.filter((s) => s.coversDigest === m.digest || s.coversDigest === p?.digest).length;
  const pages: Array<[string, number | undefined, () => HTMLElement]> = [
    ['Signatures and attestations', artifactsShown, () => renderChecks(m, p)],
    ['Provenance', provenanceFor(m, p).length, () => renderProvenance(m, p)],
    ['SBOM', sboms, () => renderSbom(m, p)],
    ['Raw JSON', undefined, () => renderRaw(m)],
  ];
  // Each tab is built when first shown: cheaper, and grids measure their columns while visible.
  const panels = pages.map(([title, count]) => {
    tabs.appendChild(custom('vscode-tab-header', { slot: 'header' }, title, count !== undefined ? counter(count) : undefined));
    const panel = custom('vscode-tab-panel', {});
    tabs.appendChild(panel);
    return panel;
  });
  const fill = (i: number): void => {
    const panel = panels[i];
    if (panel && panel.childElementCount === 0) panel.appendChild(pages[i]![2]());
  };
  fill(tabIndex);
  tabs.addEventListener('vsc-tabs-select', (e) => {
    tabIndex = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    fill(tabIndex);
  });
  return tabs;
}

function renderPlatformPart(m: PanelModel): HTMLElement {
  const p = platformOf(m);
  return el('div', { id: 'platform-part' }, p ? renderPlatformFacts(m, p) : undefined, renderTabs(m, p));
}

function selectPlatform(digest: string): void {
  if (!model) return;
  selected = digest;
  post({ type: 'selectPlatform', digest });
  saveState({ reference: model.reference, platform: digest });
  document.getElementById('platform-part')?.replaceWith(renderPlatformPart(model));
}

function show(m: PanelModel, platform: string | undefined): void {
  model = m;
  const wanted = platform ?? selected ?? savedState().platform;
  // Nothing asked for: the worst platform, so a failed image opens where it fails.
  selected = m.platforms.some((p) => p.digest === wanted) ? wanted : (m.focusPlatform ?? m.platforms[0]?.digest);
  saveState({ reference: m.reference, ...(selected !== undefined ? { platform: selected } : {}) });
  const children: HTMLElement[] = [renderHeader(m)];
  if (m.platforms.length > 1 && selected !== undefined) children.push(renderPlatformSwitcher(m, selected, selectPlatform));
  children.push(renderPlatformPart(m));
  app().replaceChildren(...children);
  app().removeAttribute('aria-busy');
}

function showDiff(d: PanelDiff): void {
  diff = d;
  // Kept so that VS Code can bring the view back after a reload (src/panel/diff-panel.ts).
  saveState({ reference: d.title, compare: { old: d.old.reference, new: d.new.reference } });
  app().replaceChildren(...renderDiff(d));
  app().removeAttribute('aria-busy');
}

function loading(reference: string): void {
  if (diff !== undefined) {
    // A diff view refreshing: keep what is shown, say that it is being compared again.
    const banner = el(
      'div',
      { class: 'status loading' },
      custom('vscode-progress-ring', { 'aria-label': 'Loading' }),
      el('span', {}, 'Comparing ', value(reference, { max: 200 }), '…'),
    );
    document.querySelector('.status.loading')?.remove();
    app().setAttribute('aria-busy', 'true');
    app().prepend(banner);
    return;
  }
  saveState({ reference, ...(selected !== undefined ? { platform: selected } : {}) });
  const ring = custom('vscode-progress-ring', { 'aria-label': 'Loading' });
  const banner = el('div', { class: 'status loading' }, ring, el('span', {}, 'Loading ', value(reference, { max: 200 }), '…'));
  app().setAttribute('aria-busy', 'true');
  if (model && model.reference === reference) {
    // A refresh: keep what is shown, say that it is being fetched again.
    document.querySelector('.status.loading')?.remove();
    app().prepend(banner);
    return;
  }
  app().replaceChildren(banner);
}

function failed(reference: string, code: string, message: string): void {
  saveState({ reference, ...(selected !== undefined ? { platform: selected } : {}) });
  model = undefined;
  const retry = custom('vscode-button', { icon: 'refresh' }, 'Try again');
  retry.addEventListener('click', () => post({ type: 'refresh' }));
  app().removeAttribute('aria-busy');
  app().replaceChildren(
    el(
      'div',
      { class: 'failure' },
      el('h1', {}, value(reference, { max: 200 })),
      el(
        'div',
        { class: 'notice error', role: 'alert' },
        custom('vscode-icon', { name: 'error', class: 'notice-icon error' }),
        el('span', {}, value(message, { max: 4000 }), ` [${code}]`),
      ),
      retry,
    ),
  );
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const m = event.data;
  switch (m?.type) {
    case 'loading':
      loading(m.reference);
      break;
    case 'show':
      show(m.model, m.platform);
      break;
    case 'error':
      diff = undefined;
      failed(m.reference, m.code, m.message);
      break;
    case 'diff':
      showDiff(m.diff);
      break;
  }
});

routeLinks(document);
post({ type: 'ready', version: VERSION });
