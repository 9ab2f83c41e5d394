/**
 * Steward's built-in category ids, in a module of their own so the admin dashboard's bundle can
 * list them without the policy parser (lib/policy.ts re-exports them).
 */
export const BUILT_IN_CATEGORIES = [
  'streaming',
  'webmail',
  'social',
  'gambling',
  'adult',
  'chat',
  'proxy',
  'piracy',
  'auctions',
  'extremism',
] as const;
export type BuiltInCategory = (typeof BUILT_IN_CATEGORIES)[number];
