// The Go text/template renderer against GoReleaser-style templates: expected output, expected
// unresolved variables, expected errors with their position. Expected values follow Go's
// text/template and GoReleaser's internal/tmpl (missingkey=error, its FuncMap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from '../../src/goreleaser/template';
import { contextFromTag } from '../../src/goreleaser/template-context';

const COMMIT = 'abcdef0123456789abcdef0123456789abcdef01';
const ctx = contextFromTag('v1.2.3-rc.1', {
  commit: COMMIT,
  branch: 'main',
  projectName: 'fleet',
  env: { REGISTRY: 'ghcr.io/rancher', EMPTY: '', MIXED: 'Hello World' },
  date: new Date('2025-01-02T03:04:05Z'),
});

type Expect = string | { unresolved: string[]; preview?: string } | { error: 'syntax' | 'exec'; message: string; line: number; column: number };

const ROWS: [template: string, expected: Expect][] = [
  // Fields derived from the tag, the commit and the context (GoReleaser's tmpl.New).
  ['{{ .Tag }}', 'v1.2.3-rc.1'],
  ['{{ .Version }}', '1.2.3-rc.1'],
  ['{{ .RawVersion }}', '1.2.3'],
  ['{{ .Major }}.{{ .Minor }}.{{ .Patch }}', '1.2.3'],
  ['{{ .Prerelease }}', 'rc.1'],
  ['{{ .ProjectName }}', 'fleet'],
  ['{{ .ShortCommit }}', 'abcdef0'],
  ['{{ .FullCommit }}', COMMIT],
  ['{{ .Commit }}', COMMIT],
  ['{{ .Branch }}', 'main'],
  ['{{ .Env.REGISTRY }}/app:{{ .Version }}', 'ghcr.io/rancher/app:1.2.3-rc.1'],
  ['{{ .Date }}', '2025-01-02T03:04:05Z'],
  ['{{ .Timestamp }}', '1735787045'],
  ['{{ .IsSnapshot }}', 'false'],
  ['{{ .Now.Format "20060102" }}', '20250102'],
  // Pipelines and GoReleaser's functions.
  ['{{ .Env.MIXED | tolower }}', 'hello world'],
  ['{{ .Env.MIXED | toupper }}', 'HELLO WORLD'],
  ['{{ title "linux amd64" }}', 'Linux Amd64'],
  ['{{ replace .Version "." "_" }}', '1_2_3-rc_1'],
  ['{{ trimprefix .Tag "v" }}', '1.2.3-rc.1'],
  // The piped value is the LAST argument: TrimPrefix("v", tag) is "v".
  ['{{ .Tag | trimprefix "v" }}', 'v'],
  ['{{ trimsuffix .Tag ".1" }}', 'v1.2.3-rc'],
  ['{{ trim "  x  " }}', 'x'],
  ['{{ contains .Tag "rc" }}', 'true'],
  ['{{ if isEnvSet "REGISTRY" }}set{{ end }}', 'set'],
  // isEnvSet: set AND not empty.
  ['{{ if isEnvSet "EMPTY" }}set{{ else }}empty{{ end }}', 'empty'],
  ['{{ if isEnvSet "NOT_SET" }}set{{ else }}unset{{ end }}', 'unset'],
  ['{{ index .Env "REGISTRY" }}', 'ghcr.io/rancher'],
  // index does not apply missingkey=error: the idiom of GoReleaser's env docs.
  ['{{ if index .Env "NOT_SET" }}x{{ else }}default{{ end }}', 'default'],
  ['{{ envOrDefault "NOT_SET" "docker.io" }}', 'docker.io'],
  ['{{ envOrDefault "REGISTRY" "docker.io" }}', 'ghcr.io/rancher'],
  ['{{ time "2006-01-02T15:04:05Z07:00" }}', '2025-01-02T03:04:05Z'],
  ['{{ time "Jan _2 15:04 MST" }}', 'Jan  2 03:04 UTC'],
  // Masterminds semver: IncPatch of a pre-release drops the pre-release only.
  ['{{ incpatch .Version }}', '1.2.3'],
  ['{{ incpatch "v1.2.3" }}', 'v1.2.4'],
  ['{{ incminor .Tag }}', 'v1.3.0'],
  ['{{ incmajor "2.9.9" }}', '3.0.0'],
  ['{{ split "a,b,c" "," | len }}', '3'],
  ['{{ printf "%s-%03d" .ProjectName .Major }}', 'fleet-001'],
  ['{{ print "a" 1 2 "b" }}', 'a1 2b'],
  ['{{ dir "a/b/c.txt" }} {{ base "a/b/c.txt" }}', 'a/b c.txt'],
  ['{{ $m := map "k" "v" }}{{ indexOrDefault $m "k" "d" }}{{ indexOrDefault $m "x" "d" }}', 'vd'],
  // filter: Go's regexp (RE2), a match anywhere in each line; (?i) is RE2 syntax JavaScript lacks.
  ['{{ filter "alpha\\nBeta\\ngamma" "(?i)^b|mm" }}', 'Beta\ngamma'],
  ['{{ reverseFilter "alpha\\nBeta\\ngamma" "(?i)^b|mm" }}', 'alpha'],
  // A pattern that backtracks exponentially in JavaScript is linear in RE2: answered, not hung.
  [`{{ filter "${'a'.repeat(64)}!" "^(a+)+$" }}`, ''],
  // Control structures.
  ['{{ if eq .Major 1 }}one{{ else if eq .Major 2 }}two{{ else }}many{{ end }}', 'one'],
  ['{{ if eq .Minor 1 }}one{{ else if eq .Minor 2 }}two{{ else }}many{{ end }}', 'two'],
  ['{{ if eq .ProjectName "x" "y" "fleet" }}any{{ end }}', 'any'],
  ['{{ if ne .Prerelease "" }}pre{{ end }}', 'pre'],
  ['{{ if and .Prerelease (not .IsSnapshot) }}rc{{ end }}', 'rc'],
  ['{{ if or .IsSnapshot .IsNightly }}dev{{ else }}release{{ end }}', 'release'],
  ['{{ and "a" "b" }} {{ or "" "c" }}', 'b c'],
  ['{{ if not .IsNightly }}latest{{ end }}', 'latest'],
  ['{{ if .IsNightly }}nightly{{ end }}', ''],
  ['{{ with .Env.REGISTRY }}{{ . }}/x{{ end }}', 'ghcr.io/rancher/x'],
  ['{{ range $i, $p := split "linux/amd64,linux/arm64" "," }}{{ if $i }} {{ end }}{{ $p }}{{ end }}', 'linux/amd64 linux/arm64'],
  ['{{ $v := .Version }}{{ $v = "x" }}{{ $v }}', 'x'],
  ['{{ lt .Minor 3 }} {{ ge .Patch 3 }}', 'true true'],
  ['{{ (split .Tag ".") | len }}', '4'],
  // Whitespace trim markers and comments.
  ['a {{- .Major -}} b', 'a1b'],
  ['x\n  {{- if true }}\n  y\n  {{- end }}\n', 'x\n  y\n'],
  ['{{/* a comment */}}img', 'img'],
  ['{{- /* trimmed */ -}}  img', 'img'],
  // Templates from the real configs.
  ['{{ if isEnvSet "IS_HOTFIX"}}{{ .Env.IS_HOTFIX }}{{else}}false{{end}}', 'false'],
  ['docker.io/rancher/fleet:{{ .Tag }}-linux-amd64', 'docker.io/rancher/fleet:v1.2.3-rc.1-linux-amd64'],
  ['v{{ .Version }}', 'v1.2.3-rc.1'],
  ['{{ if not .IsNightly }}latest{{ end }}', 'latest'],
  // What the context does not know is named, never guessed.
  ['{{ .Env.STAGE_REGISTRY }}/rancher/fleet:{{ .Tag }}', { unresolved: ['.Env.STAGE_REGISTRY'], preview: '<.Env.STAGE_REGISTRY>/rancher/fleet:v1.2.3-rc.1' }],
  ['{{ if .Env.A }}{{ .Env.B }}{{ else }}{{ .Env.C }}{{ end }}', { unresolved: ['.Env.A', '.Env.B', '.Env.C'] }],
  ['{{ .PreviousTag }}', { unresolved: ['.PreviousTag'], preview: '<.PreviousTag>' }],
  ['{{ .Env.NOT_SET | tolower }}', { unresolved: ['.Env.NOT_SET'] }],
  ['{{ or .Env.NOT_SET "d" }}', { unresolved: ['.Env.NOT_SET'], preview: '<.Env.NOT_SET>' }],
  // Short-circuit: the unknown is never looked at.
  ['{{ if and false .Env.NOT_SET }}x{{ end }}y', 'y'],
  ['{{ $r := .Env.NOT_SET }}assigned, not printed', 'assigned, not printed'],
  // Syntax errors, with their position in the template.
  ['{{ .Tag ', { error: 'syntax', message: 'unclosed action', line: 1, column: 1 }],
  ['{{ .Tag }', { error: 'syntax', message: "unrecognized character in action: U+007D '}'", line: 1, column: 9 }],
  ['{{ if .Tag }}x', { error: 'syntax', message: 'unexpected EOF: {{if}} has no {{end}}', line: 1, column: 1 }],
  ['{{ end }}', { error: 'syntax', message: 'unexpected {{end}}', line: 1, column: 1 }],
  ['{{ else }}', { error: 'syntax', message: 'unexpected {{else}}', line: 1, column: 1 }],
  ['{{ nosuchfunc .Tag }}', { error: 'syntax', message: 'function "nosuchfunc" not defined', line: 1, column: 4 }],
  ['{{ "unterminated }}', { error: 'syntax', message: 'unterminated quoted string', line: 1, column: 4 }],
  ['{{ $x }}', { error: 'syntax', message: 'undefined variable "$x"', line: 1, column: 4 }],
  ['{{/* unclosed }}', { error: 'syntax', message: 'unclosed comment', line: 1, column: 1 }],
  ['line one\n  {{ .Tag | }} {{ .Tag', { error: 'syntax', message: 'unclosed action', line: 2, column: 16 }],
  ['{{ .Tag "x" }}', { error: 'exec', message: 'Tag is not a method but has arguments', line: 1, column: 4 }],
  // Execution errors GoReleaser would stop on.
  ['{{ .NoSuchField }}', { error: 'exec', message: 'map has no entry for key "NoSuchField"', line: 1, column: 4 }],
  ['{{ .ProjectName }}_{{ .Arch }}', { error: 'exec', message: 'map has no entry for key "Arch"', line: 1, column: 23 }],
  ['{{ eq .Tag 1 }}', { error: 'exec', message: 'error calling eq: incompatible types for comparison', line: 1, column: 4 }],
  ['{{ incpatch "banana" }}', { error: 'exec', message: 'error calling incpatch: Invalid Semantic Version', line: 1, column: 4 }],
  ['{{ replace .Major "1" "2" }}', { error: 'exec', message: 'wrong type for value; expected string; got int', line: 1, column: 4 }],
  ['{{ index (split "a,b" ",") 5 }}', { error: 'exec', message: 'error calling index: index out of range: 5', line: 1, column: 4 }],
  ['{{ tolower }}', { error: 'exec', message: 'wrong number of args for tolower: want 1 got 0', line: 1, column: 4 }],
  ['{{ .Tag.Foo }}', { error: 'exec', message: "can't evaluate field Foo in type string", line: 1, column: 4 }],
  ['{{ nil }}', { error: 'exec', message: 'nil is not a command', line: 1, column: 4 }],
  ['{{ map "odd" }}', { error: 'exec', message: 'error calling map: map expects even number of arguments, got 1', line: 1, column: 4 }],
  [
    '{{ filter "x" "a(?=b)" }}',
    {
      error: 'exec',
      message: 'error calling filter: regexp: Compile("a(?=b)"): error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
      line: 1,
      column: 4,
    },
  ],
];

for (const [template, expected] of ROWS) {
  test(`renders ${JSON.stringify(template)}`, () => {
    const r = renderTemplate(template, ctx);
    if (typeof expected === 'string') {
      assert.deepEqual(r, { ok: true, value: expected, unresolved: [] });
    } else if ('unresolved' in expected) {
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.value, null);
      assert.deepEqual(r.unresolved, expected.unresolved);
      assert.equal(r.preview, expected.preview);
    } else {
      assert.equal(r.ok, false, JSON.stringify(r));
      if (r.ok) return;
      assert.deepEqual(
        { kind: r.error.kind, message: r.error.message, line: r.error.line, column: r.error.column },
        { kind: expected.error, message: expected.message, line: expected.line, column: expected.column },
      );
    }
  });
}

test('the table covers at least 40 templates, output and errors', () => {
  assert.ok(ROWS.length >= 40, `${ROWS.length} rows`);
  assert.ok(ROWS.filter(([, e]) => typeof e === 'object' && 'error' in e).length >= 15);
});

test('time without a clock is unresolved, not the time of the test run', () => {
  const r = renderTemplate('{{ time "2006" }}', contextFromTag('v1.0.0'));
  assert.deepEqual(r, { ok: true, value: null, unresolved: ['time'] });
});

test('without a tag, the fields derived from it are named', () => {
  const r = renderTemplate('{{ .ProjectName }}:{{ .Version }}-{{ .ShortCommit }}', contextFromTag(undefined, { projectName: 'fleet' }));
  assert.deepEqual(r, { ok: true, value: null, unresolved: ['.Version', '.ShortCommit'], preview: 'fleet:<.Version>-<.ShortCommit>' });
});

test('a context can offer artifact fields (builds, archives) that image templates lack', () => {
  const c = { ...contextFromTag('v1.0.0', { projectName: 'p' }), fieldNames: ['ProjectName', 'Os', 'Arch', 'Arm'] };
  assert.deepEqual(renderTemplate('{{ .ProjectName }}_{{ title .Os }}', { ...c, fields: { ...c.fields, Os: 'darwin' } }), {
    ok: true,
    value: 'p_Darwin',
    unresolved: [],
  });
  assert.deepEqual(renderTemplate('{{ .ProjectName }}_{{ .Arch }}', c), { ok: true, value: null, unresolved: ['.Arch'], preview: 'p_<.Arch>' });
});
