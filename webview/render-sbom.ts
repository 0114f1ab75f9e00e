// The SBOM tab: which SBOMs cover the chosen platform or the index, in which standard and
// format, and whether anything signs them; plus every predicate type present in the image.
import type { PanelModel, PanelPlatform } from '../src/protocol/panel';
import { copyAction, el, grid, section, value } from './dom';

export function renderSbom(model: PanelModel, p: PanelPlatform | undefined): HTMLElement {
  const root = el('div', { class: 'tab-body' });
  const list = model.sboms.filter((s) => s.coversDigest === model.digest || (p !== undefined && s.coversDigest === p.digest));
  if (list.length === 0) {
    root.appendChild(el('p', { class: 'empty' }, 'No SBOM covers this platform or the index.'));
  } else {
    root.appendChild(
      section(
        'SBOMs',
        grid(
          ['Standard', 'Covers', 'Found as', 'State', 'Digest'],
          list.map((s) => [
            value(s.standard, { max: 120 }),
            value(s.coversLabel, { max: 120 }),
            value(s.formatLabel, { max: 200 }),
            model.states[s.state].words,
            el(
              'span',
              { class: 'digest-line' },
              value(s.digest, { mono: true, max: 80 }),
              copyAction('SBOM digest', () => s.digest),
            ),
          ]),
          ['12%', '14%', '28%', '12%', '34%'],
        ),
      ),
    );
  }
  if (model.predicateTypes.length > 0) {
    const ul = el('ul', { class: 'plain-list' });
    for (const t of model.predicateTypes) ul.appendChild(el('li', {}, value(t, { mono: true, max: 300 })));
    root.appendChild(section('Predicate types in this image', ul));
  }
  return root;
}
