import { readFile } from 'node:fs/promises';
import { LensError, describeError } from '../../core/errors';
import type { PublicKeyMaterial } from './public-key';
import { parsePublicKey } from './public-key';

/** A public key file (`--key`, a policy's `keys:`); the file I/O beside the pure parser. */
export async function loadPublicKeyFile(path: string): Promise<PublicKeyMaterial> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (e) {
    throw new LensError('USAGE', `Cannot read public key ${path}: ${describeError(e)}`, { path }, { cause: e });
  }
  return parsePublicKey(pem, path);
}
