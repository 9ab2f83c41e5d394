import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * h33-gc: V8 moved the object literals that held each scan's vocabulary matches and findings to
 * the old generation after a few scans (allocation-site pretenuring). A dead match there kept its
 * young text, a slice of the 100 KB `wordsView` text, alive through two scavenges and into the old
 * generation: ~1.4 MB promoted a scavenge on issue 13's case. Both are now made by `new`, which V8
 * allocates young. On the code before, every run of this child found all 631 matches old, and some
 * found all 598 findings old.
 */
describe('a scan leaves its vocabulary matches and findings in the young generation', () => {
  it('after 60 warm scans of issue 13’s case, none is allocated old', () => {
    const child = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', 'tests/unit/dlp/young-objects.child.ts', '60'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.stderr).toBe('');
    const counts = JSON.parse(child.stdout) as Record<string, number>;
    expect(counts.matches).toBeGreaterThan(600);
    expect(counts.findings).toBeGreaterThan(500);
    expect(counts.oldMatches).toBe(0);
    expect(counts.oldFindings).toBe(0);
  });
});
