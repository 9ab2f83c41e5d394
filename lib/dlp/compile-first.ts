/**
 * Steward's own regular expressions compiled before the send-warning vocabulary's.
 *
 * V8 compiles a regular expression when it first runs: to bytecode, then to machine code on the
 * next run, or at once on a text of 1,000 characters or more, separately for texts of one-byte and
 * of two-byte characters (a single "’" or "—" makes a whole message two-byte). It optimises that
 * machine code (quick checks, skipping ahead with a table of likely characters) only while the
 * page has generated under 1 MB of regular-expression code in all (V8's `TooMuchRegExpCode`; the
 * count never goes down). The vocabulary's term groups and per-term patterns generate about 19 MB
 * of bytecode, so every regular expression compiled after them is compiled unoptimised, for the
 * life of the page: in a 100 KB scan the date, name, postcode, framing, pronoun and word-list
 * searches ran 3 to 20 times slower. In the first scan nearly all of them were compiled after the
 * vocabulary, because they had only run on the short subject line (bytecode) when the vocabulary
 * first ran.
 *
 * So, once, before the vocabulary first runs, each of them is run on a text of over 1,000
 * characters in each representation (`compileFirst`). The findings are not touched: these runs
 * have no effect but compiling. Cost: one scan of two 1.2 KB texts per page.
 *
 * Where a page has itself generated over 1 MB of regular-expression code before Steward's first
 * scan, this cannot help; the hand-read start filters of school patterns (custom-patterns.ts) do
 * not depend on it.
 */

/** Ordinary school mail, no identifiers: the character mix V8 samples when it compiles. */
const PARAGRAPH =
  'Dear Mrs Taylor, thank you for your email about the Year 8 trip to the science museum on ' +
  'Friday. The coach leaves at 8.45am from the front gate and returns by 3.30pm; please send a ' +
  'packed lunch, a waterproof coat and £5 for the shop. Letters went home on Monday with the ' +
  'timetable, and the office can answer questions on 01632 960 123. Kind regards, Mr Jones. ';

function sampleOf(paragraph: string): string {
  let s = paragraph;
  while (s.length < 1_200) s += paragraph;
  return s;
}

/** Over 1,000 characters, all one-byte (Latin-1), and the same with two-byte characters in it. */
export const COMPILE_SAMPLES: readonly string[] = [
  sampleOf(PARAGRAPH),
  sampleOf(PARAGRAPH.replace('Year 8 trip', 'Year 8 trip — it’s')),
];

/**
 * Run `re` once on each sample so V8 compiles it to machine code for both string representations
 * now. `lastIndex` is left as it was.
 */
export function compileFirst<T extends RegExp | null>(re: T): T {
  if (!re) return re;
  for (const sample of COMPILE_SAMPLES) compileOn(re, sample);
  return re;
}

/**
 * Run `re` once from the start of `sample`, so V8 compiles it for that sample's representation
 * (machine code at once: the samples are over 1,000 characters). `lastIndex` is left as it was.
 */
export function compileOn(re: RegExp, sample: string): void {
  const lastIndex = re.lastIndex;
  re.lastIndex = 0;
  re.test(sample);
  re.lastIndex = lastIndex;
}
