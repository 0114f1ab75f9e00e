// The diff view's model (src/panel/model-diff.ts): the engine's comparison in the words of
// `provenance-lens diff`, the warnings first, every platform with its manifest digests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDiff } from '../../src/cli/diff-text';
import { diffImages } from '../../src/diff';
import type { DiffSide } from '../../src/diff';
import { DIFF_VIEW_MAX_PACKAGES, toPanelDiff } from '../../src/panel/model-diff';
import { diffTitle } from '../../src/panel/diff-title';
import { diffSide } from '../support/diff-sides';

const sha = (c: string): string => `sha256:${c.repeat(64)}`;
const GHA = 'https://token.actions.githubusercontent.com';
const SLSA = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';
const own = (repo: string, tag: string) => ({ identity: `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/${tag}`, issuer: GHA });

const OLD = diffSide('127.0.0.1:5000/team/fleet-agent:v1.0.0', sha('1'), {
  ownRefs: new Set(['refs/tags/v1.0.0']),
  platforms: [
    { key: 'linux/amd64', label: 'linux/amd64', digest: sha('a') },
    { key: 'linux/arm64', label: 'linux/arm64/v8', digest: sha('b') },
    { key: 'linux/s390x', label: 'linux/s390x', digest: sha('c') },
  ],
  signers: [own('team/fleet', 'v1.0.0')],
  attestationTypes: [SLSA, SPDX],
  signedAttestationTypes: [SLSA, SPDX],
  provenance: [
    {
      key: 'index',
      label: 'index',
      from: 'cosign-tag',
      fields: new Map([
        ['source.commit', 'a'.repeat(40)],
        ['source.repository', 'https://github.com/team/fleet'],
      ]),
    },
  ],
  sboms: [
    {
      key: 'linux/amd64',
      label: 'linux/amd64',
      truncated: 0,
      packages: [
        { id: 'pkg:npm/a', version: '1.0.0' },
        { id: 'pkg:npm/b', version: '2.0.0' },
      ],
    },
  ],
});
const NEW = diffSide('127.0.0.1:5000/team/fleet-agent:v1.1.0', sha('2'), {
  ownRefs: new Set(['refs/tags/v1.1.0']),
  platforms: [
    { key: 'linux/amd64', label: 'linux/amd64', digest: sha('d') },
    { key: 'linux/arm64', label: 'linux/arm64', digest: sha('b') },
    { key: 'linux/riscv64', label: 'linux/riscv64', digest: sha('e') },
  ],
  signers: [own('fleet-fork/fleet', 'v1.1.0')],
  attestationTypes: [SLSA, SPDX],
  signedAttestationTypes: [SPDX],
  provenance: [
    {
      key: 'index',
      label: 'index',
      from: 'cosign-tag',
      fields: new Map([
        ['source.commit', 'b'.repeat(40)],
        ['source.repository', 'https://github.com/fleet-fork/fleet'],
      ]),
    },
    { key: 'linux/amd64', label: 'linux/amd64', from: 'buildkit-index', fields: new Map([['buildArgs.VERSION', '1.1.0']]) },
  ],
  sboms: [
    {
      key: 'linux/amd64',
      label: 'linux/amd64',
      truncated: 0,
      packages: [
        { id: 'pkg:npm/a', version: '1.1.0' },
        { id: 'pkg:npm/c', version: '0.1.0' },
      ],
    },
  ],
});

const digests = (s: DiffSide): Map<string, string> => new Map(s.platforms.map((p) => [p.label, p.digest]));

describe('the diff view model', () => {
  const d = diffImages(OLD, NEW);
  const m = toPanelDiff(d, { old: digests(OLD), new: digests(NEW) });

  test('the two images and the title the tab and the loading line use', () => {
    assert.equal(m.title, 'fleet-agent:v1.0.0 ↔ fleet-agent:v1.1.0');
    assert.equal(diffTitle(OLD.image.reference, NEW.image.reference), m.title);
    assert.deepEqual(
      [m.old, m.new],
      [
        { reference: '127.0.0.1:5000/team/fleet-agent:v1.0.0', name: 'fleet-agent:v1.0.0', digest: sha('1') },
        { reference: '127.0.0.1:5000/team/fleet-agent:v1.1.0', name: 'fleet-agent:v1.1.0', digest: sha('2') },
      ],
    );
    assert.equal(m.changed, true);
    assert.equal(m.unchanged, undefined);
  });

  test('the warnings first, as the engine words them, most alarming first', () => {
    assert.deepEqual(
      m.warnings.map((w) => w.code),
      ['SIGNER_CHANGED', 'PLATFORM_REMOVED', 'ATTESTATION_DROPPED'],
    );
    assert.deepEqual(m.warnings, d.warnings);
    assert.equal(
      m.warnings[0]!.message,
      `The new image is signed by ${own('fleet-fork/fleet', 'v1.1.0').identity} (issuer ${GHA}), and no longer by ${own('team/fleet', 'v1.0.0').identity} (issuer ${GHA}).`,
    );
  });

  test('every platform with its manifest digests: rebuilt, added, removed, unchanged (linux/arm64/v8 is linux/arm64)', () => {
    assert.equal(m.platforms.summary, '1 rebuilt, 1 added, 1 removed, 1 unchanged');
    assert.deepEqual(m.platforms.rows, [
      { platform: 'linux/amd64', change: 'changed', words: 'rebuilt', old: sha('a'), new: sha('d') },
      { platform: 'linux/riscv64', change: 'added', words: 'added', new: sha('e') },
      { platform: 'linux/s390x', change: 'removed', words: 'removed', old: sha('c') },
      { platform: 'linux/arm64', change: 'unchanged', words: 'unchanged', old: sha('b'), new: sha('b') },
    ]);
  });

  test('signers old and new; an attestation left unsigned; provenance fields by target and source; SBOM packages', () => {
    assert.deepEqual(
      { ...m.signers, rows: [...m.signers.rows] },
      {
        title: 'Signers',
        summary: 'changed',
        changed: true,
        rows: [
          { change: 'removed', words: 'signed the old image only', signer: `${own('team/fleet', 'v1.0.0').identity} (issuer ${GHA})` },
          { change: 'added', words: 'signs the new image only', signer: `${own('fleet-fork/fleet', 'v1.1.0').identity} (issuer ${GHA})` },
        ],
      },
    );
    assert.deepEqual(m.attestations.rows, [{ change: 'unsigned', words: 'no longer signed', predicateType: SLSA }]);
    assert.equal(m.attestations.summary, '1 changed');
    assert.equal(m.provenance.summary, '3 fields changed (not verified: the signers above say who vouches for it)');
    assert.deepEqual(m.provenance.groups, [
      {
        platform: 'index',
        from: 'cosign .att',
        changes: [
          { field: 'source.commit', old: 'a'.repeat(40), new: 'b'.repeat(40) },
          { field: 'source.repository', old: 'https://github.com/team/fleet', new: 'https://github.com/fleet-fork/fleet' },
        ],
      },
      { platform: 'linux/amd64', from: 'BuildKit, in the index (unsigned)', changes: [{ field: 'buildArgs.VERSION', old: '(none)', new: '1.1.0' }] },
    ]);
    assert.deepEqual(m.sbom.rows, [
      { platform: 'linux/amd64', mark: '~', package: 'pkg:npm/a', old: '1.0.0', new: '1.1.0' },
      { platform: 'linux/amd64', mark: '-', package: 'pkg:npm/b', old: '2.0.0', new: '(none)' },
      { platform: 'linux/amd64', mark: '+', package: 'pkg:npm/c', old: '(none)', new: '0.1.0' },
    ]);
    assert.equal(m.sbom.more, 0);
  });

  test("the same words as the CLI's text: each part's summary is its line there", () => {
    const text = renderDiff(d).split('\n');
    for (const [label, part] of [
      ['Platforms', m.platforms],
      ['Signers', m.signers],
      ['Provenance', m.provenance],
      ['SBOM packages', m.sbom],
    ] as const) {
      assert.ok(text.includes(`${label}: ${part.summary}`), `${label}: ${part.summary}\n${text.join('\n')}`);
    }
    assert.ok(text.includes(`  ! ${SLSA} (no longer signed)`));
  });

  test("packages past the view's limit are counted, not listed", () => {
    const n = DIFF_VIEW_MAX_PACKAGES + 20;
    const version = (v: string) => Array.from({ length: n }, (_, i) => ({ id: `pkg:npm/p${i}`, version: v }));
    const a = diffSide('r.test/app:v1', sha('1'), { sboms: [{ key: 'index', label: 'index', truncated: 0, packages: version('1') }] });
    const b = diffSide('r.test/app:v2', sha('2'), { sboms: [{ key: 'index', label: 'index', truncated: 0, packages: version('2') }] });
    const v = toPanelDiff(diffImages(a, b), { old: new Map(), new: new Map() });
    assert.equal(v.sbom.rows.length, DIFF_VIEW_MAX_PACKAGES);
    assert.equal(v.sbom.more, 20);
    assert.equal(v.sbom.summary, `${n} changed`);
  });

  test('an image compared with itself: the CLI\'s "No change" sentence, nothing listed as changed', () => {
    const same = toPanelDiff(diffImages(OLD, { ...OLD }), { old: digests(OLD), new: digests(OLD) });
    assert.equal(same.changed, false);
    assert.equal(same.unchanged, 'No change: the same image, with the same signers, attestations, provenance and SBOMs.');
    assert.deepEqual(same.warnings, []);
    assert.deepEqual(
      [same.platforms.changed, same.signers.changed, same.attestations.changed, same.provenance.changed, same.sbom.changed],
      [false, false, false, false, false],
    );
    assert.equal(same.signers.summary, 'unchanged');
    assert.deepEqual(
      same.signers.rows.map((r) => r.change),
      ['kept'],
    );
  });

  test("under a policy each image carries its verdict, in the panel's words", () => {
    const a = { ...OLD, image: { ...OLD.image, verdict: { state: 'verified' as const, causes: [] } } };
    const b = { ...NEW, image: { ...NEW.image, verdict: { state: 'failed' as const, causes: [] } } };
    const v = toPanelDiff(diffImages(a, b), { old: digests(OLD), new: digests(NEW) });
    assert.deepEqual(
      [v.old.verdict, v.new.verdict],
      [
        { state: 'verified', label: 'Verified' },
        { state: 'failed', label: 'Verification failed' },
      ],
    );
    assert.equal(v.states.failed.label, 'Verification failed');
  });
});
