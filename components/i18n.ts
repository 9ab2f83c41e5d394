import { browser } from 'wxt/browser';

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
