import { LensError, describeError } from '../core/errors';
import { isSigstoreBundle } from '../claims/envelope';

/**
 * Sigstore bundles given from outside the registry: a bundle file (`cosign … --bundle`,
 * `*.sigstore.json`) or the JSON Lines file `gh attestation download` writes (`<digest>.jsonl`, one
 * bundle per line, https://cli.github.com/manual/gh_attestation_download). Pure: bytes in, bundles
 * out; what each bundle covers is decided by its own subject (external-artifacts.ts).
 */
export interface ExternalBundle {
  /** The bundle's JSON exactly as given (one line of a `.jsonl`). */
  bytes: Uint8Array;
  /** `<file>` or `<file>:<line>`, or the API URL it came from: shown with the artifact. */
  origin: string;
}

/** Most bundles read from one file or one digest's API answer; more is refused, not cut silently. */
export const MAX_EXTERNAL_BUNDLES = 256;
/** Largest bundle (as DEFAULT_MAX_ARTIFACT_BYTES for registry artifacts). */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

/** A single bundle, or one bundle per non-empty line; USAGE naming the file and line of the first that is not one. */
export function bundlesFromFile(bytes: Uint8Array, name: string): ExternalBundle[] {
  const text = Buffer.from(bytes).toString('utf8');
  const whole = tryParse(text);
  if (whole.ok) {
    if (!isSigstoreBundle(whole.value))
      throw new LensError('USAGE', `${name} is JSON but not a Sigstore bundle (no bundle mediaType, dsseEnvelope or messageSignature).`, { path: name });
    if (bytes.length > MAX_BUNDLE_BYTES)
      throw new LensError('USAGE', `${name} is ${bytes.length} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit for a bundle.`, { path: name });
    return [{ bytes, origin: name }];
  }
  const out: ExternalBundle[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const at = `${name}:${i + 1}`;
    const parsed = tryParse(line);
    if (!parsed.ok)
      throw new LensError(
        'USAGE',
        `${at} is not JSON (${parsed.reason}); a bundle file holds one Sigstore bundle, or one per line as gh attestation download writes them.`,
        { path: name, line: i + 1 },
      );
    if (!isSigstoreBundle(parsed.value))
      throw new LensError('USAGE', `${at} is not a Sigstore bundle (no bundle mediaType, dsseEnvelope or messageSignature).`, { path: name, line: i + 1 });
    const line8 = Buffer.from(line, 'utf8');
    if (line8.length > MAX_BUNDLE_BYTES)
      throw new LensError('USAGE', `${at} is ${line8.length} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit for a bundle.`, { path: name, line: i + 1 });
    if (out.length === MAX_EXTERNAL_BUNDLES) throw new LensError('USAGE', `${name} holds more than ${MAX_EXTERNAL_BUNDLES} bundles; split it.`, { path: name });
    out.push({ bytes: line8, origin: at });
  }
  if (out.length === 0) throw new LensError('USAGE', `${name} holds no bundle.`, { path: name });
  return out;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, reason: describeError(e) };
  }
}
