import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenges, scopeFor } from '../../src/registry/challenge';

test('a Docker Hub bearer challenge gives realm, service and scope', () => {
  const header = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';
  assert.deepEqual(parseChallenges(header), [
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
  ]);
});

test('commas inside a quoted scope stay in the value', () => {
  const [c] = parseChallenges('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push"');
  assert.equal(c?.params.scope, 'repository:org/app:pull,push');
  assert.equal(c?.params.service, 'ghcr.io');
});

test('space-separated scopes in one value are kept as written', () => {
  const [c] = parseChallenges('Bearer realm="https://r/token",scope="repository:a:pull repository:b:pull,push"');
  assert.equal(c?.params.scope, 'repository:a:pull repository:b:pull,push');
});

test('several challenges in one header, in order', () => {
  const got = parseChallenges('Basic realm="Registry Realm", Bearer realm="https://r.example/token",service="r.example",scope="repository:a/b:pull,push"');
  assert.deepEqual(got, [
    { scheme: 'basic', params: { realm: 'Registry Realm' } },
    { scheme: 'bearer', params: { realm: 'https://r.example/token', service: 'r.example', scope: 'repository:a/b:pull,push' } },
  ]);
});

test('several header fields are read as one list', () => {
  const got = parseChallenges(['Basic realm="a"', 'Bearer realm="https://b/token"']);
  assert.deepEqual(
    got.map((c) => [c.scheme, c.params.realm]),
    [
      ['basic', 'a'],
      ['bearer', 'https://b/token'],
    ],
  );
});

test('quoted-pair escapes are unescaped', () => {
  const [c] = parseChallenges('Basic realm="say \\"hi\\" \\\\ and, more"');
  assert.equal(c?.params.realm, 'say "hi" \\ and, more');
});

test('schemes and parameter names are case-insensitive; values keep their case', () => {
  const [c] = parseChallenges('BEARER Realm="https://R.example/Token",SERVICE="Reg"');
  assert.deepEqual(c, { scheme: 'bearer', params: { realm: 'https://R.example/Token', service: 'Reg' } });
});

test('whitespace around "=" and ",", unquoted values and empty list elements are accepted', () => {
  const got = parseChallenges(' ,Bearer realm = "https://r/token" ,, service=registry.example , scope=repository:x:pull');
  assert.deepEqual(got, [{ scheme: 'bearer', params: { realm: 'https://r/token', service: 'registry.example', scope: 'repository:x:pull' } }]);
});

test('token68 challenges and schemes without parameters', () => {
  const got = parseChallenges('Negotiate dGVzdA==, NTLM, Basic realm="r"');
  assert.deepEqual(got, [
    { scheme: 'negotiate', params: {}, token68: 'dGVzdA==' },
    { scheme: 'ntlm', params: {} },
    { scheme: 'basic', params: { realm: 'r' } },
  ]);
});

test('a repeated parameter keeps its first value', () => {
  const [c] = parseChallenges('Bearer realm="https://first/token",realm="https://second/token"');
  assert.equal(c?.params.realm, 'https://first/token');
});

test('malformed input never throws and keeps what can be read', () => {
  assert.deepEqual(parseChallenges(''), []);
  assert.deepEqual(parseChallenges(undefined), []);
  assert.deepEqual(parseChallenges('realm="orphan"'), []);
  assert.deepEqual(parseChallenges('Bearer realm="https://r/token'), [{ scheme: 'bearer', params: { realm: 'https://r/token' } }]);
  assert.deepEqual(parseChallenges('@@@, Basic realm="ok"'), [{ scheme: 'basic', params: { realm: 'ok' } }]);
  assert.deepEqual(parseChallenges('Bearer realm="a" junk, service="s"'), [{ scheme: 'bearer', params: { realm: 'a', service: 's' } }]);
});

test('scopeFor builds a repository scope, pull by default', () => {
  assert.equal(scopeFor('library/nginx'), 'repository:library/nginx:pull');
  assert.equal(scopeFor('org/app', ['pull', 'push', 'pull']), 'repository:org/app:pull,push');
  assert.equal(scopeFor('org/app', []), 'repository:org/app:pull');
});
