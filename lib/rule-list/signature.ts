/**
 * Rule-list signatures: ECDSA P-256 with SHA-256 over the exact bytes of the JSON file, through
 * WebCrypto (`globalThis.crypto.subtle`), so the same code signs in the admin CLI (Node 20) and
 * verifies in Chrome's and Firefox's service workers. No Node API here.
 *
 * - Public key: base64 of the SPKI DER encoding: the `ruleListPublicKey` policy value. A PEM
 *   `-----BEGIN PUBLIC KEY-----` block is accepted too.
 * - Private key: a PKCS#8 PEM file (`-----BEGIN PRIVATE KEY-----`), kept by the admin, never
 *   in the extension or the repository.
 * - Signature: a detached file `<list>.json.sig` next to the list, holding the base64 of the
 *   64-byte IEEE P1363 `r || s` form that WebCrypto produces. A DER-encoded signature (what
 *   `openssl dgst -sha256 -sign key.pem` writes) is accepted too, so admins can sign without Node.
 *
 * The signature is checked before a single byte of the list is parsed: until then the bytes are
 * from an unknown party.
 */

const ECDSA_IMPORT: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export type RuleListKeyPair = {
  /** base64 SPKI DER, for the `ruleListPublicKey` policy value. */
  publicKey: string;
  /** PKCS#8 PEM, for the admin's private key file. */
  privateKeyPem: string;
};

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error('WebCrypto (crypto.subtle) is not available in this environment');
  return api;
}

export async function generateRuleListKeyPair(): Promise<RuleListKeyPair> {
  const pair = (await subtle().generateKey(ECDSA_IMPORT, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await subtle().exportKey('spki', pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', pair.privateKey));
  return { publicKey: toBase64(spki), privateKeyPem: toPem(pkcs8, 'PRIVATE KEY') };
}

/** The public key (base64 SPKI) that belongs to a private key PEM, to print for the policy. */
export async function publicKeyOf(privateKeyPem: string): Promise<string> {
  const key = await importPrivateKey(privateKeyPem, true);
  // A PKCS#8 EC key exports as JWK with its public point; re-import that as a public key.
  const jwk = await subtle().exportKey('jwk', key);
  const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true };
  const publicKey = await subtle().importKey('jwk', publicJwk, ECDSA_IMPORT, true, ['verify']);
  return toBase64(new Uint8Array(await subtle().exportKey('spki', publicKey)));
}

/** Sign the exact bytes of a list; returns the base64 P1363 signature (the `.sig` content). */
export async function signRuleList(bytes: Uint8Array, privateKeyPem: string): Promise<string> {
  const key = await importPrivateKey(privateKeyPem, false);
  const signature = await subtle().sign(ECDSA_SIGN, key, asBuffer(bytes));
  return toBase64(new Uint8Array(signature));
}

/**
 * Verify a detached signature over the exact bytes of a list. Never throws: a malformed key or
 * signature is a failed verification with a reason an admin can act on.
 *
 * Given a key already imported (`importPublicKey`), the browser is asked to check before this
 * returns: it hashes the bytes on its own thread while the caller goes on (the worker reads the
 * JSON meanwhile). Given the key's text, it is imported first, and the check starts only once the
 * caller's synchronous work is over.
 */
export async function verifyRuleList(
  bytes: Uint8Array,
  signatureB64: string,
  publicKey: string | CryptoKey,
): Promise<VerifyResult> {
  let key: CryptoKey;
  if (typeof publicKey === 'string') {
    try {
      key = await importPublicKey(publicKey);
    } catch (error) {
      return { ok: false, reason: `The rule-list public key is not usable: ${message(error)}.` };
    }
  } else {
    key = publicKey;
  }
  const raw = fromBase64(signatureB64.trim());
  if (raw === null || raw.length === 0) {
    return { ok: false, reason: 'The signature file does not hold a base64 signature.' };
  }
  const signature = raw.length === 64 ? raw : derToP1363(raw);
  if (signature === null) {
    return {
      ok: false,
      reason: `The signature is ${raw.length} bytes, not an ECDSA P-256 signature (64 bytes, or DER).`,
    };
  }
  let valid: boolean;
  try {
    valid = await subtle().verify(ECDSA_SIGN, key, asBuffer(signature), asBuffer(bytes));
  } catch (error) {
    return { ok: false, reason: `The signature could not be checked: ${message(error)}.` };
  }
  return valid
    ? { ok: true }
    : {
        ok: false,
        reason:
          'The signature does not match: the list was changed after signing, or was signed with a different key from the one in the policy.',
      };
}

export async function importPublicKey(publicKey: string): Promise<CryptoKey> {
  const der = fromBase64(stripPem(publicKey));
  if (der === null || der.length === 0) throw new Error('it is not base64 (or a PEM public key)');
  try {
    return await subtle().importKey('spki', asBuffer(der), ECDSA_IMPORT, false, ['verify']);
  } catch {
    throw new Error('it is not an ECDSA P-256 public key in SPKI form');
  }
}

async function importPrivateKey(pem: string, extractable: boolean): Promise<CryptoKey> {
  if (!/-----BEGIN PRIVATE KEY-----/.test(pem)) {
    throw new Error(
      /BEGIN EC PRIVATE KEY/.test(pem)
        ? 'the key is in the older SEC1 form ("BEGIN EC PRIVATE KEY"); convert it with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out rule-list-private.pem'
        : 'the file is not a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----")',
    );
  }
  const der = fromBase64(stripPem(pem));
  if (der === null) throw new Error('the private key PEM is damaged (not base64)');
  try {
    return await subtle().importKey('pkcs8', asBuffer(der), ECDSA_IMPORT, extractable, ['sign']);
  } catch {
    throw new Error('the private key is not an ECDSA P-256 key');
  }
}

/**
 * DER `SEQUENCE { INTEGER r, INTEGER s }` → 64-byte `r || s`, or null if it is not that shape.
 * Integers in DER carry a leading zero when their top bit is set, and drop leading zeros otherwise.
 */
export function derToP1363(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30) return null;
  let offset = 2;
  if (der[1]! & 0x80) {
    if (der[1] !== 0x81) return null;
    offset = 3;
  }
  const out = new Uint8Array(64);
  for (let part = 0; part < 2; part++) {
    if (der[offset] !== 0x02) return null;
    const length = der[offset + 1]!;
    let start = offset + 2;
    const end = start + length;
    if (end > der.length || length === 0) return null;
    while (end - start > 32 && der[start] === 0) start++;
    if (end - start > 32) return null;
    out.set(der.subarray(start, end), part * 32 + (32 - (end - start)));
    offset = end;
  }
  return offset === der.length ? out : null;
}

/**
 * WebCrypto's types want an ArrayBuffer-backed view; every Uint8Array we are handed (from fetch,
 * readFile or TextEncoder) is one, so this only narrows the TypeScript type.
 */
export function asBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

function stripPem(text: string): string {
  return text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Decodes standard or URL-safe base64 (whitespace ignored); null if it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
  try {
    const padded = clean.padEnd(Math.ceil(clean.length / 4) * 4, '=');
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function toPem(der: Uint8Array, label: string): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
