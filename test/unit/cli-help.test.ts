import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../../src/cli/commands';
import { cli } from '../support/cli';
import { realFixtureDir } from '../support/real-fixtures';

// The command line's own ergonomics, on exact output: `help <command>` is `<command> --help`;
// each help lists every option the command takes, in aligned columns (made from the option
// definitions, so it cannot drift); a mistyped option is one line with the closest one and exit
// 2; a policy file in the current folder is named, never applied by itself.
const NAMES = commands.map((c) => c.name);

/** The option lines of a help text: `  --flag VALUE   description`, and where each description starts. */
function optionLines(help: string): Array<{ flag: string; column: number | undefined }> {
  const lines = help.split('\n');
  return lines
    .slice(lines.indexOf('Options:') + 1)
    .filter((l) => /^ {2}-/.test(l))
    .map((l) => ({
      flag: /--[\w-]+/.exec(l)![0],
      column: /^( {2}(?:-\w, )?--[\w-]+(?: \S+)? {2,})\S/.exec(l)?.[1]!.length,
    }));
}

describe('help', () => {
  for (const name of NAMES) {
    test(`help ${name} prints what ${name} --help prints`, async () => {
      const a = await cli(['help', name]);
      const b = await cli([name, '--help']);
      assert.deepEqual([a.code, a.stderr], [0, '']);
      assert.equal(a.stdout, b.stdout);
      assert.match(a.stdout, new RegExp(`^Usage: provenance-lens ${name} `));
    });

    test(`${name} --help: every option it accepts is listed, descriptions in one column`, async () => {
      const help = (await cli([name, '--help'])).stdout;
      const listed = optionLines(help);
      assert.ok(listed.length > 0, help);
      const columns = new Set(listed.map((l) => l.column).filter((c) => c !== undefined));
      assert.equal(columns.size, 1, `descriptions start in columns ${[...columns].join(', ')}:\n${help}`);
      // Every listed option is one the command parses: options are read in order, so the first
      // one refused is the unknown one placed after it, never the listed one.
      for (const { flag } of listed) {
        const r = await cli([name, flag, 'x', '--not-an-option']);
        assert.match(r.stderr, /: unknown option --not-an-option \(/, `${name} ${flag}: ${r.stderr}`);
      }
    });
  }

  test('tags --help lists --all and --json, and the registry options', async () => {
    const help = (await cli(['tags', '--help'])).stdout;
    const options = help
      .split('\n')
      .filter((l) => /^ {2}-/.test(l))
      .map((l) => l.trim().split(/ {2,}/)[0]);
    assert.deepEqual(options, [
      '--all',
      '--json',
      '--insecure-registry host:port',
      '--ca-file file.pem',
      '--signature-repository repo',
      '--no-cache',
      '-v, --verbose',
    ]);
    assert.match(help, /^ {2}--json {25}machine-readable output: \{repository, tags, unfinished\?\}$/m);
  });

  test("help alone lists the commands and says how to get a command's options", async () => {
    const r = await cli(['help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Run `provenance-lens help <command>` \(or `<command> --help`\) for its options\.$/m);
  });
});

describe('a mistyped option: one line, the closest option, exit 2', () => {
  const cases: Array<[string[], string]> = [
    [
      ['tags', 'ghcr.io/org/app', '--jsn'],
      'provenance-lens tags: unknown option --jsn; did you mean --json? (`provenance-lens tags --help` lists its options). [USAGE]\n',
    ],
    [
      ['verify', 'ghcr.io/org/app:v1', '--polcy', 'p.yaml'],
      'provenance-lens verify: unknown option --polcy; did you mean --policy? (`provenance-lens verify --help` lists its options). [USAGE]\n',
    ],
    [
      ['verify', 'ghcr.io/org/app:v1', '--certificate-identiy', 'x'],
      'provenance-lens verify: unknown option --certificate-identiy; did you mean --certificate-identity? (`provenance-lens verify --help` lists its options). [USAGE]\n',
    ],
    [
      ['inspect', 'ghcr.io/org/app:v1', '--zzzzzzzz'],
      'provenance-lens inspect: unknown option --zzzzzzzz (`provenance-lens inspect --help` lists its options). [USAGE]\n',
    ],
    [
      ['verify', 'ghcr.io/org/app:v1', '--policy'],
      'provenance-lens verify: --policy needs a value (FILE) (`provenance-lens verify --help` lists its options). [USAGE]\n',
    ],
    [
      ['inspect', 'ghcr.io/org/app:v1', '--json=yes'],
      'provenance-lens inspect: --json takes no value (`provenance-lens inspect --help` lists its options). [USAGE]\n',
    ],
  ];
  for (const [argv, stderr] of cases) {
    test(argv.join(' '), async () => {
      const r = await cli(argv);
      assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', stderr]);
    });
  }
});

describe('a .provenance-lens.yaml in the current folder is named, never applied by itself', () => {
  const GITHUB = 'https://token.actions.githubusercontent.com';
  const identity = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v1.8.0';
  const layout = `oci-layout:${realFixtureDir('cosign-signatures', 'slsa-github-generator-container', 'v1.8.0', 'container_workflow_dispatch')}`;
  const folder = mkdtempSync(join(tmpdir(), 'pl-cwd-policy-'));
  // A policy that would verify the image: if it were applied, the verdict would be "verified".
  writeFileSync(
    join(folder, '.provenance-lens.yaml'),
    ['version: 1', 'defaults:', `  identity: ${identity}`, `  issuer: ${GITHUB}`, '  coverage: signatures-or-attestations', ''].join('\n'),
  );
  const NOTE =
    'provenance-lens verify: note: ./.provenance-lens.yaml is here but not used: a policy file applies only when named; to verify against it, add --policy .provenance-lens.yaml.\n';

  test('no --policy, no identity flag: the note, and the verdict without the file (unpinned)', async () => {
    const r = await cli(['verify', layout, '--coverage', 'signatures-or-attestations', '--json'], {}, folder);
    assert.equal(r.stderr, NOTE);
    assert.deepEqual([r.code, (JSON.parse(r.stdout) as { verdict: { state: string } }).verdict.state], [1, 'unpinned']);
  });

  test('named with --policy: applied, no note', async () => {
    const r = await cli(['verify', layout, '--policy', join(folder, '.provenance-lens.yaml'), '--json'], {}, folder);
    assert.equal(r.stderr, '');
    assert.deepEqual([r.code, (JSON.parse(r.stdout) as { verdict: { state: string } }).verdict.state], [0, 'verified']);
  });

  test('identity flags given: they are the policy, no note', async () => {
    const r = await cli(
      ['verify', layout, '--certificate-identity', identity, '--certificate-oidc-issuer', GITHUB, '--coverage', 'signatures-or-attestations'],
      {},
      folder,
    );
    assert.deepEqual([r.code, r.stderr], [0, '']);
  });
});
