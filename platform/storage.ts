/**
 * Every stored key, defined once with its type and fallback (WXT storage items).
 */
import { storage } from 'wxt/utils/storage';
import {
  type BlockPageInfo,
  type EnforcementState,
  INITIAL_STATE,
} from '../lib/enforcement-state.ts';

export const enforcementState = storage.defineItem<EnforcementState>('local:enforcement', {
  fallback: INITIAL_STATE,
  version: 1,
});

export const blockPageInfo = storage.defineItem<BlockPageInfo>('local:blockPageInfo', {
  fallback: { clauses: {}, categoryLabels: {}, accessRequest: {}, warnContinueMinutes: 15 },
  version: 1,
});

/** "Continue" grants in force: session rule id → when it ends (ms since epoch). */
export const warnContinueGrants = storage.defineItem<Record<string, number>>(
  'session:warnContinue',
  {
    fallback: {},
  },
);
