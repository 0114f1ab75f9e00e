// The Checks tab: image-level checks for the chosen platform, then every signature and
// attestation covering it (directly, through the index, or on another artifact) with the
// verifier's checks and their evidence.
import type { CheckStatus, PanelArtifact, PanelCheck, PanelModel, PanelPlatform } from '../src/protocol/panel';
import { append, custom, el, facts, value } from './dom';
import { flatten } from './text';

const STATUS_ICONS: Record<CheckStatus, string> = { pass: 'pass', fail: 'error', warn: 'warning', info: 'info' };
const STATUS_WORDS: Record<CheckStatus, string> = { pass: 'passed', fail: 'failed', warn: 'warning', info: 'note' };

const KINDS: Record<PanelArtifact['kind'], string> = { signature: 'Signature', attestation: 'Attestation', sbom: 'SBOM', other: 'Artifact' };

export function statusIcon(status: CheckStatus): HTMLElement {
  return custom('vscode-icon', {
    name: STATUS_ICONS[status],
    class: `status status-${status}`,
    label: STATUS_WORDS[status],
    role: 'img',
    'aria-label': STATUS_WORDS[status],
  });
}

export function checkList(checks: readonly PanelCheck[]): HTMLElement {
  const list = el('ul', { class: 'checks' });
  for (const c of checks) {
    list.appendChild(
      el(
        'li',
        { class: `check check-${c.status}` },
        el(
          'div',
          { class: 'check-line' },
          statusIcon(c.status),
          el('span', { class: 'check-message' }, value(c.message, { max: 2000 }), el('span', { class: 'check-code' }, c.code)),
        ),
        facts(c.facts),
      ),
    );
  }
  return list;
}

function artifactCard(a: PanelArtifact, open: boolean, states: PanelModel['states']): HTMLElement {
  // The heading is upper-cased by the collapsible: our words only; registry text goes in the
  // description, which always starts with where it was found, so closed rows differ.
  const who = [a.place, a.predicateType ? flatten(a.predicateType, 80) : undefined, a.identity ? flatten(a.identity, 120) : undefined]
    .filter(Boolean)
    .join(' · ');
  const card = custom('vscode-collapsible', { class: `artifact state-${a.state}` }) as HTMLElement & { heading: string; description: string; open: boolean };
  card.heading = `${KINDS[a.kind]} · ${states[a.state].words}`;
  card.description = who;
  card.open = open;
  const icon = custom('vscode-icon', { name: states[a.state].icon, slot: 'decorations', class: `status state-${a.state}` });
  card.appendChild(icon);
  const body = el('div', { class: 'card-body' });
  // Why it failed, first: the engine's cause for it, else the failing check's sentence (the full list follows).
  const check = a.checks.find((c) => c.status === 'fail') ?? a.checks.find((c) => c.status === 'warn');
  const why = a.cause ?? check?.message;
  if (why !== undefined && (a.state === 'failed' || a.state === 'not-checked' || a.state === 'unpinned')) {
    const bad = a.state === 'failed';
    body.appendChild(
      el(
        'div',
        { class: `notice ${bad ? 'error' : 'warn'}`, role: 'note' },
        custom('vscode-icon', { name: bad ? 'error' : 'warning', class: `notice-icon ${bad ? 'error' : 'warn'}` }),
        value(why, { max: 2000 }),
      ),
    );
  }
  append(
    body,
    facts([...(a.identity ? [{ label: 'Identity', value: a.identity }] : []), ...(a.issuer ? [{ label: 'Issuer', value: a.issuer }] : []), ...a.facts]),
  );
  if (a.checks.length > 0) body.appendChild(checkList(a.checks));
  else if (a.state === 'not-verified') body.appendChild(el('p', { class: 'muted' }, 'Not verified: no verification ran for this image.'));
  card.appendChild(body);
  return card;
}

function group(title: string, note: string, list: readonly PanelArtifact[], states: PanelModel['states']): HTMLElement | undefined {
  if (list.length === 0) return undefined;
  const failing = (a: PanelArtifact): boolean => a.state === 'failed' || a.state === 'not-checked';
  return el('section', { class: 'block' }, el('h3', {}, title), el('p', { class: 'muted' }, note), ...list.map((a) => artifactCard(a, failing(a), states)));
}

/** The artifacts the tab shows for `p`: on the platform, on the index, and on those artifacts. */
export function artifactsFor(
  model: PanelModel,
  p: PanelPlatform | undefined,
): { mine: PanelArtifact[]; onIndex: PanelArtifact[]; nested: PanelArtifact[]; length: number } {
  const mine = p ? model.artifacts.filter((a) => a.coversDigest === p.digest) : [];
  const onIndex = model.kind === 'index' ? model.artifacts.filter((a) => a.coversDigest === model.digest) : [];
  const shownDigests = new Set([...mine, ...onIndex].map((a) => a.digest));
  const nested = model.artifacts.filter((a) => a.nested && shownDigests.has(a.coversDigest));
  return { mine, onIndex, nested, length: mine.length + onIndex.length + nested.length };
}

export function renderChecks(model: PanelModel, p: PanelPlatform | undefined): HTMLElement {
  const root = el('div', { class: 'tab-body' });
  const imageChecks = model.checks.filter((c) => !c.platforms || p === undefined || c.platforms.includes(p.platform));
  if (imageChecks.length > 0) root.appendChild(el('section', { class: 'block' }, el('h3', {}, 'Image checks'), checkList(imageChecks)));
  const { mine, onIndex, nested } = artifactsFor(model, p);
  const groups = [
    group('On this platform', p ? `Artifacts that name ${p.platform}'s manifest digest.` : '', mine, model.states),
    group('On the index', 'A signature on the index covers every platform it lists.', onIndex, model.states),
    group('On those artifacts', 'Signatures and attestations about the artifacts above.', nested, model.states),
  ].filter((g): g is HTMLElement => g !== undefined);
  if (groups.length === 0 && imageChecks.length === 0)
    root.appendChild(el('p', { class: 'empty' }, 'No signature, attestation or SBOM covers this platform or the index.'));
  root.append(...groups);
  return root;
}
