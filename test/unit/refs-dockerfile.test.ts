// Dockerfile image references (src/references/dockerfile.ts) on real Dockerfiles of docker/buildx,
// moby/buildkit and rancher/fleet (test/fixtures/real/SOURCES.md), and on small snippets for the
// conventions no real file here shows. Positions are 1-based; columns count UTF-16 code units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readReferences } from '../../src/references/read';
import type { ReferenceSite } from '../../src/references/types';
import { realFixture } from '../support/real-fixtures';

const real = (...p: string[]) => readReferences('dockerfile', readFileSync(realFixture('dockerfile', ...p), 'utf8')).references;
const refs = (lines: string[]) => readReferences('dockerfile', `${lines.join('\n')}\n`).references;
type Row = [reference: string | null, line: number, column: number, via: string, platform?: string];
const row = (s: ReferenceSite): Row => (s.platform !== undefined ? [s.reference, s.line, s.column, s.via, s.platform] : [s.reference, s.line, s.column, s.via]);

test('docker/buildx: the syntax image on line 1, global ARGs substituted on the FROM line, stages and scratch left out', () => {
  const sites = real('docker-buildx', 'Dockerfile');
  assert.deepEqual(sites.map(row), [
    ['docker/dockerfile:1.3', 1, 10, '# syntax'],
    ['docker:20.10.8', 6, 6, 'FROM'],
    ['tonistiigi/xx@sha256:21a61be4744f6531cb5f33b0e6f40ede41fa3a1b8c82d5946178f80cc84bfc04', 9, 32, 'FROM', '$BUILDPLATFORM'],
    ['golang:1.17.0-alpine', 11, 32, 'FROM', '$BUILDPLATFORM'],
    ['alpine', 57, 32, 'FROM', '$BUILDPLATFORM'],
    ['docker:20.10.8', 68, 6, 'FROM'],
    ['alpine', 69, 6, 'FROM'],
  ]);
  // Raw text as written, the FROM line's own position: `$DOCKERD_VERSION` is substituted, not moved to the ARG line.
  assert.deepEqual([sites[1]!.raw, sites[3]!.raw], ['docker:$DOCKERD_VERSION', 'golang:${GO_VERSION}-alpine']);
  // `FROM binaries-$TARGETOS` matches the stages binaries-darwin/-linux/-windows: a stage, not an image;
  // RUN --mount=…,from=buildx-version (a continuation line) and --mount=from=binaries are stages too.
  assert.ok(!sites.some((s) => /binaries|buildx-version/.test(s.raw)));
});

test('moby/buildkit: COPY --link --from=<image> is an image at the flag value; heredocs, stage-local ARGs and ${X:+…} stage names do not confuse it', () => {
  const sites = real('moby-buildkit', 'Dockerfile');
  assert.equal(sites.length, 16);
  assert.deepEqual(row(sites.find((s) => s.via === 'COPY --from')!), [
    'tonistiigi/binfmt:buildkit-v7.1.0-30@sha256:45dd57b4ba2f24e2354f71f1e4e51f073cb7a28fd848ce6f5f2a7701142a6bf0',
    192,
    20,
    'COPY --from',
  ]);
  // `ARG REGISTRY_VERSION` between stages belongs to the stage before; the FROM reads the global default.
  assert.deepEqual(row(sites.at(-1)!), ['registry:2.8.3', 261, 6, 'FROM']);
  assert.deepEqual(sites.slice(1, 4).map(row), [
    ['minio/minio:RELEASE.2022-05-03T20-36-08Z', 26, 6, 'FROM'],
    ['minio/mc:RELEASE.2022-05-04T06-07-55Z', 27, 6, 'FROM'],
    ['alpine:3.18', 31, 6, 'FROM'],
  ]);
  // `FROM alpine-$TARGETARCH`, `FROM buildkit-$TARGETOS${BUILDKIT_DEBUG:+-debug}` name earlier stages.
  assert.ok(!sites.some((s) => s.raw.startsWith('alpine-$') || s.raw.startsWith('buildkit-$')));
  assert.ok(sites.every((s) => s.unresolved === undefined && s.reference !== null));
});

test('rancher/fleet: FROM copy_${BUILD_ENV} is the stage copy_dapper, so each Dockerfile names one base image', () => {
  assert.deepEqual(real('rancher-fleet', 'Dockerfile').map(row), [['registry.suse.com/bci/bci-base:15.5.36.5.24', 3, 6, 'FROM']]);
  assert.deepEqual(real('rancher-fleet', 'Dockerfile.agent').map(row), [['registry.suse.com/bci/bci-base:15.4.27.14.20', 3, 6, 'FROM']]);
});

test('ARG defaults: $X, ${X}, ${X:-d}, an ARG defaulting to another ARG; an ARG without default leaves the reference unresolved', () => {
  const sites = refs([
    'ARG REGISTRY=ghcr.io',
    'ARG BASE=${REGISTRY}/o/base:1',
    'ARG TAG',
    'FROM $BASE',
    'FROM ${REGISTRY}/o/tool:${TAG:-2.0}',
    'FROM debian:${TAG}',
    'FROM ${NEVER_DECLARED}',
  ]);
  assert.deepEqual(
    sites.map((s) => [s.reference, s.raw, s.line, s.column, s.unresolved]),
    [
      ['ghcr.io/o/base:1', '$BASE', 4, 6, undefined],
      ['ghcr.io/o/tool:2.0', '${REGISTRY}/o/tool:${TAG:-2.0}', 5, 6, undefined],
      [null, 'debian:${TAG}', 6, 6, ['TAG']],
      [null, '${NEVER_DECLARED}', 7, 6, ['NEVER_DECLARED']],
    ],
  );
});

test('a stage names only earlier stages: FROM ${IMG:-builder} AS builder pulls the image builder; COPY --from=0 is a stage index', () => {
  const sites = refs(['FROM ${IMG:-builder} AS builder', 'FROM scratch', 'COPY --from=builder /a /a', 'COPY --from=0 /b /b', 'FROM Scratch AS last']);
  assert.deepEqual(sites.map(row), [['builder', 1, 6, 'FROM']]);
});

test('RUN --mount=…,from=<image> on a continuation line is reported on that line; --platform is substituted when known', () => {
  const lines = [
    'ARG PLATFORM=linux/arm64',
    'FROM --platform=$PLATFORM alpine:3.20 AS build',
    'RUN --mount=type=cache,target=/root/.cache \\',
    '    --mount=type=bind,from=gcr.io/distroless/static:nonroot,source=/etc,target=/x \\',
    '    true',
    'COPY --link --from=build /x /x',
  ];
  const sites = refs(lines);
  assert.deepEqual(sites.map(row), [
    ['alpine:3.20', 2, 27, 'FROM', 'linux/arm64'],
    ['gcr.io/distroless/static:nonroot', 4, 28, 'RUN --mount'],
  ]);
  const text = `${lines.join('\n')}\n`;
  assert.equal(text.slice(sites[1]!.start, sites[1]!.end), 'gcr.io/distroless/static:nonroot');
});

test('# escape=` makes `$ literal; a syntax directive after the first instruction is a comment', () => {
  const sites = refs(['# escape=`', 'FROM alpine:3.19', '# syntax=docker/dockerfile:1']);
  assert.deepEqual(sites.map(row), [['alpine:3.19', 2, 6, 'FROM']]);
  assert.deepEqual(
    refs(['# escape=`', 'ARG V=1', 'FROM busybox:`$V']).map((s) => s.reference),
    ['busybox:$V'],
  );
});
