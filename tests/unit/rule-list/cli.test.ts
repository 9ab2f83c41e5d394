/**
 * `steward rules …` end to end, as an admin runs it: spawns `node bin/steward.js` in a temp dir.
 * Uses UT1's gambling folder from ../shared/lists when present, else a small folder in the same
 * layout made here, so the flow is always tested.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareReversed } from '../../../lib/rule-list/compiled.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const steward = path.join(repoRoot, 'bin/steward.js');
const sharedUt1 = path.join(path.resolve(repoRoot, '../shared'), 'lists/ut1/gambling');

function run(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [steward, 'rules', ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
let ut1: string;
let publicKey: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'steward-rules-cli-'));
  if (existsSync(sharedUt1)) ut1 = sharedUt1;
  else {
    ut1 = path.join(dir, 'ut1-gambling');
    mkdirSync(ut1);
    writeFileSync(
      path.join(ut1, 'domains'),
      'casino.example\nbets.example\n1.2.3.4\nwww.casino.example\n',
    );
    writeFileSync(path.join(ut1, 'urls'), 'example.org/poker/\n');
  }
});

describe('steward rules (end to end)', { timeout: 60_000 }, () => {
  it('prints help and exits 0', () => {
    const help = run(dir, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('generate-key');
    expect(help.stdout).toContain('--category ID=FILE[:FORMAT]');
  });

  it('generate-key writes a private key readable only by its owner, and refuses to overwrite', () => {
    const first = run(dir, 'generate-key', '--out', 'keys');
    expect(first.code, first.stderr).toBe(0);
    const pem = path.join(dir, 'keys/rule-list-private.pem');
    expect(readFileSync(pem, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(pem).mode & 0o777).toBe(0o600);
    publicKey = readFileSync(path.join(dir, 'keys/rule-list-public.txt'), 'utf8').trim();
    expect(first.stdout).toContain(publicKey);
    const before = readFileSync(pem, 'utf8');
    const again = run(dir, 'generate-key', '--out', 'keys');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not overwriting');
    expect(readFileSync(pem, 'utf8')).toBe(before);
  });

  it('build → sign → verify succeeds on a list built from a UT1 folder', () => {
    const build = run(
      dir,
      'build',
      '--out',
      'list.json',
      '--version',
      '42',
      '--expires',
      '30',
      '--category',
      `gambling=${ut1}`,
      '--no-builtin',
      '--clause',
      'gambling=Policy 10.2',
    );
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/gambling\s+[\d,]+ domains/);
    const list = JSON.parse(readFileSync(path.join(dir, 'list.json'), 'utf8'));
    expect(list.version).toBe(42);
    expect(list.categories.gambling.clause).toBe('Policy 10.2');
    // Compiled (format 2, the default): deduplicated, grouped by depth, each group sorted from
    // the end of the name, no IP addresses.
    expect(list.format).toBe('steward.rule-list/2');
    const groups: { depth: number; domains: string[] }[] = list.categories.gambling.compiled.groups;
    for (const group of groups) {
      expect([...group.domains].sort(compareReversed)).toEqual(group.domains);
      expect(group.domains.every((d) => d.split('.').length === group.depth)).toBe(true);
    }
    const domains = groups.flatMap((g) => g.domains);
    expect(new Set(domains).size).toBe(domains.length);
    expect(domains.some((d) => /^\d+(\.\d+){3}$/.test(d))).toBe(false);
    if (ut1 === sharedUt1) {
      // 32,247 lines − 14 IPs = 32,233, less those under a listed parent; the report names the
      // skipped lines (the IP addresses).
      expect(domains.length).toBeGreaterThan(30_000);
      expect(domains.length).toBeLessThanOrEqual(32_233);
      expect(build.stdout).toMatch(/IP address/);
    } else {
      expect(domains.sort()).toEqual(['bets.example', 'casino.example']);
    }

    const sign = run(dir, 'sign', '--key', 'keys/rule-list-private.pem', 'list.json');
    expect(sign.code, sign.stderr).toBe(0);
    expect(sign.stdout).toContain(publicKey);
    const verify = run(dir, 'verify', '--public-key', publicKey, 'list.json');
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain('OK:');
    const fromFile = run(
      dir,
      'verify',
      '--public-key',
      'keys/rule-list-public.txt',
      'list.json',
      'list.json.sig',
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
  });

  it('build --format 1 writes the plain format, sorted, for older Steward versions', () => {
    const build = run(
      dir,
      'build',
      '--out',
      'plain.json',
      '--format',
      '1',
      '--category',
      `gambling=${ut1}`,
      '--no-builtin',
    );
    expect(build.code, build.stderr).toBe(0);
    const list = JSON.parse(readFileSync(path.join(dir, 'plain.json'), 'utf8'));
    expect(list.format).toBe('steward.rule-list/1');
    const domains: string[] = list.categories.gambling.domains;
    expect(new Set(domains).size).toBe(domains.length);
    expect([...domains].sort()).toEqual(domains);
    const bad = run(dir, 'build', '--out', 'x.json', '--format', '3', '--no-builtin');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format 3');
  });

  it('build --previous names what changed since the version before, by its SHA-256', () => {
    const domains = path.join(dir, 'casinos.txt');
    writeFileSync(domains, 'one-casino.example\ntwo-casino.example\n');
    const first = run(
      dir,
      'build',
      '--out',
      'v1.json',
      '--version',
      '100',
      '--category',
      `gambling=${domains}`,
      '--no-builtin',
    );
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(domains, 'two-casino.example\nthree-casino.example\n');
    const second = run(
      dir,
      'build',
      '--out',
      'v2.json',
      '--version',
      '101',
      '--category',
      `gambling=${domains}`,
      '--no-builtin',
      '--previous',
      'v1.json',
    );
    expect(second.code, second.stderr).toBe(0);
    const list = JSON.parse(readFileSync(path.join(dir, 'v2.json'), 'utf8'));
    expect(list.changes.sinceVersion).toBe(100);
    expect(list.changes.since).toBe(
      createHash('sha256')
        .update(readFileSync(path.join(dir, 'v1.json')))
        .digest('hex'),
    );
    expect([...list.changes.domains].sort()).toEqual([
      'one-casino.example',
      'three-casino.example',
    ]);
    // The change document beside it: from v1's bytes to v2's, signed with the list.
    const changes = JSON.parse(readFileSync(path.join(dir, 'v2.json.changes'), 'utf8'));
    expect(changes.format).toBe('steward.rule-changes/1');
    expect(changes.since).toBe(list.changes.since);
    expect(changes.result).toBe(
      createHash('sha256')
        .update(readFileSync(path.join(dir, 'v2.json')))
        .digest('hex'),
    );
    expect(changes.categories.gambling).toEqual({
      added: ['three-casino.example'],
      removed: ['one-casino.example'],
    });
    const sign = run(dir, 'sign', '--key', 'keys/rule-list-private.pem', 'v2.json');
    expect(sign.code, sign.stderr).toBe(0);
    expect(sign.stdout).toContain('v2.json.changes.sig');
    expect(readFileSync(path.join(dir, 'v2.json.changes.sig'), 'utf8').trim()).not.toBe('');
    const older = run(
      dir,
      'build',
      '--out',
      'v0.json',
      '--version',
      '99',
      '--category',
      `gambling=${domains}`,
      '--no-builtin',
      '--previous',
      'v1.json',
    );
    expect(older.code).toBe(1);
    expect(older.stderr).toContain('must be higher');
  });

  it('verify fails, non-zero, when one byte of the list changes', () => {
    const file = path.join(dir, 'list.json');
    const original = readFileSync(file);
    const tampered = Buffer.from(original);
    const at = tampered.indexOf('"version": 42') + '"version": '.length;
    tampered[at] = '9'.charCodeAt(0);
    writeFileSync(file, tampered);
    try {
      const verify = run(dir, 'verify', '--public-key', publicKey, 'list.json');
      expect(verify.code).toBe(1);
      expect(verify.stderr).toContain('FAILED');
      expect(verify.stderr).toContain('does not match');
    } finally {
      writeFileSync(file, original);
    }
  });

  it('verify fails with another key', () => {
    const other = run(dir, 'generate-key', '--out', 'other');
    expect(other.code).toBe(0);
    const verify = run(dir, 'verify', '--public-key', 'other/rule-list-public.txt', 'list.json');
    expect(verify.code).toBe(1);
  });

  it('sign refuses a list that browsers would refuse', () => {
    writeFileSync(
      path.join(dir, 'bad.json'),
      '{"format":"steward.rule-list/1","version":1,"issuedAt":"2026-08-23T09:00:00Z","categories":{"gambling":{"domains":["exa mple.com"]}}}',
    );
    const sign = run(dir, 'sign', '--key', 'keys/rule-list-private.pem', 'bad.json');
    expect(sign.code).toBe(1);
    expect(sign.stderr).toContain(
      'categories.gambling.domains[0]: "exa mple.com" is not a domain name',
    );
    expect(existsSync(path.join(dir, 'bad.json.sig'))).toBe(false);
  });

  it('explains bad command lines and exits 2', () => {
    for (const args of [
      ['build'],
      ['build', '--out', 'x.json', '--category', 'gambling'],
      ['build', '--out', 'x.json', '--version', 'soon'],
      ['build', '--out', 'x.json', '--category', `gambling=${ut1}:csv`],
      ['sign', 'list.json'],
      ['verify', 'list.json'],
      ['frobnicate'],
    ]) {
      const result = run(dir, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^steward rules: .+/);
    }
  });

  it('explains a missing file or a category without a name, and exits 1', () => {
    const missing = run(dir, 'build', '--out', 'x.json', '--category', 'gambling=nowhere.txt');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nowhere.txt does not exist');
    const unnamed = run(
      dir,
      'build',
      '--out',
      'x.json',
      '--no-builtin',
      '--category',
      `exams=${ut1}`,
    );
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain('--label exams=');
  });
});
