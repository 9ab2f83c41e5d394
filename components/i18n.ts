import { browser } from 'wxt/browser';
import type { WhenSaid } from '../lib/personal-use.ts';

// Message names are built at run time (`category_${id}`), so use the untyped form of getMessage;
// tests/unit/locales.test.ts checks that every name the code uses exists in en_GB.
const getMessage = browser.i18n.getMessage as (name: string, substitutions?: string[]) => string;

/** A string from `_locales` (en-GB first). Substitutions are plain text, never HTML. */
export function t(key: string, ...substitutions: (string | number)[]): string {
  const text = getMessage(key, substitutions.map(String));
  return text || key;
}

/** The label of a category: built-in names from `_locales`, others from the rule list. */
export function categoryLabel(category: string, labels: Record<string, string> = {}): string {
  return getMessage(`category_${category}`) || labels[category] || t('category_other');
}

/** "today at 12:15", "tomorrow at 08:00", "Monday at 12:15", "Monday 21 December at 00:00". */
export function whenText(when: WhenSaid): string {
  if (when.kind === 'weekday') return t('when_weekday', when.day, when.time);
  if (when.kind === 'date') return t('when_date', when.date, when.time);
  return t(`when_${when.kind}`, when.time);
}

/** The block page's "Personal use opens at 12:15" line. */
export function personalUseOpensText(when: WhenSaid): string {
  if (when.kind === 'weekday') return t('block_personal_use_weekday', when.day, when.time);
  if (when.kind === 'date') return t('block_personal_use_date', when.date, when.time);
  return t(`block_personal_use_${when.kind}`, when.time);
}
