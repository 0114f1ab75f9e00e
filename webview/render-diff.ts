// The diff view: what changed between two images, as `provenance-lens diff` says it — the
// warnings first, then platforms with their manifest digests, signers, attestations, provenance
// fields and SBOM packages. The host made every word (src/panel/model-diff.ts); values from the
// images are rendered as text (dom.ts), digests copyable.
import type { PanelDiff, PanelDiffImage, PanelDiffPart } from '../src/protocol/panel';
import { copyAction, custom, el, grid, section, value } from './dom';
import type { Child } from './dom';
import { verdictBadge } from './render-header';
import { post } from './vscode-api';

const CHANGE_ICONS: Record<string, string> = {
  changed: 'diff-modified',
  added: 'diff-added',
  removed: 'diff-removed',
  unchanged: 'circle-small',
  kept: 'pass',
  unsigned: 'unverified',
};

function change(kind: string, words: string): HTMLElement {
  return el('span', { class: `change change-${kind}` }, custom('vscode-icon', { name: CHANGE_ICONS[kind] ?? 'circle-small', class: 'change-icon' }), words);
}

function digest(d: string | undefined, what: string): HTMLElement {
  if (d === undefined) return el('span', { class: 'muted' }, '—');
  return el(
    'span',
    { class: 'digest-line' },
    value(d, { mono: true, max: 100 }),
    copyAction(what, () => d),
  );
}

function imageFacts(side: 'Old' | 'New', i: PanelDiffImage, states: PanelDiff['states']): HTMLElement {
  return el(
    'div',
    { class: `diff-image diff-${side.toLowerCase()}` },
    el(
      'div',
      { class: 'title-row' },
      el('h2', {}, `${side}: `, value(i.name, { max: 120 })),
      i.verdict ? verdictBadge(i.verdict.state, i.verdict.label, states[i.verdict.state]) : undefined,
    ),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, 'Reference'),
      el(
        'dd',
        {},
        value(i.reference, { mono: true, max: 400 }),
        copyAction(`${side.toLowerCase()} reference`, () => i.reference),
      ),
      el('dt', {}, 'Digest'),
      el(
        'dd',
        {},
        value(i.digest, { mono: true, max: 100 }),
        copyAction(`${side.toLowerCase()} digest`, () => i.digest),
      ),
    ),
  );
}

function part(p: PanelDiffPart, body: Child): HTMLElement {
  const s = section(p.title, el('p', { class: `part-summary${p.changed ? ' part-changed' : ' muted'}` }, p.summary), body);
  s.classList.add('diff-part');
  s.id = `diff-${p.title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return s;
}

function warnings(d: PanelDiff): HTMLElement {
  const box = el('section', { class: 'block diff-warnings', id: 'diff-warnings' }, el('h3', {}, 'Warnings'));
  if (d.warnings.length === 0) box.appendChild(el('p', { class: 'muted' }, d.unchanged ?? d.noWarnings));
  for (const w of d.warnings) {
    box.appendChild(
      el(
        'div',
        { class: 'notice warn diff-warning', role: 'alert' },
        custom('vscode-icon', { name: 'warning', class: 'notice-icon warn' }),
        el('span', {}, el('strong', { class: 'warning-code' }, w.code), ' ', value(w.message, { max: 4000 })),
      ),
    );
  }
  return box;
}

export function renderDiff(d: PanelDiff): HTMLElement[] {
  const refresh = custom('vscode-button', { secondary: '', icon: 'refresh', class: 'refresh' }, 'Refresh');
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  const header = el(
    'header',
    { class: 'header diff-header' },
    el('div', { class: 'title-row' }, el('h1', {}, 'Compare ', value(d.title, { max: 240 })), el('span', { class: 'spacer' }), refresh),
    el('div', { class: 'diff-images' }, imageFacts('Old', d.old, d.states), imageFacts('New', d.new, d.states)),
  );
  const out: HTMLElement[] = [header, warnings(d)];
  if (!d.changed) return out;

  out.push(
    part(
      d.platforms,
      d.platforms.rows.length === 0
        ? undefined
        : grid(
            ['Platform', 'Change', 'Old manifest digest', 'New manifest digest'],
            d.platforms.rows.map((r) => [
              value(r.platform, { max: 120 }),
              change(r.change, r.words),
              digest(r.old, `old ${r.platform} digest`),
              digest(r.new, `new ${r.platform} digest`),
            ]),
            ['16%', '12%', '36%', '36%'],
          ),
    ),
  );

  const signers = el('ul', { class: 'diff-rows' });
  for (const r of d.signers.rows)
    signers.appendChild(el('li', { class: `diff-row signer-${r.change}` }, change(r.change, r.words), value(r.signer, { max: 1000 })));
  out.push(part(d.signers, d.signers.rows.length ? signers : undefined));

  const attestations = el('ul', { class: 'diff-rows' });
  for (const r of d.attestations.rows)
    attestations.appendChild(
      el('li', { class: `diff-row attestation-${r.change}` }, change(r.change, r.words), value(r.predicateType, { mono: true, max: 400 })),
    );
  out.push(part(d.attestations, d.attestations.rows.length ? attestations : undefined));

  out.push(
    part(
      d.provenance,
      d.provenance.groups.length === 0
        ? undefined
        : el(
            'div',
            {},
            ...d.provenance.groups.map((g) =>
              el(
                'div',
                { class: 'provenance-group' },
                el('h4', {}, value(g.platform, { max: 120 }), ' · ', g.from),
                grid(
                  ['Field', 'Old', 'New'],
                  g.changes.map((c) => [value(c.field, { mono: true, max: 300 }), value(c.old, { max: 1000 }), value(c.new, { max: 1000 })]),
                  ['24%', '38%', '38%'],
                ),
              ),
            ),
          ),
    ),
  );

  out.push(
    part(
      d.sbom,
      d.sbom.rows.length === 0
        ? undefined
        : el(
            'div',
            {},
            grid(
              ['Platform', '', 'Package', 'Old', 'New'],
              d.sbom.rows.map((r) => [
                value(r.platform, { max: 120 }),
                r.mark,
                value(r.package, { mono: true, max: 400 }),
                value(r.old, { max: 200 }),
                value(r.new, { max: 200 }),
              ]),
              ['14%', '4%', '42%', '20%', '20%'],
            ),
            d.sbom.more > 0 ? el('p', { class: 'muted' }, `… and ${d.sbom.more} more (provenance-lens diff --json lists them)`) : undefined,
          ),
    ),
  );

  if (d.notes.length > 0) {
    const ul = el('ul', { class: 'problems diff-notes' });
    for (const n of d.notes) ul.appendChild(el('li', {}, n.side ? `${n.side}: ` : '', value(n.message, { max: 2000 }), ` [${n.code}]`));
    out.push(section('Not compared', ul));
  }
  return out;
}
