// Which worker thread reads a file (src/references/worker-lanes.ts): files of one parser go to the
// workers already running it, so that each parser warms up in as few workers as the load allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FileParser, Lane } from '../../src/references/worker-lanes';
import { BACKLOG, laneFor, parserOf } from '../../src/references/worker-lanes';

interface Worker extends Lane {
  readonly name: string;
  busy: number;
}

const manifests = (n: number): string[] => Array.from({ length: n }, (_, i) => `deploy/app-${i}.yaml`);
const workers = (n: number): Worker[] => Array.from({ length: n }, (_, i) => ({ name: `w${i}`, parsers: new Set<FileParser>(), busy: 0 }));

/** Sends files (each stays in flight) and says which worker took each. */
function send(lanes: Worker[], paths: readonly string[]): string[] {
  return paths.map((p) => {
    const w = laneFor(lanes, parserOf(p))!;
    w.busy++;
    return w.name;
  });
}

test('the parser of a file, from its name: dockerfile-ast for Dockerfiles and Containerfiles, yaml for the rest', () => {
  assert.deepEqual(
    [
      'svc/Dockerfile',
      'svc/build.dockerfile',
      'Containerfile',
      'compose.yaml',
      'chart/values.yaml',
      '.github/workflows/ci.yml',
      'deploy/app.yaml',
      'x.yml',
    ].map(parserOf),
    ['dockerfile', 'dockerfile', 'dockerfile', 'yaml', 'yaml', 'yaml', 'yaml', 'yaml'],
  );
});

test('two workers, a mixed workspace: each parser keeps to one worker, however busy', () => {
  const lanes = workers(2);
  const service = [
    'Dockerfile',
    'Dockerfile.agent',
    'docker-compose.yml',
    '.github/workflows/ci.yaml',
    'build/Dockerfile',
    'chart/values.yaml',
    'deploy/cronjob.yaml',
  ];
  const taken = send(lanes, [...service, ...service, ...service, ...service]);
  assert.deepEqual(taken.slice(0, 7), ['w0', 'w0', 'w1', 'w1', 'w0', 'w1', 'w1']);
  assert.deepEqual(
    lanes.map((l) => [l.name, [...l.parsers], l.busy]),
    [
      ['w0', ['dockerfile'], 12],
      ['w1', ['yaml'], 16],
    ],
  );
});

test('a workspace of one kind takes a second worker once the first has a backlog', () => {
  const lanes = workers(2);
  const taken = send(lanes, manifests(BACKLOG + 3));
  assert.deepEqual(taken, [...Array<string>(BACKLOG).fill('w0'), 'w1', 'w1', 'w1']);
  // Both run yaml now; the least busy takes the next.
  lanes[0]!.busy = 0;
  assert.equal(laneFor(lanes, 'yaml')!.name, 'w0');
});

test('with every worker taken, a new parser shares the least busy one, and keeps to it', () => {
  const lanes = workers(2);
  send(lanes, manifests(2 * BACKLOG));
  lanes[1]!.busy = 3;
  assert.deepEqual(send(lanes, ['Dockerfile', 'Dockerfile.agent', 'Dockerfile.test']), ['w1', 'w1', 'w1']);
  assert.deepEqual([...lanes[1]!.parsers].sort(), ['dockerfile', 'yaml']);
});

test('one worker reads everything; a parser whose worker is gone goes to the least busy left', () => {
  const one = workers(1);
  assert.deepEqual(send(one, ['Dockerfile', 'compose.yaml', 'values.yaml']), ['w0', 'w0', 'w0']);
  const lanes = workers(3);
  send(lanes, ['Dockerfile', 'compose.yaml']);
  // The Dockerfile worker died (worker-reader.ts drops it from its list).
  const left = lanes.filter((l) => !l.parsers.has('dockerfile'));
  assert.equal(laneFor(left, 'dockerfile')!.name, 'w2', 'the free worker first');
  assert.equal(laneFor([], 'yaml'), undefined);
});
