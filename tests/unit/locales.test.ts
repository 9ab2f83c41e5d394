import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATEGORIES, CATEGORY_MODES } from '../../lib/policy.ts';

const messages = JSON.parse(readFileSync('public/_locales/en_GB/messages.json', 'utf8')) as Record<
  string,
  { message: string }
>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe('en-GB strings', () => {
  it('has every string the pages and in-page UI ask for', () => {
    const used = new Set<string>();
    for (const file of [...sourceFiles('components'), ...sourceFiles('entrypoints')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_]+)'/g))
        used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((key) => !(key in messages));
    expect(missing).toEqual([]);
  });

  it('names every built-in category and mode in plain words', () => {
    for (const c of [...BUILT_IN_CATEGORIES, 'blockList', 'other'])
      expect(messages[`category_${c}`]?.message).toBeTruthy();
    for (const m of CATEGORY_MODES) expect(messages[`mode_${m}`]?.message).toBeTruthy();
  });
});
