// One verdict vocabulary (src/model/verdict.ts), every surface mapping from it: every state is put
// through the tree item, the status bar, the CodeLens title, the hover's verdict line, the panel's
// header model and the command line's mark, alone and in pairs, and they must agree on the verdict
// (the worst, for several images) and its icon. Before, with one `unpinned` and one
// `attestations-only` image the status bar led with one and the CodeLens with the other, and
// `unpinned` had the verified icon in the tree but the unverified one in the panel.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { verdictMark } from '../../src/cli/format';
import { imageHover } from '../../src/hovers/hover-content';
import type { HoverCommands } from '../../src/hovers/hover-content';
import { buildModel } from '../../src/hovers/release-context';
import { entryWords } from '../../src/hovers/verdict-words';
import { SEVERITY, VERDICTS, isEngineState, markedPhrase, verdictPhrase, worstOf } from '../../src/model/verdict';
import type { EngineState, VerdictState } from '../../src/model/verdict';
import { toPanelModel } from '../../src/panel/model';
import type { Artifact, ImageGraph } from '../../src/model/image-graph';
import type { ImageLoad } from '../../src/releases/types';
import { shownVerdict, summarizeLoads } from '../../src/releases/verdict';
import { releaseStatusText, verdictLook, verdictText } from '../../src/views/verdict-text';
import { artifact, digestVerdict, indexGraph, letterDigest, platformEntry, verifiedLoad as loaded } from '../support/image-graphs';
import { realFixture } from '../support/real-fixtures';

const D = letterDigest;
const INDEX = D('0');
const AMD = D('1');
const ARM = D('2');

const graph = (artifacts: Artifact[] = [], problems: ImageGraph['problems'] = []): ImageGraph =>
  indexGraph(INDEX, [platformEntry('linux/amd64', AMD), platformEntry('linux/arm64', ARM)], { artifacts, problems });
const sig = (covers: string, digest: string) => artifact('signature', 'cosign-tag', covers, digest);
const buildkit = (covers: string, digest: string) => artifact('attestation', 'buildkit-index', covers, digest);

/** A loaded image the engine verified to `state`. */
function verifiedLoad(state: EngineState): ImageLoad {
  const own = state === 'excepted' ? 'unsigned' : state;
  const verdict = {
    verified: state === 'verified',
    state,
    coverage: `the image is ${state}`,
    causes: [],
    digests: [digestVerdict(INDEX, 'index', own), digestVerdict(AMD, 'linux/amd64', own), digestVerdict(ARM, 'linux/arm64', own)],
    checks: [],
  };
  return loaded(graph(), { artifacts: [], verdict }, 1);
}

/** What inspection alone shows, from graphs that hold exactly that. */
const INSPECTED: Record<Exclude<VerdictState, EngineState | 'not-verified'>, ImageGraph> = {
  'signature-found': graph([sig(INDEX, D('a'))]),
  'partly-signed': graph([sig(AMD, D('a')), buildkit(ARM, D('b'))]),
  'attestations-only': graph([buildkit(AMD, D('b'))]),
  'nothing-found': graph(),
  incomplete: graph([], [{ at: `sha256-${ARM.slice(7)}.sig`, code: 'REGISTRY_ERROR', message: '500' }]),
};

const ENGINE: readonly EngineState[] = ['verified', 'unpinned', 'failed', 'unsigned', 'not-checked', 'excepted'];
const loads: ReadonlyArray<readonly [Exclude<VerdictState, 'not-verified'>, ImageLoad]> = [
  ...ENGINE.map((s) => [s, verifiedLoad(s)] as const),
  ...Object.entries(INSPECTED).map(([s, g]) => [s as keyof typeof INSPECTED, { status: 'loaded', graph: g, ms: 1 } as ImageLoad] as const),
];

const IDS: HoverCommands = { verify: 'p.verify', showProvenance: 'p.prov', reveal: 'p.reveal', setEnv: 'p.setEnv', signIn: 'p.signIn' };
const fleetImage = buildModel(readFileSync(realFixture('goreleaser', 'rancher-fleet', 'HEAD.goreleaser.yaml'), 'utf8'), {
  file: '/work/fleet/.goreleaser.yaml',
  env: { STAGE_REGISTRY: 'r.test' },
  git: { tag: 'v1' },
}).release.images.find((i) => i.reference !== null)!;

/** What each surface says about some images of one release (or one goreleaser entry). */
function surfaces(images: readonly ImageLoad[]) {
  const summary = summarizeLoads(images);
  const lens = entryWords(images.map((load, i) => ({ reference: `r.test/app:v${i}`, unresolved: [], load })));
  return { summary, status: releaseStatusText('fleet v1', summary), lens };
}

describe('the verdict vocabulary', () => {
  test('one severity order holds every state once, and every state has its words and icon', () => {
    assert.deepEqual([...SEVERITY].sort(), Object.keys(VERDICTS).sort());
    assert.equal(new Set(SEVERITY).size, SEVERITY.length);
    assert.deepEqual(SEVERITY.slice(0, 2), ['failed', 'unsigned']);
    assert.equal(SEVERITY.at(-1), 'verified');
    for (const [state, w] of Object.entries(VERDICTS)) {
      assert.ok(w.short && w.long && w.codicon && w.color, state);
      assert.ok(['good', 'warn', 'bad', 'neutral'].includes(w.tone), state);
    }
    // The slip the vocabulary fixes: unpinned is not shown with the verified icon anywhere.
    assert.notEqual(VERDICTS.unpinned.codicon, VERDICTS.verified.codicon);
    assert.equal(VERDICTS.unpinned.codicon, 'unverified');
  });

  for (const [state, load] of loads) {
    test(`${state}: tree, status bar, CodeLens, hover, panel and command line say the same`, () => {
      const look = VERDICTS[state];
      assert.ok(load.status === 'loaded');
      // Tree item of the image.
      const verdict = shownVerdict(load.graph, load.verification);
      assert.equal(verdict.state, state);
      assert.deepEqual(verdictLook(verdict), { codicon: look.codicon, color: look.color });
      assert.equal(verdictText(verdict), verdictPhrase(state));
      assert.equal(verdictText(verdict).endsWith(' · not verified'), !isEngineState(state), 'what inspection alone says is marked not verified');
      // Status bar of its release.
      const { status, lens } = surfaces([load]);
      assert.equal(status, `$(${look.codicon}) fleet v1: ${verdictPhrase(state)}`);
      // CodeLens of its goreleaser entry, and the hover's verdict line.
      assert.equal(lens.state, state);
      assert.equal(lens.tone, look.tone);
      const counted = state === 'failed' ? `${look.mark} 1 ${verdictPhrase(state)}` : markedPhrase(state);
      assert.equal(lens.text, `${counted} · 2 platforms`);
      assert.equal(imageHover(fleetImage, 'r.test/app:v1', load, IDS).verdict, markedPhrase(state));
      if (look.mark) assert.ok(lens.text.startsWith(look.mark));
      // The panel: the engine's state itself; inspection alone is "not verified" there.
      const panel = toPanelModel(load.graph, load.verification);
      const shown = isEngineState(state) ? state : 'not-verified';
      assert.equal(panel.verdict.state, shown);
      assert.equal(panel.states[shown].icon, VERDICTS[shown].codicon);
      assert.equal(panel.verdict.label.toLowerCase(), VERDICTS[shown].long.toLowerCase());
      // The command line's mark (verify prints the engine's states only).
      if (isEngineState(state) && state !== 'excepted') assert.equal(verdictMark(state).toLowerCase(), `[${look.short}]`);
    });
  }

  test('several images: the status bar and the CodeLens lead with the same, worst verdict', () => {
    for (const [a, la] of loads) {
      for (const [b, lb] of loads) {
        const worst = worstOf([a, b])!;
        const { summary, status, lens } = surfaces([la, lb]);
        const pair = `${a} + ${b}`;
        assert.equal(summary.worst?.state, worst, pair);
        assert.ok(status.startsWith(`$(${VERDICTS[worst].codicon}) fleet v1: ${verdictPhrase(worst)}`), `${pair}: ${status}`);
        assert.equal(lens.state, worst, pair);
        assert.equal(lens.tone, VERDICTS[worst].tone, pair);
        const words = markedPhrase(worst);
        const mark = VERDICTS[worst].mark;
        const lead =
          a === b
            ? mark
              ? `${mark} 2 images ${words.slice(mark.length + 1)}`
              : `2 images ${words}`
            : mark
              ? `${mark} 1 ${words.slice(mark.length + 1)}`
              : `1 ${words}`;
        assert.ok(lens.text.startsWith(lead), `${pair}: ${lens.text}`);
      }
    }
  });

  test('the case that disagreed: one unpinned and one attestations-only image', () => {
    const unpinned = loads.find(([s]) => s === 'unpinned')![1];
    const attestations = loads.find(([s]) => s === 'attestations-only')![1];
    const { status, lens } = surfaces([unpinned, attestations]);
    assert.equal(status, '$(unverified) fleet v1: attestations only, no signature · not verified');
    assert.equal(lens.text, '1 attestations only, no signature · not verified · 1 signed, signer not pinned');
  });
});
