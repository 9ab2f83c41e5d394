/**
 * Compiles `rules/` into the extension at build time: the service worker imports
 * `virtual:steward-built-in-categories` and gets normalised, de-duplicated lists as one JSON
 * literal, so start-up parses nothing. A source line that does not parse fails the build with its
 * file and line number.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import { loadBuiltInCategories } from './load.ts';

const ID = 'virtual:steward-built-in-categories';
const RESOLVED = `\0${ID}`;

export function builtInCategoriesPlugin(): Plugin {
  return {
    name: 'steward-built-in-categories',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      const built = loadBuiltInCategories();
      if (built.skipped.length > 0) {
        const lines = built.skipped.map((s) => `${s.file}:${s.line}: ${s.reason}`).join('\n');
        this.error(`rules/ has lines that are not domains:\n${lines}`);
      }
      this.addWatchFile?.('rules');
      const lists = JSON.stringify(built.lists);
      const clauses = JSON.stringify(built.clauses);
      const fingerprint = createHash('sha256').update(lists).update(clauses).digest('hex');
      return [
        `export const builtInLists = ${lists};`,
        `export const builtInClauses = ${clauses};`,
        `export const builtInFingerprint = ${JSON.stringify(fingerprint)};`,
        '',
      ].join('\n');
    },
  };
}
