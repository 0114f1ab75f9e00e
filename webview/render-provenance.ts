// The Provenance tab: each SLSA statement that applies to the chosen platform (its own, and
// the index's), as written: builder, build type, source and commit, trigger and workflow (for
// GitHub Actions, the run: repository, workflow, run, runner, visibility, and which Sigstore
// instance signed), times, BuildKit frontend and build arguments, materials with digests, raw parameters.
import type { NameValue, PanelFact, PanelModel, PanelPlatform, PanelProvenance } from '../src/protocol/panel';
import { copyAction, custom, el, facts, grid, link, section, value } from './dom';
import { flatten } from './text';
import { rawBlock } from './render-raw';

function pairsGrid(title: string, list: readonly NameValue[]): HTMLElement | undefined {
  if (list.length === 0) return undefined;
  return section(
    title,
    grid(
      ['Name', 'Value'],
      list.map((p) => [value(p.name, { mono: true, max: 200 }), value(p.value, { mono: true })]),
      ['30%', '70%'],
    ),
  );
}

function words(title: string, list: readonly string[]): HTMLElement | undefined {
  if (list.length === 0) return undefined;
  const ul = el('ul', { class: 'inline-list' });
  for (const w of list) ul.appendChild(el('li', {}, value(w, { mono: true, max: 200 })));
  return section(title, ul);
}

function sourceFacts(p: PanelProvenance): PanelFact[] {
  const s = p.source;
  if (!s) return [];
  const out: PanelFact[] = [];
  if (s.repository !== undefined) out.push({ label: 'Source repository', value: s.repository, ...(s.repositoryUrl ? { url: s.repositoryUrl } : {}) });
  if (s.commit !== undefined) out.push({ label: 'Commit', value: s.commit, mono: true, ...(s.commitUrl ? { url: s.commitUrl } : {}) });
  if (s.ref !== undefined) out.push({ label: 'Ref', value: s.ref });
  if (s.path !== undefined) out.push({ label: 'Build config', value: s.path });
  out.push({ label: 'Source read from', value: s.from });
  return out;
}

function summaryFacts(p: PanelProvenance): PanelFact[] {
  const out: PanelFact[] = [];
  const add = (label: string, v: string | undefined, extra: Partial<PanelFact> = {}): void => {
    if (v !== undefined && v !== '') out.push({ label, value: v, ...extra });
  };
  add('Builder', p.builderId ?? '(empty)');
  for (const v of p.builderVersion) add(`Builder version ${v.name}`, v.value);
  add('Build type', p.buildTypeLabel ? `${p.buildTypeLabel} (${p.buildType ?? ''})` : p.buildType);
  out.push(...sourceFacts(p));
  // A GitHub Actions run has a section of its own (below): its trigger, workflow and run are said there.
  if (p.github === undefined) {
    add('Trigger', p.trigger);
    if (p.workflow) add('Workflow', [p.workflow.repository, p.workflow.path, p.workflow.ref].filter((x) => x !== undefined && x !== '').join(' · '));
    add('Invocation', p.invocationId, p.runUrl ? { url: p.runUrl } : {});
    if (p.runUrl && p.invocationId === undefined) add('Run', p.runUrl, { url: p.runUrl });
  }
  add('Started', p.startedOn);
  add('Finished', p.finishedOn);
  add('BuildKit frontend', p.frontend);
  add('Entry point', p.entryPoint);
  if (p.reproducible !== undefined) add('Reproducible', p.reproducible ? 'yes (claimed)' : 'no');
  if (p.hermetic !== undefined) add('Hermetic', p.hermetic ? 'yes (claimed)' : 'no');
  add('SLSA version', p.slsaVersion);
  add('Predicate type', p.predicateType);
  add('Found as', p.formatLabel);
  add('Sigstore instance', p.trustRoot);
  add('Statement digest', p.artifactDigest, { mono: true });
  return out;
}

function materialsGrid(p: PanelProvenance): HTMLElement | undefined {
  if (p.materials.length === 0) return undefined;
  const rows = p.materials.map((m) => [
    link(m.uri ?? m.name ?? '(no uri)', m.url, { max: 300 }),
    el(
      'span',
      { class: 'digests' },
      ...m.digests.map((d) =>
        el(
          'span',
          { class: 'digest-line' },
          value(d, { mono: true, max: 200 }),
          copyAction('digest', () => d),
        ),
      ),
    ),
  ]);
  const note = p.materialsTruncated > 0 ? el('p', { class: 'muted' }, `${p.materialsTruncated} more not listed.`) : undefined;
  return section('Materials and resolved dependencies', grid(['URI', 'Digest'], rows, ['45%', '55%']), note);
}

function card(p: PanelProvenance, open: boolean, states: PanelModel['states']): HTMLElement {
  const kind = p.slsaVersion ? `SLSA v${p.slsaVersion} provenance` : 'Provenance';
  const c = custom('vscode-collapsible', { class: 'provenance' }) as HTMLElement & { heading: string; description: string; open: boolean };
  c.heading = `${kind}${p.buildTypeLabel ? ` · ${p.buildTypeLabel}` : ''}`;
  // What it is worth first, then where it was found: a closed row is cut on the right.
  c.description = `${states[p.state].words} · ${p.place} · ${p.attachedTo === 'index' ? 'on the index' : 'on this platform'}`;
  c.open = open;
  const body = el('div', { class: 'card-body' });
  for (const w of p.warnings)
    body.appendChild(
      el('div', { class: 'notice warn', role: 'note' }, custom('vscode-icon', { name: 'warning', class: 'notice-icon warn' }), value(w, { max: 2000 })),
    );
  if (p.state === 'unsigned' || p.state === 'not-verified') {
    body.appendChild(
      el(
        'p',
        { class: 'muted' },
        p.state === 'unsigned'
          ? 'Not signed: anyone who can push to the repository can write this statement. Read it as a claim.'
          : 'Shown as written; whether it is signed is on the Checks tab.',
      ),
    );
  }
  if (p.error) {
    body.appendChild(
      el(
        'div',
        { class: 'notice error', role: 'alert' },
        custom('vscode-icon', { name: 'error', class: 'notice-icon error' }),
        value(`${p.error.message} [${p.error.code}]`, { max: 2000 }),
      ),
    );
  }
  body.append(
    ...[
      facts(summaryFacts(p)),
      p.github !== undefined ? section('GitHub Actions run', facts(p.github)) : undefined,
      pairsGrid('Build arguments', p.buildArgs),
      pairsGrid('Frontend attributes', p.otherArgs),
      pairsGrid('Labels', p.labels),
      pairsGrid('Workflow inputs', p.inputs),
      words('Secrets (ids only)', p.secrets),
      words('Local sources', p.locals),
      materialsGrid(p),
      pairsGrid('Subjects', p.subjects),
      p.externalParameters !== undefined ? rawBlock('External parameters', p.externalParameters, false) : undefined,
      p.internalParameters !== undefined ? rawBlock('Internal parameters', p.internalParameters, false) : undefined,
      words('Notes', p.notes),
      p.statementJson !== undefined ? rawBlock('Statement (raw JSON)', p.statementJson, false) : undefined,
    ].filter((x): x is HTMLElement => x !== undefined),
  );
  c.appendChild(body);
  return c;
}

/** Statements that apply to `p`: its own and the index's. */
export function provenanceFor(model: PanelModel, p: PanelPlatform | undefined): PanelProvenance[] {
  return model.provenance.filter((x) => x.attachedTo === 'index' || (p !== undefined && x.coversDigest === p.digest));
}

export function renderProvenance(model: PanelModel, p: PanelPlatform | undefined): HTMLElement {
  const root = el('div', { class: 'tab-body' });
  const list = provenanceFor(model, p);
  if (list.length === 0) {
    root.appendChild(el('p', { class: 'empty' }, `No SLSA provenance for ${p ? flatten(p.platform, 80) : 'this image'}.`));
    return root;
  }
  // Verified statements come first (the host orders them); an unsigned claim is not opened first
  // unless it is all there is.
  list.forEach((x, i) => root.appendChild(card(x, i === 0 && (x.state === 'verified' || list.length === 1), model.states)));
  return root;
}
