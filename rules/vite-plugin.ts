/**
 * Compiles `rules/` into the extension at build time: the service worker imports
 * `virtual:steward-built-in-categories` and gets normalised, de-duplicated lists as one JSON
 * literal, so start-up parses nothing. A source line that does not parse fails the build with its
 * file and line number.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import type { BuiltInCategories } from '../lib/enforcement-plan.ts';
import { loadBuiltInCategories } from './load.ts';

const ID = 'virtual:steward-built-in-categories';
const RESOLVED = `\0${ID}`;

/**
 * The built-in categories as the worker gets them (lists, clauses, fingerprint), or why `rules/`
 * cannot be built. Shared by the worker's virtual module and the static default ruleset.
 */
export function builtInCategoriesForBuild(): BuiltInCategories | { error: string } {
  const built = loadBuiltInCategories();
  if (built.skipped.length > 0) {
    const lines = built.skipped.map((s) => `${s.file}:${s.line}: ${s.reason}`).join('\n');
    return { error: `rules/ has lines that are not domains:\n${lines}` };
  }
  const lists = JSON.stringify(built.lists);
  const clauses = JSON.stringify(built.clauses);
  const fingerprint = createHash('sha256').update(lists).update(clauses).digest('hex');
  return { lists: built.lists, clauses: built.clauses, fingerprint };
}

export function builtInCategoriesPlugin(): Plugin {
  return {
    name: 'steward-built-in-categories',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      const built = builtInCategoriesForBuild();
      if ('error' in built) this.error(built.error);
      this.addWatchFile?.('rules');
      return [
        `export const builtInLists = ${JSON.stringify(built.lists)};`,
        `export const builtInClauses = ${JSON.stringify(built.clauses)};`,
        `export const builtInFingerprint = ${JSON.stringify(built.fingerprint)};`,
        '',
      ].join('\n');
    },
  };
}
