/**
 * What the service worker records about the signed rule list (shown by the popup and options
 * page, summarised in the report). Pure types.
 */
import type { RuleListErrorCode } from './update.ts';

export type RuleListFetch = {
  at: number;
  outcome: 'updated' | 'unchanged' | 'error';
  version?: number;
  message?: string;
};

export type RuleListStatus = {
  url: string | null;
  /** The list in force, if any. */
  version: number | null;
  issuedAt: string | null;
  expiresAt: string | null;
  entries: number;
  lastCheckAt: number | null;
  lastSuccessAt: number | null;
  error: {
    /**
     * `not-applied`: signed and valid, but the policy with it does not compile; the list before
     * stays. `not-stored`: in force, but not saved (a full disk); the saved list applies again at
     * the next start until a check saves it. `stored-list-unreadable`: IndexedDB threw on reading
     * the saved list; the rules in force stay, a rebuild uses the built-in lists.
     */
    code:
      | RuleListErrorCode
      | 'stored-list-rejected'
      | 'stored-list-unreadable'
      | 'not-applied'
      | 'not-stored';
    message: string;
    at: number;
  } | null;
  /** Most recent first; the last 10 checks. */
  fetches: RuleListFetch[];
};
