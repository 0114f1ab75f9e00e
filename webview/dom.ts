/**
 * The page's DOM helpers. Every string from the model goes through `appendText` (text nodes and
 * visible markers, text.ts), never through HTML parsing: there is no innerHTML in this page.
 * Links are made only from URLs that are https here too (the host built and checks them), and
 * clicking one asks the host to open it.
 */
import type { PanelFact } from '../src/protocol/panel';
import { clip, groupDigits, segments } from './text';
import { post } from './vscode-api';

export type Child = Node | string | undefined | null | false;

/** Most values are shown up to this many characters; the rest is copyable. */
export const SHORT_TEXT = 400;

interface Attrs {
  readonly class?: string;
  readonly role?: string;
  readonly id?: string;
  readonly tabindex?: string;
  readonly [name: string]: string | undefined;
}

/** An element with attributes (ours, never the model's) and children (strings become safe text). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  append(node, ...children);
  return node;
}

/** Custom elements (vscode-elements) by tag name. */
export function custom(tag: `vscode-${string}`, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (typeof c === 'string') appendText(parent, c);
    else parent.appendChild(c);
  }
}

/** Appends `value` as text, with invisible and control characters shown as markers. */
export function appendText(parent: Node, value: string, multiline = false): void {
  for (const s of segments(value, multiline)) {
    if (typeof s === 'string') {
      parent.appendChild(document.createTextNode(s));
    } else {
      const m = document.createElement('span');
      m.className = 'ctl';
      m.textContent = s.marker;
      m.title = `${s.code}: an invisible or control character, shown`;
      parent.appendChild(m);
    }
  }
}

/** A copy action: the host writes `text()` to the clipboard. */
export function copyAction(what: string, text: () => string): HTMLElement {
  // The host shows the label in the status bar and accepts plain words only.
  what = what.replace(/[^A-Za-z0-9 .,:/()'-]/g, ' ').slice(0, 70);
  const icon = custom('vscode-icon', { name: 'copy', 'action-icon': '', label: `Copy ${what}`, title: `Copy ${what}`, class: 'copy' });
  icon.addEventListener('vsc-click', () => post({ type: 'copy', text: text(), label: what }));
  return icon;
}

/**
 * A value from the registry: isolated from the text around it (bidi), markers for invisible
 * characters, cut at `max` characters with the full value copyable.
 */
export function value(text: string, options: { mono?: boolean; max?: number; what?: string } = {}): HTMLElement {
  const shown = clip(text, options.max ?? SHORT_TEXT);
  const span = el('span', { class: options.mono ? 'value mono' : 'value' });
  appendText(span, shown.text);
  if (shown.omitted > 0) {
    append(
      span,
      el('span', { class: 'clipped' }, `… ${groupDigits(shown.omitted)} more characters (${groupDigits(text.length)} in all)`),
      copyAction(`full ${options.what ?? 'value'}`, () => text),
    );
  }
  return span;
}

/** Whether the page may show `url` as a link (the host checks again when asked to open it). */
export function isHttps(url: string): boolean {
  if (!/^https:\/\/[^\s]+$/i.test(url)) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** A link to `url` labelled with `text`; plain text when `url` is missing or not https. */
export function link(text: string, url: string | undefined, options: { mono?: boolean; max?: number } = {}): HTMLElement {
  const label = value(text, options);
  if (url === undefined || !isHttps(url)) return label;
  const a = el('a', { href: url, class: 'link' });
  a.appendChild(label);
  return a;
}

/** Clicks on links go to the host (capture phase, before VS Code's own link handling). */
export function routeLinks(root: Document): void {
  root.addEventListener(
    'click',
    (event) => {
      const a = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
      if (!a) return;
      event.preventDefault();
      event.stopPropagation();
      const url = a.getAttribute('href') ?? '';
      if (isHttps(url)) post({ type: 'openLink', url });
    },
    true,
  );
  // Middle clicks would open the link in the browser (code-server): never.
  root.addEventListener(
    'auxclick',
    (event) => {
      if (event.composedPath().some((n) => n instanceof HTMLAnchorElement)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );
}

/** A list of labelled facts (evidence), values copyable when they are ids. */
export function facts(list: readonly PanelFact[]): HTMLElement | undefined {
  if (list.length === 0) return undefined;
  const dl = el('dl', { class: 'facts' });
  for (const f of list) {
    const dd = el('dd', {}, f.url ? link(f.value, f.url, { mono: f.mono ?? false }) : value(f.value, { mono: f.mono ?? false, what: f.label.toLowerCase() }));
    if (f.mono) dd.appendChild(copyAction(f.label.toLowerCase(), () => f.value));
    dl.append(el('dt', {}, f.label), dd);
  }
  return dl;
}

/** A titled section. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'block' }, el('h3', {}, title), ...children);
}

/** A data grid (vscode-table); cells are nodes or safe text. */
export function grid(headers: readonly string[], rows: readonly (readonly Child[])[], columns?: readonly string[]): HTMLElement {
  const table = custom('vscode-table', { zebra: '', 'bordered-rows': '', resizable: '', class: 'grid' }) as HTMLElement & { columns: string[] };
  if (columns) {
    table.columns = [...columns];
    // vscode-table turns percentages into widths only once it knows its own width, which it
    // does not while it is built off-screen: set them again when it is first laid out.
    const observer = new ResizeObserver((entries) => {
      if (!entries.some((e) => e.contentRect.width > 0)) return;
      observer.disconnect();
      requestAnimationFrame(() => {
        table.columns = [...columns];
      });
    });
    observer.observe(table);
  }
  const head = custom('vscode-table-header', { slot: 'header' }, ...headers.map((h) => custom('vscode-table-header-cell', {}, h)));
  const body = custom('vscode-table-body', { slot: 'body' });
  for (const r of rows) body.appendChild(custom('vscode-table-row', {}, ...r.map((c) => custom('vscode-table-cell', {}, c))));
  table.append(head, body);
  return table;
}
