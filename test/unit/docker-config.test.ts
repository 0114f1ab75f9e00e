import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LensError } from '../../src/core/errors';
import { secrets } from '../../src/core/redact';
import { DockerConfigCredentials, dockerConfigPath, registryHostOfKey } from '../../src/registry/docker-config';
import type { DockerConfigOptions } from '../../src/registry/docker-config';
import { rejectsWith } from '../support/rejects-with';

// Every secret the scenarios below put in a config or have a helper print.
const SECRETS = {
  inlinePassword: 'inline-pass-Zq81',
  fieldPassword: 'field-pass-Kx27',
  hubPassword: 'hub-pass-Wm55',
  identityToken: 'identity-token-Rt93',
  registryToken: 'registry-token-Pb44',
  helperSecret: 'helper-secret-Hs62',
  helperToken: 'helper-refresh-Ty08',
  garbageSecret: 'garbage-secret-Gq71',
  badJsonSecret: 'bad-json-secret-Bj19',
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

// A real executable speaking the credential-helper protocol: server URL on stdin, JSON on stdout.
const HELPER = `#!/bin/sh
[ "$1" = "get" ] || { echo "unsupported action: $1" >&2; exit 2; }
read -r server || true
echo "$server" >> "$HELPER_LOG"
case "$server" in
  helper.example.com) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"${SECRETS.helperSecret}"}' "$server" ;;
  token.example.com) printf '{"ServerURL":"%s","Username":"<token>","Secret":"${SECRETS.helperToken}"}' "$server" ;;
  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"hub-helper-user","Secret":"${SECRETS.helperSecret}"}' "$server" ;;
  crash.example.com) echo "the keyring is locked" >&2; exit 3 ;;
  garbage.example.com) printf 'Username=x Secret=${SECRETS.garbageSecret}' ;;
  slow.example.com) exec sleep 5 ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;

const CONFIG = {
  auths: {
    'registry.example.com': { auth: b64(`inline-user:${SECRETS.inlinePassword}`) },
    'https://https.example.com': { username: 'field-user', password: SECRETS.fieldPassword },
    'http://http.example.com/': { auth: b64(`http-user:${SECRETS.inlinePassword}`) },
    'localhost:5000': { auth: b64(`local-user:${SECRETS.inlinePassword}`) },
    'https://index.docker.io/v1/': { auth: b64(`hub-user:${SECRETS.hubPassword}`) },
    'identity.example.com': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: SECRETS.identityToken },
    'regtoken.example.com': { registrytoken: SECRETS.registryToken, identitytoken: SECRETS.identityToken },
    'broken.example.com': { auth: `not base64 ${SECRETS.inlinePassword}` },
    'fallback.example.com': { auth: b64(`fallback-user:${SECRETS.inlinePassword}`) },
    'empty.example.com': {},
  },
  credHelpers: {
    'helper.example.com': 'testhelper',
    'token.example.com': 'testhelper',
    'crash.example.com': 'testhelper',
    'garbage.example.com': 'testhelper',
    'slow.example.com': 'testhelper',
    'fallback.example.com': 'testhelper',
    'https://index.docker.io/v1/': 'testhelper',
    'absent.example.com': 'nosuchhelper',
    'sneaky.example.com': '../../bin/sh',
  },
};

describe('Docker config credentials', { skip: process.platform === 'win32' && 'the fake helper is a shell script' }, () => {
  let dir: string;
  let log: string;
  let env: NodeJS.ProcessEnv;
  const errors: LensError[] = [];
  const provider = (options: DockerConfigOptions = {}) => new DockerConfigCredentials({ env, ...options });
  const helperCalls = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  async function rejects(p: Promise<unknown>, code: string): Promise<LensError> {
    const e = await rejectsWith(p, code);
    errors.push(e);
    return e;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lens-docker-config-'));
    log = join(dir, 'helper.log');
    await writeFile(join(dir, 'docker-credential-testhelper'), HELPER);
    await chmod(join(dir, 'docker-credential-testhelper'), 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify(CONFIG, null, 2));
    env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, DOCKER_CONFIG: dir, HELPER_LOG: log };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the config is found through DOCKER_CONFIG, else under HOME', () => {
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/etc/dc' }), join('/etc/dc', 'config.json'));
    assert.equal(dockerConfigPath({ HOME: '/home/u' }), join('/home/u', '.docker', 'config.json'));
  });

  test('config keys name hosts however they are written', () => {
    assert.equal(registryHostOfKey('registry.example.com'), 'registry.example.com');
    assert.equal(registryHostOfKey('https://Registry.Example.com'), 'registry.example.com');
    assert.equal(registryHostOfKey('http://registry.example.com/v2/'), 'registry.example.com');
    assert.equal(registryHostOfKey('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(registryHostOfKey('registry-1.docker.io'), 'docker.io');
  });

  test('inline auth entries, whatever form the key takes', async () => {
    const p = provider();
    assert.deepEqual(await p.get('registry.example.com'), { kind: 'basic', username: 'inline-user', password: SECRETS.inlinePassword });
    assert.deepEqual(await p.get('https.example.com'), { kind: 'basic', username: 'field-user', password: SECRETS.fieldPassword });
    assert.deepEqual(await p.get('http.example.com'), { kind: 'basic', username: 'http-user', password: SECRETS.inlinePassword });
    assert.deepEqual(await p.get('localhost:5000'), { kind: 'basic', username: 'local-user', password: SECRETS.inlinePassword });
    assert.equal(await p.get('empty.example.com'), undefined);
    assert.equal(await p.get('unknown.example.com'), undefined);
  });

  test('Docker Hub is read from https://index.docker.io/v1/ when helpers are off', async () => {
    const p = provider({ allowHelpers: false });
    assert.deepEqual(await p.get('docker.io'), { kind: 'basic', username: 'hub-user', password: SECRETS.hubPassword });
  });

  test('identity tokens and registry tokens win over passwords', async () => {
    const p = provider();
    assert.deepEqual(await p.get('identity.example.com'), { kind: 'identity-token', token: SECRETS.identityToken });
    assert.deepEqual(await p.get('regtoken.example.com'), { kind: 'registry-token', token: SECRETS.registryToken });
  });

  test('a credential helper answers with a username and secret', async () => {
    assert.deepEqual(await provider().get('helper.example.com'), { kind: 'basic', username: 'helper-user', password: SECRETS.helperSecret });
  });

  test('a helper answering Username <token> gives an identity token', async () => {
    assert.deepEqual(await provider().get('token.example.com'), { kind: 'identity-token', token: SECRETS.helperToken });
  });

  test('Docker Hub is asked of the helper as https://index.docker.io/v1/', async () => {
    const before = (await helperCalls()).length;
    assert.deepEqual(await provider().get('docker.io'), { kind: 'basic', username: 'hub-helper-user', password: SECRETS.helperSecret });
    assert.deepEqual((await helperCalls()).slice(before), ['https://index.docker.io/v1/']);
  });

  test('"credentials not found" from the helper falls back to the inline entry, else anonymous', async () => {
    const p = provider();
    assert.deepEqual(await p.get('fallback.example.com'), { kind: 'basic', username: 'fallback-user', password: SECRETS.inlinePassword });
    const storeOnly = provider({ configPath: join(dir, 'store.json') });
    await writeFile(join(dir, 'store.json'), JSON.stringify({ auths: { 'nowhere.example.com': {} }, credsStore: 'testhelper' }));
    assert.equal(await storeOnly.get('nowhere.example.com'), undefined);
  });

  test('credsStore is used for hosts without their own helper', async () => {
    await writeFile(join(dir, 'store2.json'), JSON.stringify({ credsStore: 'testhelper' }));
    assert.deepEqual(await provider({ configPath: join(dir, 'store2.json') }).get('helper.example.com'), {
      kind: 'basic',
      username: 'helper-user',
      password: SECRETS.helperSecret,
    });
  });

  test("answers are cached per host for the provider's lifetime", async () => {
    const p = provider();
    const before = (await helperCalls()).length;
    const [a, b] = await Promise.all([p.get('token.example.com'), p.get('token.example.com')]);
    await p.get('https://token.example.com');
    assert.deepEqual(a, b);
    assert.equal((await helperCalls()).length - before, 1);
  });

  test('with helpers disabled no helper runs and the inline entry is used', async () => {
    const before = (await helperCalls()).length;
    const p = provider({ allowHelpers: false });
    assert.equal(await p.get('helper.example.com'), undefined);
    assert.deepEqual(await p.get('fallback.example.com'), { kind: 'basic', username: 'fallback-user', password: SECRETS.inlinePassword });
    assert.equal((await helperCalls()).length, before);
  });

  test('a crashing helper is a CREDENTIALS error naming it and what it said', async () => {
    const e = await rejects(provider().get('crash.example.com'), 'CREDENTIALS');
    assert.match(e.message, /docker-credential-testhelper failed for crash\.example\.com \(exit 3\): the keyring is locked/);
    assert.equal(e.details.helper, 'docker-credential-testhelper');
  });

  test('a missing helper is a CREDENTIALS error saying how to fix it', async () => {
    const e = await rejects(provider().get('absent.example.com'), 'CREDENTIALS');
    assert.match(e.message, /docker-credential-nosuchhelper is not installed/);
    assert.ok(e.message.includes(join(dir, 'config.json')));
  });

  test('a helper name that is a path is refused', async () => {
    const e = await rejects(provider().get('sneaky.example.com'), 'CREDENTIALS');
    assert.match(e.message, /not a plain program name/);
  });

  test('helper output that is not JSON is described, not quoted', async () => {
    const e = await rejects(provider().get('garbage.example.com'), 'CREDENTIALS');
    assert.match(e.message, /not JSON/);
  });

  test('a helper that hangs is stopped after the timeout', async () => {
    const e = await rejects(provider({ helperTimeoutMs: 300 }).get('slow.example.com'), 'CREDENTIALS');
    assert.match(e.message, /did not answer within 0\.3 s/);
  });

  test('cancelling stops the helper', async () => {
    const controller = new AbortController();
    const pending = provider().get('slow.example.com', controller.signal);
    setTimeout(() => controller.abort(), 100);
    await rejects(pending, 'ABORTED');
    await rejects(provider().get('helper.example.com', AbortSignal.abort()), 'ABORTED');
  });

  test('bad JSON in config.json is a CREDENTIALS error naming the file and position', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, `{\n  "auths": {\n    "r.example": { "password": "${SECRETS.badJsonSecret}" },,\n  }\n}`);
    const e = await rejects(provider({ configPath: file }).get('r.example'), 'CREDENTIALS');
    assert.match(e.message, /bad\.json is not valid JSON \(line 3, column \d+\)/);
    assert.equal(e.cause, undefined);
  });

  test('an auth value that is not base64 of user:password is a CREDENTIALS error', async () => {
    const e = await rejects(provider().get('broken.example.com'), 'CREDENTIALS');
    assert.match(e.message, /auths\["broken\.example\.com"\].*docker login broken\.example\.com/);
  });

  test('no config at the default place is anonymous; a missing explicit file is an error', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lens-no-config-'));
    try {
      assert.equal(await new DockerConfigCredentials({ env: { HOME: empty } }).get('docker.io'), undefined);
      const e = await rejects(provider({ configPath: join(empty, 'nope.json') }).get('docker.io'), 'CREDENTIALS');
      assert.match(e.message, /Cannot read the Docker config .*nope\.json \(ENOENT\)/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('no secret appears in any error, and every secret read is registered for scrubbing', () => {
    assert.ok(errors.length >= 9, `only ${errors.length} errors collected`);
    for (const e of errors) {
      const text = `${e.message} ${JSON.stringify(e.details)} ${String(e.cause ?? '')}`;
      for (const secret of Object.values(SECRETS)) assert.ok(!text.includes(secret), `"${e.message}" leaks a secret`);
    }
    for (const secret of [
      SECRETS.inlinePassword,
      SECRETS.fieldPassword,
      SECRETS.identityToken,
      SECRETS.registryToken,
      SECRETS.helperSecret,
      SECRETS.helperToken,
    ]) {
      assert.equal(secrets.scrub(`x ${secret} y`), 'x *** y');
    }
  });
});
