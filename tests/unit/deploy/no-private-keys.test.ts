/**
 * No private key is ever committed: the school's CRX signing key and the rule-list signing key
 * live with the admin. Scans every file git would commit (tracked, and untracked but not
 * ignored) for a PEM private key block with a real body; short fake blocks in tests
 * ("…PRIVATE KEY-----\nAAAA") are not keys.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
// Built from parts so that this file does not match itself.
const MARK = ['PRIVATE', 'KEY'].join(' ');
const BLOCK = new RegExp(
  `-----BEGIN ([A-Z0-9 ]*)${MARK}-----([\\s\\S]*?)-----END \\1${MARK}-----`,
  'g',
);

function privateKeyBlocks(text: string): string[] {
  return [...text.matchAll(BLOCK)]
    .filter((m) => (m[2] ?? '').replace(/[^A-Za-z0-9+/=]/g, '').length >= 64)
    .map((m) => m[0]);
}

describe('private keys', () => {
  it('finds a real PEM private key, and ignores a short fake one', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(privateKeyBlocks(`x\n${pem}\ny`)).toHaveLength(1);
    expect(privateKeyBlocks(`-----BEGIN EC ${MARK}-----\nAAAA\n-----END EC ${MARK}-----`)).toEqual(
      [],
    );
  });

  it('none is in any file git would commit', () => {
    let files: string[];
    try {
      files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      })
        .split('\0')
        .filter(Boolean);
    } catch {
      return; // not a git checkout (e.g. an unpacked source archive): nothing to commit
    }
    expect(files.length).toBeGreaterThan(20);
    const offending: string[] = [];
    for (const file of files) {
      const full = path.join(repoRoot, file);
      let size: number;
      try {
        size = statSync(full).size;
      } catch {
        continue; // deleted in the working tree
      }
      if (size > 5 * 1024 * 1024) continue;
      const text = readFileSync(full, 'latin1');
      if (!text.includes(MARK)) continue;
      if (privateKeyBlocks(text).length > 0) offending.push(file);
    }
    expect(offending, 'private keys must never be committed').toEqual([]);
  });
});
