import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function steward(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/steward.js', 'dlp', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const fixture = (name: string) => path.join('tests/fixtures/dlp-cli', name);

describe('steward dlp scan', () => {
  it('prints findings from an HTML-only .eml readably, redacted', () => {
    const r = steward('scan', fixture('referral.eml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/referral\.eml: \d+ findings/);
    expect(r.stdout).toMatch(/upn\s+high\s+body\s+B•••••••••••1/);
    expect(r.stdout).toMatch(/nhs_number\s+high\s+body\s+••• ••• ••70/);
    expect(r.stdout).toMatch(/date_of_birth\s+high\s+body\s+••\/••\/••••/);
    expect(r.stdout).toMatch(/safeguarding \(child_protection\)\s+high/);
    // The identifiers themselves never appear in the output.
    expect(r.stdout).not.toContain('B801200005001');
    expect(r.stdout).not.toContain('943 476 5870');
  });

  it('writes one JSON object per file per line with --json', () => {
    const r = steward('scan', '--json', fixture('referral.eml'), fixture('newsletter.txt'));
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].file).toBe(fixture('referral.eml'));
    const types = lines[0].findings.map((f: { type: string }) => f.type);
    expect(types).toEqual(
      expect.arrayContaining(['upn', 'nhs_number', 'date_of_birth', 'safeguarding']),
    );
    for (const f of lines[0].findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['type', 'confidence', 'field', 'start', 'end', 'preview']),
      );
    }
    expect(lines[1]).toEqual({ file: fixture('newsletter.txt'), findings: [] });
  });

  it('applies custom patterns from the policy file', () => {
    const without = steward('scan', '--json', fixture('staff.txt'));
    expect(JSON.parse(without.stdout).findings).toEqual([]);
    const withPolicy = steward(
      'scan',
      '--json',
      '--policy',
      fixture('policy.json'),
      fixture('staff.txt'),
    );
    expect(JSON.parse(withPolicy.stdout).findings).toEqual([
      {
        type: 'custom',
        confidence: 'medium',
        field: 'body',
        start: 34,
        end: 44,
        preview: 'ST•-••••22',
        name: 'Staff number',
      },
    ]);
  });

  it('shows below-threshold findings only with --all', () => {
    const r = steward('scan', '--all', fixture('newsletter.txt'));
    expect(r.stdout).toContain('nothing to warn about');
    expect(r.stdout).toContain('(below threshold)');
  });

  it('rejects a bad policy with field-named errors and a non-zero exit', () => {
    const r = steward('scan', '--policy', fixture('bad-policy.json'), fixture('staff.txt'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'compose.customPatterns[1].pattern: backreference \\1 is not supported',
    );
    expect(r.stderr).toContain('compose.customPatterns[2].pattern: missing closing ): (abc');
    expect(r.stdout).toBe('');
  });

  it('reports missing files and usage errors plainly', () => {
    const missing = steward('scan', 'tests/fixtures/dlp-cli/nope.eml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read tests/fixtures/dlp-cli/nope.eml: no such file');
    expect(steward('scan').code).toBe(2);
    expect(steward('scan', '--bogus', 'x').code).toBe(2);
    expect(steward('frobnicate').code).toBe(2);
  });

  it('prints help', () => {
    const r = steward('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: steward dlp scan [--policy FILE] [--json] [--all] FILE…');
  });
});

describe('steward dlp check-patterns', () => {
  it('names each refused pattern and why, and exits 1', () => {
    const r = steward('check-patterns', fixture('bad-policy.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 of 3 custom patterns usable');
    expect(r.stdout).toMatch(/ok {7}compose\.customPatterns\[0\] "a": A\\d\+/);
    expect(r.stdout).toMatch(
      /refused {2}compose\.customPatterns\[1\] "b": backreference \\1 is not supported: Steward runs school patterns on a linear-time engine \(RE2\)/,
    );
    expect(r.stdout).toContain('refused  compose.customPatterns[2] "c": missing closing ): (abc');
  });

  it('accepts a good policy (exit 0) and writes JSON with --json', () => {
    expect(steward('check-patterns', fixture('policy.json')).code).toBe(0);
    const r = steward('check-patterns', '--json', fixture('bad-policy.json'));
    const out = JSON.parse(r.stdout);
    expect(
      out.patterns.map((p: { name: string; refused: string | null }) => [p.name, p.refused]),
    ).toEqual([
      ['a', null],
      ['b', expect.stringMatching(/^backreference/)],
      ['c', 'missing closing ): (abc'],
    ]);
    expect(steward('check-patterns').code).toBe(2);
    expect(steward('check-patterns', fixture('nope.json')).stderr).toContain('no such file');
  });
});
