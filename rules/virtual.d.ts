declare module 'virtual:steward-built-in-categories' {
  import type { CategoryList } from '../lib/compiler.ts';
  export const builtInLists: Record<string, CategoryList>;
  export const builtInClauses: Record<string, string>;
  /** SHA-256 of the compiled lists and clauses, so the worker knows when they changed. */
  export const builtInFingerprint: string;
}
