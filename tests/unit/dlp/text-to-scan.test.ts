/**
 * Characters the eye does not see (soft hyphens, zero-width spaces, non-breaking hyphens) must not
 * hide a message from the detectors, and a finding must still point at what was written
 * (lib/dlp/text-to-scan.ts). Before session 23, "child protection plan" with a soft hyphen, or a
 * zero-width space after each word, raised no safeguarding finding at all.
 */
import { describe, expect, it } from 'vitest';
import { scanMessage } from '../../../lib/dlp/scan.ts';
import { originalSpan, textToScan } from '../../../lib/dlp/text-to-scan.ts';
import { CORPUS_NOW, loadCorpus } from '../../fixtures/dlp-corpus/evaluate.ts';

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

describe('the text the detectors read', () => {
  it('makes fixed-width spaces and hyphens plain, one for one', () => {
    const t = textToScan('self\u2011harm\u00a0and\u202fself\u2010care');
    expect(t).toEqual({ text: 'self-harm and self-care', from: null, originalLength: 23 });
  });

  it('takes out marks that take no space and maps offsets back', () => {
    const original = 'a\u00adb\u200bc \ufeffd\u2060';
    const t = textToScan(original);
    expect(t.text).toBe('abc d');
    expect([...(t.from ?? [])]).toEqual([0, 2, 4, 5, 7]);
    // "bc" → from b to just after c; "d" → not the word joiner after it.
    expect(originalSpan(t, 1, 3)).toEqual({ start: 2, end: 5 });
    expect(originalSpan(t, 4, 5)).toEqual({ start: 7, end: 8 });
    expect(originalSpan(t, 5, 5)).toEqual({ start: 9, end: 9 });
    expect(originalSpan(t, 0, 5)).toEqual({ start: 0, end: 8 });
  });

  it('leaves text with none of them alone', () => {
    const t = textToScan('Sam’s UPN is A123456789012.');
    expect(t.from).toBeNull();
    expect(t.text).toBe('Sam’s UPN is A123456789012.');
  });
});

/** The message as a PDF or web page might hand it over: soft hyphens inside words, zero-width spaces after spaces, non-breaking hyphens. */
function withInvisibleMarks(text: string): string {
  return text
    .replace(/\b([A-Za-z]{4})([A-Za-z]{3,})/g, '$1\u00ad$2')
    .replace(/ /g, ' \u200b')
    .replace(/-/g, '\u2011');
}

describe('a message full of invisible marks', () => {
  const corpus = loadCorpus();

  it('finds what the clean message finds, at the same words', () => {
    let compared = 0;
    for (const m of corpus) {
      const clean = scanMessage(m, undefined, { now: CORPUS_NOW });
      const marked = {
        ...m,
        subject: withInvisibleMarks(m.subject),
        body: withInvisibleMarks(m.body),
      };
      const found = scanMessage(marked, undefined, { now: CORPUS_NOW });
      const summary = (fs: typeof clean) => fs.map((f) => `${f.field}:${f.type}:${f.confidence}`);
      expect(summary(found), m.id).toEqual(summary(clean));
      // Each finding points at the same words in what was written.
      found.forEach((f, i) => {
        const c = clean[i]!;
        if (f.field === 'attachment' || c.end <= c.start) return;
        const written = f.field === 'subject' ? marked.subject : marked.body;
        const cleanText = f.field === 'subject' ? m.subject : m.body;
        expect(
          written
            .slice(f.start, f.end)
            .replace(INVISIBLE, '')
            .replace(/\u2011/g, '-'),
          `${m.id} ${f.type}`,
        ).toBe(cleanText.slice(c.start, c.end));
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(500);
  }, 60_000);
});
