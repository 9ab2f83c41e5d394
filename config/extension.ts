/**
 * Build-time configuration of the extension's identity.
 *
 * The manifest `key` (a public key) fixes the extension ID, so that admins can write policy for it
 * before it is installed. The default key is committed (only its public half exists); a school that
 * packs its own CRX sets STEWARD_EXTENSION_PUBLIC_KEY (base64 DER, or a path to a PEM public or
 * private key) and gets its own ID. A private key is never read from, or written to, the repository.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const defaultKeyFile = fileURLToPath(new URL('./extension-public-key.txt', import.meta.url));

/** Base64 DER (SubjectPublicKeyInfo) of the extension's public key, as the manifest wants it. */
export function extensionPublicKey(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.STEWARD_EXTENSION_PUBLIC_KEY?.trim();
  if (!configured) return readFileSync(defaultKeyFile, 'utf8').trim();
  if (existsSync(configured)) {
    const der = createPublicKey(readFileSync(configured, 'utf8')).export({
      type: 'spki',
      format: 'der',
    });
    return der.toString('base64');
  }
  return configured;
}

/** Chrome's extension ID for a public key: the first 128 bits of its SHA-256, as letters a–p. */
export function extensionIdFor(publicKeyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex');
  return [...hex.slice(0, 32)]
    .map((h) => String.fromCharCode(97 + Number.parseInt(h, 16)))
    .join('');
}
