import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffImages, previousReleaseTag, signerChangeBetween } from '../../src/diff';
import { ownRefs } from '../../src/diff/signers';
import type { DiffSide } from '../../src/diff';
import { provenanceFields } from '../../src/diff/provenance-fields';
import { parsePurl, withoutQualifier } from '../../src/diff/purl';
import { sbomContents } from '../../src/diff/sbom-document';
import { normalisePlatformString } from '../../src/model/platform';
import type { ProvenanceSummary } from '../../src/provenance/types';
import { diffSide } from '../support/diff-sides';

describe('platforms compare as containerd normalises them', () => {
  test('spellings of one platform meet', () => {
    const same: Array<[string, string]> = [
      ['linux/arm64', 'linux/arm64/v8'],
      ['linux/arm64', 'linux/aarch64'],
      ['linux/arm64/v8', 'linux/arm64/8'],
      ['linux/arm', 'linux/arm/v7'],
      ['linux/armhf', 'linux/arm/v7'],
      ['linux/armel', 'linux/arm/v6'],
      ['linux/arm/6', 'linux/arm/v6'],
      ['linux/amd64', 'linux/x86_64'],
      ['linux/amd64', 'linux/amd64/v1'],
      ['linux/386', 'linux/i386'],
      ['darwin/arm64', 'macos/arm64'],
      ['Linux/AMD64', 'linux/amd64'],
      ['linux/arm64/v9', 'linux/arm64/9.0'],
    ];
    for (const [a, b] of same) assert.equal(normalisePlatformString(a), normalisePlatformString(b), `${a} = ${b}`);
  });

  test('different platforms stay apart', () => {
    const apart: Array<[string, string]> = [
      ['linux/amd64', 'linux/amd64/v2'],
      ['linux/arm/v6', 'linux/arm/v7'],
      ['linux/arm64', 'linux/arm64/v9'],
      ['linux/amd64', 'windows/amd64'],
      ['linux/ppc64le', 'linux/ppc64'],
    ];
    for (const [a, b] of apart) assert.notEqual(normalisePlatformString(a), normalisePlatformString(b), `${a} ≠ ${b}`);
    assert.equal(normalisePlatformString('linux/arm64/v8'), 'linux/arm64');
    assert.equal(normalisePlatformString('linux/arm'), 'linux/arm/v7');
  });
});

describe('package URLs', () => {
  test('the package without its version, the version decoded', () => {
    assert.deepEqual(parsePurl('pkg:docker/golang@1.20?digest=sha256:abc&platform=linux%2Famd64'), {
      name: 'pkg:docker/golang',
      version: '1.20',
      qualifiers: ['digest=sha256:abc', 'platform=linux%2Famd64'],
      subpath: '',
    });
    assert.deepEqual(parsePurl('pkg:npm/%40angular/core@16.0.0'), { name: 'pkg:npm/%40angular/core', version: '16.0.0', qualifiers: [], subpath: '' });
    assert.deepEqual(parsePurl('pkg:NPM/left-pad'), { name: 'pkg:npm/left-pad', qualifiers: [], subpath: '' });
    assert.equal(parsePurl('pkg:golang/github.com/x/y@v1.2.3%2Bincompatible#cmd/y')?.version, 'v1.2.3+incompatible');
    // A raw npm scope: its `@` is before the last slash, so it is not a version.
    assert.deepEqual(parsePurl('pkg:npm/@scope/pkg'), { name: 'pkg:npm/@scope/pkg', qualifiers: [], subpath: '' });
    for (const not of ['golang/x', 'pkg:', 'pkg:docker', 'https://example.com/pkg:x']) assert.equal(parsePurl(not), undefined, not);
  });

  test('a qualifier taken out, the rest as written', () => {
    assert.equal(
      withoutQualifier('pkg:docker/golang@1.20?digest=sha256:abc&platform=linux%2Famd64', 'digest'),
      'pkg:docker/golang@1.20?platform=linux%2Famd64',
    );
    assert.equal(withoutQualifier('pkg:docker/alpine@3?digest=sha256:abc#x', 'digest'), 'pkg:docker/alpine@3#x');
    assert.equal(withoutQualifier('pkg:docker/alpine@3', 'digest'), 'pkg:docker/alpine@3');
  });
});

describe('SBOM documents', () => {
  test('SPDX 2.3 JSON: packages by purl, else by purpose and name', () => {
    const doc = {
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'sbom',
      packages: [
        {
          name: 'golang.org/x/net',
          SPDXID: 'SPDXRef-Package-1',
          versionInfo: 'v0.17.0',
          externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:golang/golang.org/x/net@v0.17.0' }],
        },
        {
          name: 'musl',
          SPDXID: 'SPDXRef-Package-2',
          versionInfo: '1.2.4-r2',
          externalRefs: [
            { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:musl:musl:1.2.4:*:*:*:*:*:*:*' },
            { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4' },
          ],
        },
        { name: 'app', SPDXID: 'SPDXRef-Package-3', primaryPackagePurpose: 'APPLICATION' },
        { SPDXID: 'SPDXRef-Package-4' },
      ],
    };
    assert.deepEqual(sbomContents(doc, 100), {
      format: 'SPDX',
      truncated: 0,
      packages: [{ id: 'pkg:golang/golang.org/x/net', version: 'v0.17.0' }, { id: 'pkg:apk/alpine/musl', version: '1.2.4-r2' }, { id: 'application/app' }],
    });
  });

  test('CycloneDX JSON: nested components in document order; the purl version when none is written', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        {
          type: 'library',
          name: 'express',
          version: '4.18.2',
          purl: 'pkg:npm/express@4.18.2',
          components: [{ type: 'library', name: 'qs', purl: 'pkg:npm/qs@6.11.0' }],
        },
        { type: 'operating-system', name: 'debian', version: '12.2' },
        { type: 'library', group: 'org.apache', name: 'commons-lang3', version: '3.12.0' },
      ],
    };
    assert.deepEqual(sbomContents(bom, 100)?.packages, [
      { id: 'pkg:npm/express', version: '4.18.2' },
      { id: 'pkg:npm/qs', version: '6.11.0' },
      { id: 'operating-system/debian', version: '12.2' },
      { id: 'library/org.apache/commons-lang3', version: '3.12.0' },
    ]);
  });

  test('bounded: packages past the limit are counted, not read; other formats are not read at all', () => {
    const many = { spdxVersion: 'SPDX-2.2', packages: Array.from({ length: 7 }, (_, i) => ({ name: `p${i}`, versionInfo: '1' })) };
    const read = sbomContents(many, 5)!;
    assert.deepEqual([read.packages.length, read.truncated, read.packages.at(-1)], [5, 2, { id: 'package/p4', version: '1' }]);
    assert.equal(sbomContents({ '@context': 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld', '@graph': [] }, 5), undefined);
    assert.equal(sbomContents({ artifacts: [], source: {}, schema: { version: '16.0.0' } }, 5), undefined); // syft's own JSON
    assert.equal(sbomContents('SPDXVersion: SPDX-2.3', 5), undefined);
  });
});

function summary(p: Partial<ProvenanceSummary>): ProvenanceSummary {
  return {
    predicateType: 'https://slsa.dev/provenance/v0.2',
    slsaVersion: '0.2',
    subject: [],
    subjectTruncated: 0,
    builder: {},
    parameters: { buildArgs: [], labels: [], otherArgs: [], locals: [], secrets: [], inputs: [], truncated: 0 },
    materials: [],
    materialsTruncated: 0,
    unknown: {},
    notes: [],
    ...p,
  };
}

describe('provenance fields', () => {
  test('a base image or checkout keeps its name when its digest changes; run ids and times are not fields', () => {
    const f = provenanceFields(
      summary({
        builder: { id: 'https://github.com/o/r/actions/runs/1' },
        invocationId: 'abc',
        startedOn: '2023-01-01T00:00:00Z',
        parameters: {
          frontend: 'dockerfile.v0',
          buildArgs: [{ name: 'VERSION', value: '1.2.3' }],
          labels: [
            { name: 'org.opencontainers.image.created', value: 'now' },
            { name: 'org.opencontainers.image.revision', value: 'c0ffee' },
          ],
          otherArgs: [],
          locals: [],
          secrets: [],
          inputs: [{ name: 'debug', value: true }],
          truncated: 0,
        },
        materials: [
          { uri: 'pkg:docker/golang@1.20?digest=sha256:690e&platform=linux%2Famd64', digest: { sha256: '690e' } },
          { uri: 'https://github.com/o/r.git#62cb1f1e485829bafe8bbec8b9900c0cb7624fe7', digest: { sha1: '62cb1f1e485829bafe8bbec8b9900c0cb7624fe7' } },
          { uri: 'pkg:docker/alpine@3?digest=sha256:1234', digest: {} },
        ],
      }),
    );
    assert.deepEqual(
      [...f],
      [
        ['builder.id', 'https://github.com/o/r/actions/runs/1'],
        ['frontend', 'dockerfile.v0'],
        ['buildArgs.VERSION', '1.2.3'],
        ['labels.org.opencontainers.image.revision', 'c0ffee'],
        ['inputs.debug', 'true'],
        ['materials.pkg:docker/golang@1.20?platform=linux%2Famd64', 'sha256:690e'],
        ['materials.https://github.com/o/r.git', 'sha1:62cb1f1e485829bafe8bbec8b9900c0cb7624fe7'],
        ['materials.pkg:docker/alpine@3', 'sha256:1234'],
      ],
    );
  });
});

/** A side with only what a test sets, referenced by its digest. */
const side = (digest: string, p: Partial<DiffSide> = {}): DiffSide => diffSide(`example.test/app@${digest}`, digest, p);
const sha = (c: string): string => `sha256:${c.repeat(64)}`;

describe('diffImages', () => {
  test('linux/arm64/v8 and linux/arm64 are one platform; a platform gone and an attestation gone are warnings', () => {
    const old = side(sha('1'), {
      platforms: [
        { key: 'linux/amd64', label: 'linux/amd64', digest: sha('a') },
        { key: 'linux/arm64', label: 'linux/arm64/v8', digest: sha('b') },
        { key: 'linux/s390x', label: 'linux/s390x', digest: sha('c') },
      ],
      attestationTypes: ['https://slsa.dev/provenance/v1', 'https://spdx.dev/Document'],
    });
    const next = side(sha('2'), {
      platforms: [
        { key: 'linux/amd64', label: 'linux/amd64', digest: sha('a') },
        { key: 'linux/arm64', label: 'linux/arm64', digest: sha('d') },
        { key: 'linux/riscv64', label: 'linux/riscv64', digest: sha('e') },
      ],
      attestationTypes: ['https://slsa.dev/provenance/v1'],
    });
    const d = diffImages(old, next);
    assert.deepEqual(d.platforms, {
      added: ['linux/riscv64'],
      removed: ['linux/s390x'],
      changed: [{ platform: 'linux/arm64', old: sha('b'), new: sha('d') }],
      unchanged: ['linux/amd64'],
    });
    assert.deepEqual(d.attestations, { added: [], removed: ['https://spdx.dev/Document'], unsigned: [] });
    assert.deepEqual(
      d.warnings.map((w) => w.code),
      ['PLATFORM_REMOVED', 'ATTESTATION_DROPPED'],
    );
    assert.match(d.warnings[0]!.message, /^linux\/s390x is in the old image and not in the new one/);
  });

  test('an attestation signed before and only unsigned now is ATTESTATION_DROPPED, though its predicate type is still there', () => {
    const SLSA = 'https://slsa.dev/provenance/v1';
    const SPDX = 'https://spdx.dev/Document';
    // Old: provenance cosign-attested (and BuildKit's unsigned statement); SPDX only BuildKit's. New: both only BuildKit's.
    const old = side(sha('1'), { attestationTypes: [SLSA, SPDX], signedAttestationTypes: [SLSA] });
    const next = side(sha('2'), { attestationTypes: [SLSA, SPDX], signedAttestationTypes: [] });
    const d = diffImages(old, next);
    assert.deepEqual(d.attestations, { added: [], removed: [], unsigned: [SLSA] });
    assert.deepEqual(d.warnings, [
      {
        code: 'ATTESTATION_DROPPED',
        message: `The new image carries ${SLSA} only unsigned (or with a signature that does not verify); the old one had it signed.`,
      },
    ]);
    assert.equal(d.changed, true);
    // Signed on both sides, or unsigned on both: nothing to say.
    assert.deepEqual(diffImages(old, side(sha('2'), { attestationTypes: [SLSA, SPDX], signedAttestationTypes: [SLSA] })).warnings, []);
    assert.deepEqual(diffImages(next, side(sha('3'), { attestationTypes: [SLSA, SPDX] })).warnings, []);
  });

  test('SAME_REF_OTHER_COMMIT for a tag, never for a branch', () => {
    const built = (ref: string, commit: string): DiffSide['provenance'][number] => ({
      key: 'index',
      label: 'index',
      from: 'cosign-tag',
      fields: new Map([
        ['source.ref', ref],
        ['source.commit', commit],
      ]),
    });
    const tag = diffImages(
      side(sha('1'), { provenance: [built('refs/tags/v1.0.0', 'a'.repeat(40))] }),
      side(sha('2'), { provenance: [built('refs/tags/v1.0.0', 'b'.repeat(40))] }),
    );
    assert.deepEqual(
      tag.warnings.map((w) => w.code),
      ['SAME_REF_OTHER_COMMIT'],
    );
    assert.equal(
      tag.warnings[0]!.message,
      `Both images say they were built from refs/tags/v1.0.0: the old one from commit ${'a'.repeat(40)}, the new one from ${'b'.repeat(40)}. The tag was moved, or a build did not come from the tag it names.`,
    );
    assert.deepEqual(tag.provenance, [{ platform: 'index', field: 'source.commit', old: 'a'.repeat(40), new: 'b'.repeat(40), from: 'cosign-tag' }]);
    const branch = diffImages(
      side(sha('1'), { provenance: [built('refs/heads/main', 'a'.repeat(40))] }),
      side(sha('2'), { provenance: [built('refs/heads/main', 'b'.repeat(40))] }),
    );
    assert.deepEqual(branch.warnings, []);
    const otherTag = diffImages(
      side(sha('1'), { provenance: [built('refs/tags/v1.0.0', 'a'.repeat(40))] }),
      side(sha('2'), { provenance: [built('refs/tags/v1.1.0', 'b'.repeat(40))] }),
    );
    assert.deepEqual(otherTag.warnings, []);
  });

  test('SBOM packages: changed, added and removed per platform; several versions listed together; a one-sided SBOM is a note, not a list', () => {
    const pkgs = (...xs: Array<[string, string?]>) => xs.map(([id, version]) => ({ id, ...(version !== undefined ? { version } : {}) }));
    const old = side(sha('1'), {
      sboms: [
        {
          key: 'linux/amd64',
          label: 'linux/amd64',
          truncated: 0,
          packages: pkgs(['pkg:npm/a', '1.0.0'], ['pkg:npm/b', '2.0.0'], ['pkg:npm/c', '1.0.0'], ['pkg:npm/c', '2.0.0'], ['library/x']),
        },
        { key: 'linux/arm64', label: 'linux/arm64', truncated: 0, packages: pkgs(['pkg:npm/a', '1.0.0']) },
      ],
    });
    const next = side(sha('2'), {
      sboms: [
        {
          key: 'linux/amd64',
          label: 'linux/amd64',
          truncated: 0,
          packages: pkgs(['pkg:npm/a', '1.1.0'], ['pkg:npm/c', '2.0.0'], ['pkg:npm/c', '1.0.0'], ['pkg:npm/d', '0.1.0'], ['library/x']),
        },
      ],
    });
    const d = diffImages(old, next);
    assert.deepEqual(d.sbom, [
      { platform: 'linux/amd64', package: 'pkg:npm/a', old: '1.0.0', new: '1.1.0' },
      { platform: 'linux/amd64', package: 'pkg:npm/b', old: '2.0.0', new: null },
      { platform: 'linux/amd64', package: 'pkg:npm/d', old: null, new: '0.1.0' },
    ]);
    assert.deepEqual(d.notes, [
      {
        code: 'SBOM_ONE_SIDE',
        side: 'old',
        message: 'Only the old image has an SBOM for linux/arm64 (1 package): there is nothing to compare them with, so none is listed.',
      },
    ]);
    const cut = diffImages(old, next, { maxSbomChanges: 2 });
    assert.deepEqual(
      cut.sbom.map((c) => c.package),
      ['pkg:npm/a', 'pkg:npm/b'],
    );
    assert.deepEqual(cut.notes.map((n) => [n.code, n.message]).at(-1), ['SBOM_TRUNCATED', '3 package changes; the first 2 are listed.']);
  });

  test('the same side twice: nothing changed', () => {
    const s = side(sha('1'), {
      platforms: [{ key: 'linux/amd64', label: 'linux/amd64', digest: sha('a') }],
      signers: [
        { identity: 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1', issuer: 'https://token.actions.githubusercontent.com' },
        { keyId: 'SHA256:abc' },
      ],
    });
    const d = diffImages(s, side(sha('1'), { ...s, signers: [...s.signers].reverse() }));
    assert.equal(d.changed, false);
    assert.deepEqual([d.warnings, d.signers.changed], [[], false]);
  });
});

describe('who signs a release', () => {
  const gha = 'https://token.actions.githubusercontent.com';
  const own = (tag: string) => ({ identity: `https://github.com/acme/app/.github/workflows/release.yml@refs/tags/${tag}`, issuer: gha });
  const generator = (v: string) => ({
    identity: `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/${v}`,
    issuer: gha,
  });

  test("a project's own release workflow at each release's own tag is the same signer: no SIGNER_CHANGED every release", () => {
    const d = diffImages(
      side(sha('1'), { signers: [own('v1.2.0')], ownRefs: ownRefs('v1.2.0') }),
      side(sha('2'), { signers: [own('v1.3.0')], ownRefs: ownRefs('v1.3.0') }),
    );
    assert.deepEqual([d.signers.changed, d.warnings], [false, []]);
    // The lists still say exactly who signed each.
    assert.deepEqual([d.signers.old, d.signers.new], [[own('v1.2.0')], [own('v1.3.0')]]);
  });

  test("a reusable workflow at a new version, or the own workflow at a ref that is not the release's, is a new signer", () => {
    const gen = diffImages(
      side(sha('1'), { signers: [generator('v1.7.0')], ownRefs: ownRefs(undefined, ['refs/heads/main']) }),
      side(sha('2'), { signers: [generator('v1.8.0')], ownRefs: ownRefs(undefined, ['refs/heads/main']) }),
    );
    assert.deepEqual([gen.signers.changed, gen.warnings.map((w) => w.code)], [true, ['SIGNER_CHANGED']]);
    const moved = diffImages(
      side(sha('1'), { signers: [own('v1.2.0')], ownRefs: ownRefs('v1.2.0') }),
      side(sha('2'), { signers: [own('v1.2.0')], ownRefs: ownRefs('v1.3.0') }),
    );
    assert.deepEqual(
      [moved.signers.changed, moved.warnings.map((w) => w.code)],
      [true, ['SIGNER_CHANGED']],
      'v1.3.0 signed by the workflow as it ran for v1.2.0',
    );
    const fork = diffImages(
      side(sha('1'), { signers: [own('v1.2.0')], ownRefs: ownRefs('v1.2.0') }),
      side(sha('2'), {
        signers: [{ identity: 'https://github.com/fork/app/.github/workflows/release.yml@refs/tags/v1.3.0', issuer: gha }],
        ownRefs: ownRefs('v1.3.0'),
      }),
    );
    assert.equal(fork.signers.changed, true);
  });
});

describe('a release signed by other signers than the one before (verify --release and the Releases view)', () => {
  const gha = 'https://token.actions.githubusercontent.com';
  const own = (repo: string, tag: string) => ({ identity: `https://github.com/${repo}/.github/workflows/release.yml@refs/tags/${tag}`, issuer: gha });
  const none = {};
  // Only whether a signer is pinned matters here, not to whom.
  const pinned = { identity: {} } as never;

  test("its own workflow at its own tag is the same signer; a fork's workflow is not", () => {
    assert.equal(
      signerChangeBetween(
        { signers: [own('acme/app', 'v1.2.0')], tag: 'v1.2.0', policy: none },
        { signers: [own('acme/app', 'v1.3.0')], tag: 'v1.3.0', policy: none },
      ),
      false,
    );
    assert.equal(
      signerChangeBetween(
        { signers: [own('acme/app', 'v1.2.0')], tag: 'v1.2.0', policy: none },
        { signers: [own('fork/app', 'v1.3.0')], tag: 'v1.3.0', policy: none },
      ),
      true,
    );
    assert.equal(
      signerChangeBetween({ signers: [own('acme/app', 'v1.2.0')], tag: 'v1.2.0', policy: none }, { signers: [], tag: 'v1.3.0', policy: none }),
      true,
      'no signer now',
    );
  });

  test('no question when the policy pins a signer for both; one pinned side leaves it open', () => {
    const keys = { keys: [{ path: 'cosign.pub' }] } as never;
    assert.equal(
      signerChangeBetween(
        { signers: [own('acme/app', 'v1.2.0')], tag: 'v1.2.0', policy: pinned },
        { signers: [own('fork/app', 'v1.3.0')], tag: 'v1.3.0', policy: pinned },
      ),
      undefined,
    );
    assert.equal(
      signerChangeBetween({ signers: [{ keyId: 'a' }], tag: 'v1.2.0', policy: keys }, { signers: [{ keyId: 'b' }], tag: 'v1.3.0', policy: keys }),
      undefined,
    );
    assert.equal(
      signerChangeBetween(
        { signers: [own('acme/app', 'v1.2.0')], tag: 'v1.2.0', policy: none },
        { signers: [own('fork/app', 'v1.3.0')], tag: 'v1.3.0', policy: pinned },
      ),
      true,
    );
  });
});

describe('the release before a tag', () => {
  test('the newest version below it; prereleases only before a prerelease', () => {
    const tags = ['latest', 'v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'v1.2.0', '1.1.5', 'v1.10.0', 'sha256-abcd.sig'];
    assert.equal(previousReleaseTag(tags, 'v1.2.0'), '1.1.5');
    assert.equal(previousReleaseTag(tags, 'v1.10.0'), 'v1.2.0');
    assert.equal(previousReleaseTag(tags, 'v1.2.0-rc.2'), 'v1.2.0-rc.1');
    assert.equal(previousReleaseTag(tags, 'v1.0.0'), undefined);
    assert.equal(previousReleaseTag(tags, 'latest'), undefined);
  });
});
