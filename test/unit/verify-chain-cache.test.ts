import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ASN1Obj } from '@sigstore/core';
import { ASN1Obj as Asn1, X509Certificate } from '@sigstore/core';
import { encodeTree } from '../../src/verify/bundle/chain-cache';
import { embeddedTrustRoot } from '../../src/verify/trust/trust-seeds';

/** Every node of the tree, with what @sigstore/core's own toDER answers for it. */
function libraryDers(node: ASN1Obj, out: Array<[ASN1Obj, Buffer]> = []): Array<[ASN1Obj, Buffer]> {
  out.push([node, node.toDER()]);
  for (const sub of node.subs) libraryDers(sub, out);
  return out;
}

function assertSameEncoding(root: ASN1Obj, what: string): void {
  const expected = libraryDers(root);
  const ours = encodeTree(root);
  assert.equal(ours.size, expected.length, what);
  for (const [node, der] of expected) assert.ok(ours.get(node)?.equals(der), `${what}: a node encodes differently`);
}

test('encodeTree writes, for every node, the bytes ASN1Obj.toDER writes: public-good CA and TSA certificates', () => {
  const root = embeddedTrustRoot().root;
  const certs = [...root.certificateAuthorities, ...root.timestampAuthorities].flatMap((ca) => ca.certChain?.certificates ?? []);
  assert.ok(certs.length >= 3);
  for (const c of certs) assertSameEncoding(X509Certificate.parse(Buffer.from(c.rawBytes)).root, 'a trusted certificate');
});

test('encodeTree: short, one-, two- and three-byte lengths, empty values, octet strings holding structures, non-minimal input lengths', () => {
  const tlv = (tag: number, body: Buffer): Buffer => {
    const n = body.length;
    const len = n < 128 ? [n] : n < 256 ? [0x81, n] : n < 65536 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255];
    return Buffer.concat([Buffer.from([tag, ...len]), body]);
  };
  const inner = tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x05, Buffer.alloc(0))]));
  const cases = [
    tlv(0x30, Buffer.concat([tlv(0x04, Buffer.alloc(127, 7)), tlv(0x04, Buffer.alloc(128, 7)), tlv(0x04, Buffer.alloc(300, 9))])),
    tlv(0x30, Buffer.concat([tlv(0x04, inner), tlv(0xa3, inner), tlv(0x04, Buffer.alloc(70000, 1))])),
    // A non-minimal length (0x81 0x03): the library re-encodes it minimally, and so do we.
    Buffer.from([0x30, 0x81, 0x03, 0x02, 0x01, 0x05]),
  ];
  for (const der of cases) assertSameEncoding(Asn1.parseBuffer(Buffer.from(der)), 'a synthetic structure');
});
