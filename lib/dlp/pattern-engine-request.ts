/**
 * Where the worker injects the school's pattern engine when a webmail content script asks
 * (`webmail/patternEngine`): into the asking frame of the asking tab, and only when the policy in
 * force has school patterns. Nothing in the request chooses either; the page cannot ask at all
 * (only Steward's own content scripts can message the worker).
 */
import { needsPatternEngine } from './custom-rules.ts';
import { resolveComposePolicy } from './policy.ts';

export type PatternEngineTarget =
  | { inject: true; tabId: number; frameId: number }
  | { inject: false; reason: 'not-needed' | 'failed' };

export function patternEngineTarget(
  compose: unknown,
  sender: { tab?: { id?: number }; frameId?: number },
): PatternEngineTarget {
  if (!needsPatternEngine(resolveComposePolicy(compose ?? {}).policy)) {
    return { inject: false, reason: 'not-needed' };
  }
  const tabId = sender.tab?.id;
  if (tabId === undefined) return { inject: false, reason: 'failed' };
  return { inject: true, tabId, frameId: sender.frameId ?? 0 };
}
