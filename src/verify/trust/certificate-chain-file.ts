import { readFile } from 'node:fs/promises';
import { LensError, describeError } from '../../core/errors';
import type { CertificateChain } from './certificate-chain';
import { parseCertificateChain } from './certificate-chain';

/** Reads and checks a PEM chain file; a usage error names what is wrong with it. */
export async function loadCertificateChain(path: string): Promise<CertificateChain> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new LensError('USAGE', `Cannot read the certificate chain ${path}: ${describeError(e)}`, { path }, { cause: e });
  }
  return parseCertificateChain(text, path);
}
