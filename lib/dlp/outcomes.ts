/**
 * What a member of staff did when Steward stepped in before Send. Counted per finding type for the
 * admin report: types and counts only, never content, recipients or previews.
 *
 * - `warned`: the warning was shown (counted once per warning, whatever happened next).
 * - `went_back`: "Go back" (or Escape): the draft stays open, unchanged.
 * - `removed_recipient`: an outside recipient was removed from the warning, then sent or not.
 * - `sent_anyway`: the warning was overridden (acknowledged, or with a typed reason).
 * - `blocked`: block mode: the message could not be sent as it was.
 */
import type { FindingType } from './detectors.ts';

/**
 * What a member of staff did about the school's disclaimer (`compose.disclaimer`), counted under
 * the report's `disclaimer` detector:
 *
 * - `reminded`: the light reminder was shown (the message had nothing else to warn about).
 * - `disclaimer_added`: "Add it and send" in the reminder, or "Add the disclaimer" in a warning.
 * - `sent_without_disclaimer`: "Send without it".
 * - `went_back`: "Go back" (or Escape) from the reminder.
 */
export type DisclaimerOutcome =
  | 'reminded'
  | 'disclaimer_added'
  | 'sent_without_disclaimer'
  | 'went_back';

export type SendOutcome = 'warned' | 'went_back' | 'removed_recipient' | 'sent_anyway' | 'blocked';

export const SEND_OUTCOMES: readonly SendOutcome[] = [
  'warned',
  'went_back',
  'removed_recipient',
  'sent_anyway',
  'blocked',
];

/** What a warning was about, for counting: finding types, or a recipient risk with no finding. */
export type OutcomeSubject = FindingType | 'lookalike_domain' | 'many_visible_external';

export type OutcomeCounts = Partial<Record<SendOutcome, Partial<Record<OutcomeSubject, number>>>>;

/** Add one outcome for each distinct subject of a decision (a new object; counts are immutable). */
export function countOutcome(
  counts: OutcomeCounts,
  outcome: SendOutcome,
  subjects: readonly OutcomeSubject[],
): OutcomeCounts {
  const row = { ...(counts[outcome] ?? {}) };
  for (const s of new Set(subjects)) row[s] = (row[s] ?? 0) + 1;
  return { ...counts, [outcome]: row };
}
