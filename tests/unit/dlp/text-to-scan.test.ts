/**
 * Characters the eye does not see (soft hyphens, zero-width spaces, non-breaking hyphens) must not
 * hide a message from the detectors, and a finding must still point at what was written
 * (lib/dlp/text-to-scan.ts). Before session 23, "child protection plan" with a soft hyphen, or a
 * zero-width space after each word, raised no safeguarding finding at all; nor did it wrapped at
 * the end of a line, with two spaces, or quoted in a plain-text reply ("> ").
 */
import { describe, expect, it } from 'vitest';
import { confidenceAtLeast, sentenceAround } from '../../../lib/dlp/detectors.ts';
import { DEFAULT_COMPOSE_POLICY } from '../../../lib/dlp/policy.ts';
import { scanMessage } from '../../../lib/dlp/scan.ts';
import {
  originalOffset,
  originalSpan,
  textToScan,
  wordsView,
} from '../../../lib/dlp/text-to-scan.ts';
import {
  CORPUS_NOW,
  labelledSetsNotHeldOut,
  loadCorpus,
  loadLabelledSet,
} from '../../fixtures/dlp-corpus/evaluate.ts';

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

describe('a reply quoted in plain text', () => {
  it('takes out the quote marks at the start of each line, and only there', () => {
    const original = 'Thanks.\n> Sam is on a\n>  > child protection plan\nA > B';
    const t = textToScan(original);
    expect(t.text).toBe('Thanks.\nSam is on a\nchild protection plan\nA > B');
    const at = t.text.indexOf('child');
    const start = original.indexOf('child');
    expect(originalSpan(t, at, at + 5)).toEqual({ start, end: start + 5 });
  });
});

describe('the text as running words', () => {
  const view = (text: string) => {
    const w = wordsView(text);
    return { text: w.text, from: [...w.text].map((_, i) => originalOffset(w, i)) };
  };

  it('folds a line break, a tab or two spaces between words into one space', () => {
    expect(view('a  b')).toEqual({ text: 'a b', from: [0, 1, 3] });
    expect(view('a\nb')).toEqual({ text: 'a b', from: [0, 1, 2] });
    expect(view('a \r\nb')).toEqual({ text: 'a b', from: [0, 1, 4] });
    expect(view('a\tb')).toEqual({ text: 'a b', from: [0, 1, 2] });
    expect(view('Hi Sam,\nthe plan').text).toBe('Hi Sam, the plan');
  });

  it('joins a word broken after its hyphen at a line end', () => {
    expect(view('self-\nharm')).toEqual({ text: 'self-harm', from: [0, 1, 2, 3, 4, 6, 7, 8, 9] });
  });

  it('leaves paragraph breaks, breaks after a full stop and text with one space alone', () => {
    expect(wordsView('a b c').stretches).toBeNull();
    expect(wordsView('Done.\nNext').stretches).toBeNull();
    expect(wordsView('a\n\nb').stretches).toBeNull();
    expect(wordsView('self-\n\nharm').stretches).toBeNull();
    expect(wordsView('Names:\n- Sam').stretches).toBeNull();
  });
});

/** The body as a plain-text editor or a reply sends it: hard-wrapped at `width`, perhaps quoted. */
function wrapped(text: string, width: number, quote = ''): string {
  return text
    .split('\n')
    .map((line) => {
      const lines: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && `${current} ${word}`.length > width) {
          lines.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      lines.push(current);
      return lines.map((l) => quote + l).join('\n');
    })
    .join('\n');
}

describe('a message wrapped at the end of its lines, or quoted', () => {
  it('finds the same words, and all but a few of the same findings', () => {
    const corpus = loadCorpus();
    let differ = 0;
    for (const m of corpus) {
      const findings = (body: string) =>
        scanMessage({ ...m, body }, undefined, { now: CORPUS_NOW }).filter(
          (f) => f.field === 'body',
        );
      const words = (fs: ReturnType<typeof findings>) =>
        fs
          .filter((f) => f.type === 'safeguarding' || f.type === 'special_category')
          .map((f) => `${f.type}:${f.name}:${f.preview}`);
      const all = (fs: ReturnType<typeof findings>) => fs.map((f) => `${f.type}:${f.confidence}`);
      const clean = findings(m.body);
      for (const body of [wrapped(m.body, 60), wrapped(m.body, 60, '> ')]) {
        const found = findings(body);
        expect(words(found), m.id).toEqual(words(clean));
        if (all(found).join() !== all(clean).join()) differ++;
      }
    }
    // Before session 23, 42 of the 477 differed (phrases cut at line ends, quote marks read as
    // text). What is left is not the vocabulary: an NHS number or an address wrapped across lines.
    expect(differ).toBeLessThanOrEqual(10);
  }, 120_000);
});

describe('a sentence wrapped across lines', () => {
  const sentence = (text: string, word: string) => {
    const at = text.indexOf(word);
    return text.slice(...sentenceAround(text, at, at + word.length));
  };

  it('is one sentence where a line ends inside it, and two where a line ends a sentence', () => {
    expect(sentence('Our display is about\nfamous people with dyslexia.', 'dyslexia')).toBe(
      'Our display is about\nfamous people with dyslexia',
    );
    expect(sentence('Thanks for the display,\nwith dyslexia in it.', 'dyslexia')).toBe(
      'Thanks for the display,\nwith dyslexia in it',
    );
    expect(sentence('Display done\nDyslexia next', 'Dyslexia')).toBe('Dyslexia next');
    expect(sentence('Thanks,\nJo has dyslexia', 'dyslexia')).toBe('Jo has dyslexia');
    expect(sentence('All done.\nwith dyslexia', 'dyslexia')).toBe('with dyslexia');
  });

  it('ordinary development mail wrapped at 72 columns warns no more than as written', () => {
    const policy = DEFAULT_COMPOSE_POLICY;
    const warns = (m: { subject: string }, body: string) =>
      scanMessage({ subject: m.subject, body, attachmentNames: [] }, policy, {
        now: CORPUS_NOW,
      }).some((f) => confidenceAtLeast(f.confidence, policy.minConfidence));
    const newlyWarned: string[] = [];
    let wrappedSomewhere = 0;
    for (const set of labelledSetsNotHeldOut()) {
      for (const m of loadLabelledSet(set)) {
        if (m.outcome !== 'send') continue;
        const body = wrapped(m.body, 72);
        if (body === m.body) continue;
        wrappedSomewhere++;
        if (!warns(m, m.body) && warns(m, body)) newlyWarned.push(m.id);
      }
    }
    expect(wrappedSomewhere).toBeGreaterThan(1000);
    // Before session 23's sentence reading, eight warned only once wrapped (a framing such as
    // "celebration week" on one line and the topic word on the next).
    expect(newlyWarned).toEqual([]);
  }, 120_000);
});

describe('one search first for anything to make plain (h36-scan)', () => {
  it('makes every character plain, or takes it out, as the two replacements and INVISIBLE do', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const original = `a${String.fromCharCode(c)}b`;
      const t = textToScan(original);
      const text = original
        .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
        .replace(/[\u2010\u2011]/g, '-')
        .replace(INVISIBLE, '');
      if (t.text !== text || (t.from === null) !== (text.length === 3)) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
  });
});
