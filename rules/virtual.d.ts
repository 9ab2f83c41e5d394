declare module 'virtual:steward-built-in-categories' {
  import type { CategoryList } from '../lib/compiler.ts';
  export const builtInLists: Record<string, CategoryList>;
  export const builtInClauses: Record<string, string>;
}
