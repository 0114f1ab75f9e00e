import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WALK_LIMITS } from '../../src/registry/graph-limits';
import type { WalkLimits } from '../../src/registry/graph-limits';
import { repoRoot } from '../support/repo-root';

// docs/codes.md is the one list of codes: every code the source can emit is there, and every
// code it lists still exists. The codes are read from the source as text (the type unions and
// the literals pushed), so a code added without a line in the doc fails here.

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

/** Source without comments: block comments, and line comments not inside a URL (`https://`). */
function code(path: string): string {
  return read(path)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\w])\/\/.*$/gm, '$1');
}

const literals = (text: string): string[] => [...text.matchAll(/'([^'\\]+)'/g)].map((m) => m[1]!);

/** The string literals of `type <name> = …;` in a file. */
function union(path: string, name: string): string[] {
  const m = new RegExp(`\\btype ${name}\\s*=([^;]*);`).exec(code(path));
  assert.ok(m, `${path} declares no type ${name}`);
  const found = literals(m[1]!);
  assert.ok(found.length > 0, `type ${name} in ${path} has no string literal`);
  return found;
}

/** The literals of the first `<pattern>…;` in a file, e.g. a property typed as a union. */
function typedField(path: string, pattern: string): string[] {
  const m = new RegExp(`${pattern}([^;]*);`).exec(code(path));
  assert.ok(m, `${path} has no ${pattern}`);
  return literals(m[1]!);
}

/** The literal codes a file sets on an object (`code: 'X'`, `code: e.code ?? 'X'`). */
function pushedCodes(path: string): string[] {
  return [...code(path).matchAll(/\bcode:\s*([^,}\n]+)/g)].flatMap((m) => literals(m[1]!));
}

interface Row {
  codes: string[];
  cells: string[];
}

const doc = read('docs/codes.md');

/** The table rows under a heading (up to the next heading), by their first cell's `code`s; undefined without a table. */
function tableUnder(heading: string): Row[] | undefined {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => /^#{2,4} /.test(l) && l.replace(/^#+ /, '') === heading);
  assert.notEqual(start, -1, `docs/codes.md has no heading "${heading}"`);
  const end = lines.findIndex((l, i) => i > start && /^#{1,4} /.test(l));
  const table = lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => l.startsWith('|'));
  if (table.length === 0) return undefined;
  // Skip the header and the |---| line; cells split on pipes not escaped as \|.
  return table.slice(2).map((l) => {
    const cells = l
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    return { cells, codes: [...cells[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!) };
  });
}

function rows(heading: string): Row[] {
  const table = tableUnder(heading);
  assert.ok(table !== undefined && table.length > 0, `"${heading}" in docs/codes.md has no table`);
  return table;
}

const documented = (heading: string): string[] => rows(heading).flatMap((r) => r.codes);

/** The doc's section lists exactly the source's codes: none missing, none that no longer exists. */
function assertSame(heading: string, source: readonly string[], where: string): void {
  const listed = documented(heading);
  const missing = [...new Set(source)].filter((c) => !listed.includes(c));
  const gone = listed.filter((c) => !source.includes(c));
  assert.deepEqual(missing, [], `docs/codes.md "${heading}" does not document ${missing.join(', ')} (from ${where})`);
  assert.deepEqual(gone, [], `docs/codes.md "${heading}" lists ${gone.join(', ')}, which ${where} no longer has`);
  assert.equal(new Set(listed).size, listed.length, `docs/codes.md "${heading}" lists a code twice`);
}

const ERROR_CODES = union('src/core/errors.ts', 'ErrorCode');
const CUT_CAPS = typedField('src/model/image-graph.ts', '\\bcap:');
const GRAPH_FILES = readdirSync(join(repoRoot, 'src/registry'))
  .filter((f) => /^graph.*\.ts$/.test(f))
  .map((f) => `src/registry/${f}`);

describe('docs/codes.md lists every code the engine emits', () => {
  test('every ErrorCode, and no error code that is gone', () => {
    assert.ok(ERROR_CODES.includes('AMBIGUOUS_JSON') && ERROR_CODES.includes('UNAUTHORIZED'), `ErrorCode read as ${ERROR_CODES.join(', ')}`);
    assertSame('Error codes', ERROR_CODES, 'ErrorCode in src/core/errors.ts');
  });

  test('every problem code the graph walk records, its own or an error code', () => {
    const graphOwn = documented('Graph problem codes');
    assert.ok(GRAPH_FILES.length >= 4, `graph files: ${GRAPH_FILES.join(', ')}`);
    const pushed = GRAPH_FILES.flatMap(pushedCodes);
    for (const c of ['TRUNCATED', 'SIZE_MISMATCH', 'MEDIA_TYPE_MISMATCH', 'DANGLING_ATTESTATION'])
      assert.ok(pushed.includes(c), `${c} not found in ${GRAPH_FILES.join(', ')}`);
    const undocumented = pushed.filter((c) => !graphOwn.includes(c) && !ERROR_CODES.includes(c));
    assert.deepEqual([...new Set(undocumented)], [], `${undocumented.join(', ')}: pushed in src/registry/graph*.ts without a line in "Graph problem codes"`);
    const gone = graphOwn.filter((c) => !pushed.includes(c) && !ERROR_CODES.includes(c));
    assert.deepEqual(gone, [], `"Graph problem codes" lists ${gone.join(', ')}, which the walk no longer records`);
  });

  test('every TRUNCATED cap, with the default the walk uses', () => {
    assertSame('`TRUNCATED` caps', CUT_CAPS, "Cut['cap'] in src/model/image-graph.ts");
    for (const row of rows('`TRUNCATED` caps')) {
      const key = row.codes[0]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof WalkLimits;
      assert.equal(row.cells[1], String(DEFAULT_WALK_LIMITS[key]), `default of cap ${row.codes[0]}`);
    }
  });

  test('every check code: bundle checks and image checks', () => {
    const checks = union('src/verify/checks.ts', 'CheckCode');
    assert.ok(checks.includes('CERTIFICATE_CHAIN') && checks.includes('SLSA_SOURCE_COMMIT'), `CheckCode read as ${checks.join(', ')}`);
    assertSame('Signature and artifact checks', checks, 'CheckCode in src/verify/checks.ts');
    assertSame('Image checks', union('src/verify/image/image-checks.ts', 'ImageCheckCode'), 'ImageCheckCode in src/verify/image/image-checks.ts');
  });

  test('every verdict state', () => {
    assertSame('Verdict states', union('src/model/verdict.ts', 'EngineState'), 'EngineState in src/model/verdict.ts');
  });

  test('every verdict cause, in the order the engine lists them', () => {
    const causes = union('src/model/cause.ts', 'CauseCode');
    assert.ok(causes.includes('IDENTITY_MISMATCH') && causes.includes('UNPINNED'), `CauseCode read as ${causes.join(', ')}`);
    assertSame('Verdict causes', causes, 'CauseCode in src/model/cause.ts');
    const order = typedField('src/verify/image/cause-classify.ts', 'CAUSE_ORDER: readonly CauseCode\\[\\] =');
    assert.deepEqual(documented('Verdict causes'), order, 'docs/codes.md lists the causes in CAUSE_ORDER (src/verify/image/cause-classify.ts)');
  });

  test('provenance errors, warnings and notes', () => {
    assertSame('Errors', union('src/claims/errors.ts', 'ProvenanceErrorCode'), 'ProvenanceErrorCode in src/claims/errors.ts');
    assertSame('Warnings', typedField('src/provenance/collect.ts', 'warnings: Array<\\{ code:'), 'ProvenanceEntry.warnings in src/provenance/collect.ts');
    assertSame('Notes', typedField('src/provenance/types.ts', 'interface ProvenanceNote \\{\\s*code:'), 'ProvenanceNote in src/provenance/types.ts');
  });

  test('policy file and GoReleaser diagnostics', () => {
    assertSame(
      'Policy file diagnostics',
      union('src/verify/policy/policy-types.ts', 'PolicyDiagnosticCode'),
      'PolicyDiagnosticCode in src/verify/policy/policy-types.ts',
    );
    const editorOnly = literals(/SIGN_MISSING = ('[^']+')/.exec(code('src/hovers/sign-gaps.ts'))?.[1] ?? '');
    assert.deepEqual(editorOnly, ['docker-sign-missing']);
    assertSame(
      'GoReleaser diagnostics',
      [...union('src/goreleaser/types.ts', 'DiagnosticCode'), ...editorOnly],
      'DiagnosticCode in src/goreleaser/types.ts and src/hovers/sign-gaps.ts',
    );
  });

  test("refs --verify states and the editor's own diagnostics", () => {
    const refsStates = literals(/state: '([^']+)' \}/.exec(code('src/cli/refs-verify.ts'))?.[0] ?? '');
    assertSame('`refs --verify` states', refsStates, 'the state src/cli/refs-verify.ts gives an image no policy names');
    assertSame(
      'Editor diagnostics',
      literals(/DRIFT_CODE = ('[^']+')/.exec(code('src/hovers/reference-diagnostics.ts'))?.[1] ?? ''),
      'DRIFT_CODE in src/hovers/reference-diagnostics.ts',
    );
  });

  test('verify --release errors, trusted-root refresh codes and @sigstore/verify causes', () => {
    const release = pushedCodes('src/cli/verify-release.ts').filter((c) => !ERROR_CODES.includes(c));
    assertSame('`verify --release` image errors', release, 'src/cli/verify-release.ts');
    assertSame(
      'Trusted-root refresh',
      union('src/verify/trust/trust-refresh.ts', 'RefreshFailureCode'),
      'RefreshFailureCode in src/verify/trust/trust-refresh.ts',
    );
    const sentences = /const SENTENCES[^{]*\{([\s\S]*?)\n\};/.exec(code('src/verify/bundle/library-verifier.ts'));
    assert.ok(sentences, 'src/verify/bundle/library-verifier.ts has no SENTENCES table');
    assertSame(
      '`@sigstore/verify` causes',
      [...sentences[1]!.matchAll(/^\s+([A-Z_]+):/gm)].map((m) => m[1]!),
      'SENTENCES in src/verify/bundle/library-verifier.ts',
    );
  });

  test('diff warnings and notes', () => {
    assertSame('`diff` warnings', union('src/diff/types.ts', 'DiffWarningCode'), 'DiffWarningCode in src/diff/types.ts');
    assertSame('`diff` notes', union('src/diff/types.ts', 'DiffNoteCode'), 'DiffNoteCode in src/diff/types.ts');
  });

  test('every row says what the code means and what to do', () => {
    let checked = 0;
    for (const [, heading] of doc.matchAll(/^#{2,4} (.+)$/gm)) {
      for (const r of tableUnder(heading!) ?? []) {
        assert.ok(r.codes.length > 0, `a row of "${heading}" names no code: ${r.cells.join(' | ')}`);
        assert.ok(r.cells.length >= 2 && r.cells.every((c) => c.length > 0), `a row of "${heading}" has an empty cell: ${r.cells.join(' | ')}`);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} rows were read`);
  });
});
