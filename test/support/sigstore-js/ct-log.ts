// A Certificate Transparency log for @sigstore/mock's Fulcio, signing SCTs with node:crypto under
// the key of a mini-Sigstore TestLog (so trusted-root.ts lists it as a CT log as it is).
//
// Why not the mock's own CT log: it hands pkijs the SCT signature as an asn1js object where
// pkijs 3 wants bytes, so the serialised SCT says length 0 (`00 00`) and carries no signature;
// `@sigstore/core` cannot parse it ("request past end of buffer") and no SCT ever verified.
// Here the SCT is encoded per RFC 6962 §3.2, signed with node:crypto, and returned as the mock
// CA expects it: with its own two-byte length, which the CA puts after `00 <one-byte length>`
// to make a single-entry SCTList (§3.3) — well formed while it stays under 256 bytes.
// https://www.rfc-editor.org/rfc/rfc6962#section-3.2
import type { CTLog } from '@sigstore/mock/dist/fulcio';
import type { TestLog } from '../sigstore/log';

/** Header of the DER TLV at `offset` (X.690 §8.1.3): where its content starts and how long it is. */
function derHeader(der: Buffer, offset: number): { contentStart: number; length: number } {
  const first = der[offset + 1];
  if (first === undefined) throw new Error('truncated DER');
  if (first < 0x80) return { contentStart: offset + 2, length: first };
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + der[offset + 2 + i]!;
  return { contentStart: offset + 2 + octets, length };
}

/** Certificate ::= SEQUENCE { tbsCertificate, ... } (RFC 5280 §4.1): the TBS element, header included. */
export function tbsCertificate(certificate: Buffer): Buffer {
  const outer = derHeader(certificate, 0);
  const tbs = derHeader(certificate, outer.contentStart);
  return certificate.subarray(outer.contentStart, tbs.contentStart + tbs.length);
}

const uint = (value: number | bigint, bytes: number): Buffer => {
  const out = Buffer.alloc(bytes);
  let v = BigInt(value);
  for (let i = bytes - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
};

export interface RecordingCtLog extends CTLog {
  /** When each SCT was issued, oldest first. */
  readonly issued: readonly Date[];
}

/** A CT log answering the mock CA's pre-certificates with SCTs signed by `log`'s key. */
export function createCtLog(log: TestLog, clock: () => Date = () => new Date()): RecordingCtLog {
  const issued: Date[] = [];
  return {
    publicKey: log.key.publicKeyDer,
    logID: log.logId,
    issued,
    async log(certificate: ArrayBuffer, issuerID: ArrayBuffer): Promise<ArrayBuffer> {
      const tbs = tbsCertificate(Buffer.from(certificate));
      const time = clock();
      const timestamp = uint(time.getTime(), 8);
      const noExtensions = uint(0, 2);
      // digitally-signed struct: version v1(0), certificate_timestamp(0), timestamp,
      // precert_entry(1), issuer_key_hash, tbs_certificate<1..2^24-1>, extensions<0..2^16-1>.
      const signed = Buffer.concat([Buffer.from([0, 0]), timestamp, uint(1, 2), Buffer.from(issuerID), uint(tbs.length, 3), tbs, noExtensions]);
      const signature = log.key.sign(signed);
      // SignedCertificateTimestamp: version, log id, timestamp, extensions, then DigitallySigned
      // with hash sha256(4), signature ecdsa(3) (RFC 5246 §7.4.1.4.1) and the DER signature.
      const sct = Buffer.concat([Buffer.from([0]), log.logId, timestamp, noExtensions, Buffer.from([4, 3]), uint(signature.length, 2), signature]);
      const serialized = Buffer.concat([uint(sct.length, 2), sct]);
      if (serialized.length > 0xff) throw new Error(`SCT of ${serialized.length} bytes: the mock CA writes the SCTList length in one byte`);
      issued.push(time);
      return new Uint8Array(serialized).buffer;
    },
  };
}
