/**
 * The few DER encodings the test CA needs for extension values (ITU-T X.690 §8.1, §10.1):
 * openssl takes them as `DER:<hex>`, which avoids quoting user text in its config syntax.
 */

/** DER length octets: short form below 128, else long form (X.690 §8.1.3). */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));

export type SubjectAlternativeName = { uri: string } | { email: string };

/**
 * GeneralNames with one name (RFC 5280 §4.2.1.6): rfc822Name is `[1] IMPLICIT IA5String`,
 * uniformResourceIdentifier `[6] IMPLICIT IA5String`. Fulcio issues exactly one SAN.
 */
export function generalNames(san: SubjectAlternativeName): Buffer {
  return 'uri' in san ? sequence(tlv(0x86, Buffer.from(san.uri, 'ascii'))) : sequence(tlv(0x81, Buffer.from(san.email, 'ascii')));
}

export function sanValue(san: SubjectAlternativeName): string {
  return 'uri' in san ? san.uri : san.email;
}
