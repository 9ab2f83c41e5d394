import { browser } from 'wxt/browser';

/** A string from `_locales` (en-GB first). Substitutions are plain text, never HTML. */
export function t(key: string, ...substitutions: (string | number)[]): string {
  const text = browser.i18n.getMessage(key, substitutions.map(String));
  return text || key;
}

/** The label of a category: built-in names from `_locales`, others from the rule list. */
export function categoryLabel(category: string, labels: Record<string, string> = {}): string {
  return browser.i18n.getMessage(`category_${category}`) || labels[category] || t('category_other');
}
