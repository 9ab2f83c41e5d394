import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packCrx3, readCrx3, spkiDer } from '../../../cli/packaging/crx3.ts';
import {
  isExtensionVersion,
  normaliseBaseUrl,
  updateManifestXml,
} from '../../../cli/packaging/update-manifest.ts';
import { crc32, zipEntries } from '../../../cli/packaging/zip.ts';
import { extensionIdFor } from '../../../config/extension.ts';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const entries = [
  { name: 'manifest.json', data: Buffer.from('{"manifest_version":3,"name":"x","version":"1"}') },
  { name: 'chunks/big.js', data: Buffer.from('console.log(1);\n'.repeat(2000)) },
  { name: 'tiny.txt', data: Buffer.from('a') },
];
const haveUnzip = spawnSync('unzip', ['-v']).status === 0;

describe('zip', () => {
  it('CRC-32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('is deterministic: the same files give the same bytes', () => {
    expect(zipEntries(entries).equals(zipEntries([...entries].reverse()))).toBe(true);
  });

  it.skipIf(!haveUnzip)('is read back intact by unzip (deflated and stored entries)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-zip-'));
    const file = path.join(dir, 'a.zip');
    writeFileSync(file, zipEntries(entries));
    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(test.stdout).toContain('No errors detected');
    const big = spawnSync('unzip', ['-p', file, 'chunks/big.js']);
    expect(big.stdout.equals(entries[1]!.data)).toBe(true);
  });
});

describe('CRX3', () => {
  it('carries the public key, the crx id of the extension ID, and a valid signature', () => {
    const zip = zipEntries(entries);
    const crx = packCrx3(zip, key);
    expect(crx.subarray(0, 4).toString('latin1')).toBe('Cr24');
    const info = readCrx3(crx);
    expect(info.signatureValid).toBe(true);
    expect(info.publicKey.equals(spkiDer(key))).toBe(true);
    expect(info.zip.equals(zip)).toBe(true);
    // The crx id is the extension ID in bytes: a-p letters are its hex digits.
    const id = extensionIdFor(info.publicKey.toString('base64'));
    const hex = [...id].map((c) => (c.charCodeAt(0) - 97).toString(16)).join('');
    expect(info.crxId.toString('hex')).toBe(hex);
  });

  it('a changed payload or a different key no longer verifies', () => {
    const crx = packCrx3(zipEntries(entries), key);
    const tampered = Buffer.from(crx);
    tampered[tampered.length - 30]! ^= 0xff;
    expect(readCrx3(tampered).signatureValid).toBe(false);
    expect(() => readCrx3(Buffer.from('PK\x03\x04'))).toThrow(/not a CRX/);
  });
});

describe('update manifest', () => {
  it('names the extension, the version and where its CRX is', () => {
    const xml = updateManifestXml({
      extensionId: 'a'.repeat(32),
      version: '1.2.3',
      crxUrl: 'https://school.example/steward/steward-1.2.3.crx?a=1&b=2',
    });
    expect(xml).toContain(
      "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    );
    expect(xml).toContain(`<app appid='${'a'.repeat(32)}'>`);
    expect(xml).toContain(
      "<updatecheck codebase='https://school.example/steward/steward-1.2.3.crx?a=1&amp;b=2' version='1.2.3' />",
    );
  });

  it('accepts only Chrome extension versions', () => {
    for (const ok of ['1', '0.1.0', '1.2.3.4', '65535.0.0.1'])
      expect(isExtensionVersion(ok)).toBe(true);
    for (const bad of ['', '0', '0.0', '1.2.3.4.5', '1.02', '65536', '1.2-beta', 'v1'])
      expect(isExtensionVersion(bad), bad).toBe(false);
  });

  it('base URLs get exactly one trailing slash', () => {
    expect(normaliseBaseUrl('https://s.example/steward')).toBe('https://s.example/steward/');
    expect(normaliseBaseUrl('https://s.example/steward/')).toBe('https://s.example/steward/');
  });
});
