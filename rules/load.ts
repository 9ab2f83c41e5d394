/**
 * Reads the built-in category lists (`rules/<category>.txt`) and their default clauses
 * (`rules/categories.json`) with the same parser the admin CLI uses. Runs in Node only: at build
 * time (through the Vite plugin), in the CLI, the tests and the benchmarks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategoryList } from '../lib/compiler.ts';
import { parseList, type SkippedLine } from '../lib/lists/parse.ts';
import { BUILT_IN_CATEGORIES } from '../lib/policy.ts';

export const RULES_DIR = fileURLToPath(new URL('.', import.meta.url));

export type BuiltInCategories = {
  lists: Record<string, CategoryList>;
  clauses: Record<string, string>;
  skipped: SkippedLine[];
};

export function loadBuiltInCategories(dir = RULES_DIR): BuiltInCategories {
  const lists: Record<string, CategoryList> = {};
  const skipped: SkippedLine[] = [];
  for (const category of BUILT_IN_CATEGORIES) {
    const file = join(dir, `${category}.txt`);
    if (!existsSync(file)) {
      lists[category] = { domains: [], urlPrefixes: [] };
      continue;
    }
    const parsed = parseList(readFileSync(file, 'utf8'), 'plain', `rules/${category}.txt`);
    skipped.push(...parsed.skipped);
    lists[category] = {
      domains: [...new Set(parsed.domains)].sort(),
      urlPrefixes: parsed.urlPrefixes,
    };
  }
  const clausesFile = join(dir, 'categories.json');
  const clauses: Record<string, string> = {};
  if (existsSync(clausesFile)) {
    const meta = JSON.parse(readFileSync(clausesFile, 'utf8')) as Record<
      string,
      { clause?: string }
    >;
    for (const [id, entry] of Object.entries(meta)) if (entry.clause) clauses[id] = entry.clause;
  }
  return { lists, clauses, skipped };
}
