/**
 * CRX3 packing with node:crypto, so `steward package crx` works on any admin machine (Windows,
 * macOS, Linux) without a Chromium binary, a profile lock or a browser process, and gives the same
 * bytes for the same build. The format is small: "Cr24", version 3, a protobuf CrxFileHeader, then
 * the ZIP. tests/e2e/force-install.spec.ts proves Chromium accepts what this writes.
 *
 *   CrxFileHeader  { 2: AsymmetricKeyProof sha256_with_rsa; 10000: bytes signed_header_data }
 *   AsymmetricKeyProof { 1: bytes public_key (SPKI DER); 2: bytes signature }
 *   SignedData     { 1: bytes crx_id (first 16 bytes of SHA-256 of the SPKI) }
 *   signature = RSA-PKCS1-v1_5-SHA256("CRX3 SignedData\0" ‖ u32le(len(signed)) ‖ signed ‖ zip)
 */
import { createHash, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

const MAGIC = Buffer.from('Cr24', 'latin1');
const SIGNATURE_CONTEXT = Buffer.from('CRX3 SignedData\x00', 'latin1');

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A length-delimited protobuf field (wire type 2). */
function field(number: number, value: Buffer): Buffer {
  return Buffer.concat([varint(number * 8 + 2), varint(value.length), value]);
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

export function spkiDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

/** Chrome's extension ID for an SPKI: the first 16 bytes of its SHA-256 as letters a–p. */
export function crxIdBytes(spki: Buffer): Buffer {
  return createHash('sha256').update(spki).digest().subarray(0, 16);
}

export function packCrx3(zip: Buffer, privateKey: KeyObject): Buffer {
  const spki = spkiDer(privateKey);
  const signedHeaderData = field(1, crxIdBytes(spki));
  const signer = createSign('sha256');
  signer.update(SIGNATURE_CONTEXT);
  signer.update(u32le(signedHeaderData.length));
  signer.update(signedHeaderData);
  signer.update(zip);
  const signature = signer.sign(privateKey);
  const header = Buffer.concat([
    field(2, Buffer.concat([field(1, spki), field(2, signature)])),
    field(10000, signedHeaderData),
  ]);
  return Buffer.concat([MAGIC, u32le(3), u32le(header.length), header, zip]);
}

// ─── reading (for checks and tests) ─────────────────────────────────────────────────────────────

type Field = { number: number; value: Buffer };

function readVarint(buf: Buffer, at: number): [number, number] {
  let result = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    const byte = buf[i++];
    if (byte === undefined) throw new Error('truncated protobuf varint');
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) return [result, i];
    scale *= 128;
  }
}

function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let i = 0;
  while (i < buf.length) {
    const [tag, afterTag] = readVarint(buf, i);
    if ((tag & 7) !== 2) throw new Error(`unexpected protobuf wire type ${tag & 7}`);
    const [length, start] = readVarint(buf, afterTag);
    fields.push({ number: Math.floor(tag / 8), value: buf.subarray(start, start + length) });
    i = start + length;
  }
  return fields;
}

export type CrxInfo = { publicKey: Buffer; crxId: Buffer; zip: Buffer; signatureValid: boolean };

/** Parse a CRX3 and check its RSA signature the way Chromium does. Throws on a malformed file. */
export function readCrx3(crx: Buffer): CrxInfo {
  if (!crx.subarray(0, 4).equals(MAGIC)) throw new Error('not a CRX file (no Cr24 magic)');
  if (crx.readUInt32LE(4) !== 3) throw new Error('not a CRX3 file');
  const headerLength = crx.readUInt32LE(8);
  const header = readFields(crx.subarray(12, 12 + headerLength));
  const zip = crx.subarray(12 + headerLength);
  const proof = header.find((f) => f.number === 2);
  const signed = header.find((f) => f.number === 10000);
  if (!proof || !signed) throw new Error('CRX3 header lacks an RSA proof or signed data');
  const proofFields = readFields(proof.value);
  const publicKey = proofFields.find((f) => f.number === 1)?.value;
  const signature = proofFields.find((f) => f.number === 2)?.value;
  const crxId = readFields(signed.value).find((f) => f.number === 1)?.value;
  if (!publicKey || !signature || !crxId) throw new Error('CRX3 proof is incomplete');
  const verifier = createVerify('sha256');
  verifier.update(SIGNATURE_CONTEXT);
  verifier.update(u32le(signed.value.length));
  verifier.update(signed.value);
  verifier.update(zip);
  const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
  const signatureValid = verifier.verify(key, signature) && crxIdBytes(publicKey).equals(crxId);
  return { publicKey, crxId, zip, signatureValid };
}
