import type { ImageCheck } from './image-checks';
import { imageCheck } from './image-checks';

/**
 * The claims of a cosign simple-signing payload (cosign signature spec,
 * https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md#payload; the format is
 * containers/image's "atomic container signature"):
 *   {"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},
 *    "type":"cosign container image signature"},"optional":{...}}
 * A valid signature over this payload only means something for the image whose digest is D:
 * a signature copied from another image's `.sig` tag is a valid signature of that other image.
 */
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

export interface SimpleSigningClaims {
  checks: ImageCheck[];
  /** `critical.identity.docker-reference`: shown, never required to match (cosign does not). */
  dockerReference?: string;
  /** `critical.image.docker-manifest-digest`, when present. */
  claimedDigest?: string;
}

export function simpleSigningClaims(payload: Uint8Array, coversDigest: string): SimpleSigningClaims {
  let doc: { critical?: { identity?: { 'docker-reference'?: unknown }; image?: { 'docker-manifest-digest'?: unknown }; type?: unknown } };
  try {
    doc = JSON.parse(Buffer.from(payload).toString('utf8')) as typeof doc;
  } catch {
    return { checks: [imageCheck('CLAIMS', 'fail', 'The signed payload is not JSON, so it is not a cosign simple-signing payload.')] };
  }
  const critical = typeof doc === 'object' && doc !== null ? doc.critical : undefined;
  if (typeof critical !== 'object' || critical === null) {
    return { checks: [imageCheck('CLAIMS', 'fail', 'The signed payload has no "critical" section: it is not a cosign simple-signing payload.')] };
  }
  const out: SimpleSigningClaims = { checks: [] };
  const ref = critical.identity?.['docker-reference'];
  if (typeof ref === 'string') out.dockerReference = ref;
  const digest = critical.image?.['docker-manifest-digest'];
  if (typeof digest === 'string') out.claimedDigest = digest;

  if (critical.type !== SIMPLE_SIGNING_TYPE) {
    out.checks.push(
      imageCheck('CLAIMS', 'fail', `The payload type is ${JSON.stringify(critical.type)}, not "${SIMPLE_SIGNING_TYPE}".`, { digest: coversDigest }),
    );
  } else if (typeof digest !== 'string') {
    out.checks.push(
      imageCheck('CLAIMS', 'fail', 'The payload names no docker-manifest-digest, so it does not say which image it signs.', { digest: coversDigest }),
    );
  } else if (digest !== coversDigest) {
    out.checks.push(
      imageCheck('CLAIMS', 'fail', `The payload signs ${digest}, another image than ${coversDigest}: a signature copied from elsewhere.`, {
        digest: coversDigest,
      }),
    );
  } else {
    out.checks.push(imageCheck('CLAIMS', 'pass', `The payload claims exactly this digest and the cosign signature type.`, { digest: coversDigest }));
  }
  if (out.dockerReference !== undefined) {
    out.checks.push(
      imageCheck(
        'CLAIMS',
        'info',
        `The payload names the image ${out.dockerReference}; like cosign, this is shown but not required to match (it may name another registry).`,
      ),
    );
  }
  return out;
}
