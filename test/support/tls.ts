// Certificates made with the system `openssl`, because node:crypto can make keys but not X.509
// certificates. Everything lives in a caller-owned temp dir and is valid for two days only.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface TestTls {
  /** PEM of the test CA: what a client must trust (undici `connect.ca`, NODE_EXTRA_CA_CERTS). */
  readonly caPem: string;
  readonly caPath: string;
  /** Leaf certificate + key for the server (PEM files). */
  readonly certPath: string;
  readonly keyPath: string;
}

export interface SigningCert {
  /** Self-signed certificate (PEM) whose public key verifies the tokens: the registry's rootcertbundle. */
  readonly certPath: string;
  readonly certPem: string;
  /** PKCS#8 PEM private key. */
  readonly keyPem: string;
}

async function openssl(args: readonly string[], cwd: string): Promise<void> {
  try {
    await execFileAsync('openssl', args, { cwd });
  } catch (err) {
    // stderr of openssl never holds key material, only diagnostics.
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(err)}`);
  }
}

/**
 * A test CA and a leaf for loopback servers. The leaf has IP SANs (default 127.0.0.1 and
 * 127.0.0.2, so the token server on "another host" can share it) and DNS `localhost`;
 * Go's TLS stack and Node both ignore the CN, so the SANs are what matter.
 */
export async function makeTestTls(dir: string, ips: readonly string[] = ['127.0.0.1', '127.0.0.2']): Promise<TestTls> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=Provenance Lens test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await openssl(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1'], dir);
  const san = [...ips.map((ip) => `IP:${ip}`), 'DNS:localhost'].join(',');
  await writeFile(
    join(dir, 'leaf.ext'),
    ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', `subjectAltName=${san}`, ''].join('\n'),
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.crt',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      'leaf.ext',
    ],
    dir,
  );
  return {
    caPem: await readFile(join(dir, 'ca.crt'), 'utf8'),
    caPath: join(dir, 'ca.crt'),
    certPath: join(dir, 'leaf.crt'),
    keyPath: join(dir, 'leaf.key'),
  };
}

/** An RSA key with a self-signed certificate, for RS256 registry tokens. */
export async function makeSigningCert(dir: string): Promise<SigningCert> {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'token.key',
      '-out',
      'token.crt',
      '-days',
      '2',
      '-subj',
      '/CN=Provenance Lens test token signer',
    ],
    dir,
  );
  return {
    certPath: join(dir, 'token.crt'),
    certPem: await readFile(join(dir, 'token.crt'), 'utf8'),
    keyPem: await readFile(join(dir, 'token.key'), 'utf8'),
  };
}
