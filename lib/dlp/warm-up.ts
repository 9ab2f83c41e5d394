/**
 * What the webmail page prepares while it is idle, so the member of staff's first Send costs
 * what every later one does.
 *
 * The scan's regular expressions are compiled by V8 the first time each runs (compile-first.ts).
 * The vocabulary's term groups are large (about 20 MB of machine code for all 981 groups in one
 * string representation; the biggest, the terms starting "sh", ~1 MB and 25 ms), and each term's
 * own `whole` pattern (which term a match is) is compiled the first time it names a match. Before
 * this module the page warmed up on one short line ("UPN … NI … DOB …"), which compiled the
 * detectors' own patterns but almost none of the vocabulary. So the first Send in a page paid for
 * compiling every group its words touched: 0.4–0.7 s of CPU for a 1.5 KB message on the
 * development machine (a fast server core; a school's oldest laptop is several times slower),
 * where a later Send of the same message costs about 6 ms.
 *
 * Now, in small steps while the page is idle (`runWhileIdle`):
 *  1. the detectors' own patterns first, while V8 still optimises them (`compileBeforeVocabulary`);
 *     then the vocabulary built in about 30 pieces (`vocabularyInSteps`: the longest ~60 ms here,
 *     where the old warm-up built it as one task of ~0.4 s); then the short line checked, as
 *     before;
 *  2. one step per vocabulary group that a word of `WARM_UP_TEXT` starts, compiled for
 *     one-byte text (V8 compiles a pattern apart for each of the two ways it stores text);
 *  3. a check of `WARM_UP_TEXT` itself (over 1,000 characters, so every other stage compiles
 *     to machine code at once);
 *  4. every term's `whole` pattern, a few hundred per step, run once on a short text (bytecode;
 *     V8 tiers it up at its second use, as it would have).
 * Once a draft holds a character beyond Latin-1 ("’", "“", "—", "Łukasz": two-byte text), the
 * page takes the same steps again for two-byte text (`warmUpSteps(check, 'two-byte')`).
 *
 * Measured (`npm run bench -- --only first-send`: a fresh Node process per figure, six messages of
 * about 1,500 characters from development set 24, CPU, medians): the first Send 478 → 22 ms
 * (a later Send ~4 ms either way); the warm-up 0.47 → 1.5 s of CPU, in idle steps of which the
 * longest is ~0.1 s (the check of `WARM_UP_TEXT`), where the old warm-up was one task of 0.47 s.
 * The same messages made two-byte: 478 → 140 ms after the one-byte warm-up alone, 12 ms after both.
 *
 * Memory is the price, and it is said plainly: the heap after the first Send 31 → 46 MB (after
 * twenty different Sends 42 → 49 MB), and 33 → 66 MB where both warm-ups ran. Much of it is what
 * those Sends compile anyway, only earlier; what stays extra is the `whole` patterns (about 4 MB a
 * representation) and groups a word of the text starts but the scan's gate (which reads up to six
 * characters) would not have tried. The groups are chosen by the words of ordinary English: over
 * the development sets' 6,135 messages, 91% of the group compilations a message triggers (99%
 * weighted by the groups' size) are of groups this text reaches. Only the webmail tab's top frame
 * warms up, once per page and representation, and only where the policy checks outgoing mail.
 *
 * Nothing found is kept or shown: the results are dropped, and a step never touches a draft.
 */
import { COMPILE_SAMPLES, compileOn } from './compile-first.ts';
import { compileBeforeVocabulary, vocabulary, vocabularyInSteps } from './detectors.ts';

/**
 * Ordinary school mail in the commonest words of English and of school life, about nobody: a
 * notice a deputy head might send. Its words start the vocabulary groups nearly every message
 * reaches (the figures above); tests/unit/dlp/warm-up.test.ts holds that it warns on nothing.
 */
export const WARM_UP_TEXT = [
  'Hi all, just a quick note before the weekend. The Year 7 and Year 8 parents evening has moved to',
  'next Thursday in the main hall, and we still need two more members of staff to help set up the',
  'tables after school. If you can stay, please let me know by Tuesday. She said the hall should be',
  'free from half past three, but he has asked that we bring the chairs back from the library when',
  'we have finished. They were going to print the timetables today, so they will be in pigeon holes',
  'on Monday morning. Students have been asked to wear full uniform, and the pupils who help on the',
  'welcome desk will get house points. Please remind your form groups that homework club is still',
  'running on Wednesday, and that the school shop is open at lunch. There is no staff briefing on',
  'Friday because of the trip, which leaves at nine and gets back about four. We had a really good',
  'meeting with the governors about the new building, the playground markings and the sports day',
  'plans; the minutes will be shared when they have been checked. Would anyone who has not yet done',
  'the online training on the new system do it by the end of the month? It only takes twenty',
  'minutes and it does not matter if you stop and start again. Thanks to everyone who came to the',
  'charity bake sale: we raised over four hundred pounds for the hospice. I know it has been a busy',
  'half term, so look after yourselves and have a lovely weekend. Best wishes, Mrs Clarke, Deputy Head',
  'PS Could you also keep in mind that our kit store is open: we want to give every class the same',
  'chance, so there are a few extra balls and bibs to add to the PE cupboard. Since the last visit, the',
  'old blue books are in much better order, and it was easy to find the different games. Sure, the',
  'small dryer is slow, but it is fine for the girls and boys to use. Please phone or email the office',
  'with your name to join the rota, or apply on the sign-up sheet by 10 May. The 20 places go quickly:',
  'we start at 11, stop at 12 and finish at 12.30, and families are welcome to come round to watch.',
  'My thanks to all the people who give up their time. It is a big help and we are very grateful.',
].join(' ');

/** The short line the page warmed up on before: the detectors' own patterns, and the vocabulary. */
export const WARM_UP_LINE = 'UPN A123456789012 NI AB 12 34 56 C DOB 01/02/2015';

/** Terms whose `whole` pattern is compiled in one step (each a fraction of a millisecond). */
const TERMS_PER_STEP = 200;

/**
 * The vocabulary groups a word of `text` starts (its first two characters, as the scan looks
 * them up): those of the case-insensitive vocabulary by the lower-cased pair, those of the
 * case-sensitive one by the pair as written.
 */
export function vocabularyGroupsReachedBy(text: string): RegExp[] {
  const [insensitive, sensitive] = vocabulary();
  const found = new Set<RegExp>();
  for (const word of text.matchAll(/\b\w{2}/g)) {
    const pair = word[0];
    const a = insensitive?.byFirst?.byFirst.get(pair.toLowerCase());
    if (a) found.add(a);
    const b = sensitive?.byFirst?.byFirst.get(pair);
    if (b) found.add(b);
  }
  return [...found];
}

/**
 * How V8 stores a text, and so which compiled code of a pattern it runs: one-byte when every
 * character is in Latin-1, two-byte otherwise (a "’", "“", "—", "…", or a name such as "Łukasz").
 */
export type TextRepresentation = 'one-byte' | 'two-byte';

export function representationOf(text: string): TextRepresentation {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return 'two-byte';
  return 'one-byte';
}

/** `WARM_UP_TEXT` as two-byte text: its dashes and quote marks as a word processor writes them. */
export const WARM_UP_TEXT_TWO_BYTE = WARM_UP_TEXT.replace('Hi all,', 'Hi all —').replace(
  'the small dryer',
  'the “small” dryer',
);

/**
 * The warm-up, one small step at a time. `check` runs the page's own send check on a body (the
 * result dropped).
 *
 * For one-byte text (what a page warms up for when it loads): the detectors' own patterns first,
 * for both representations (compile-first.ts), then the vocabulary built in pieces, the short
 * line, the groups, the text and the terms. For two-byte text (warmed up once a draft with such
 * characters is seen, after the one-byte warm-up): the same steps, of which the first ones and
 * the short line are a few milliseconds by then.
 */
export function* warmUpSteps(
  check: (body: string) => void,
  representation: TextRepresentation = 'one-byte',
): Generator<() => void> {
  const twoByte = representation === 'two-byte';
  // The detectors' own patterns before anything of the vocabulary runs (compile-first.ts), then
  // the vocabulary built in pieces, not as one long task; both are no-ops the second time.
  yield compileBeforeVocabulary;
  // Each pull builds one piece (the step itself is empty), so the idle periods bound the pieces.
  for (const _ of vocabularyInSteps()) yield () => {};
  yield () => check(WARM_UP_LINE);
  const sample = COMPILE_SAMPLES[twoByte ? 1 : 0]!;
  for (const group of vocabularyGroupsReachedBy(WARM_UP_TEXT)) {
    yield () => compileOn(group, sample);
  }
  yield () => check(twoByte ? WARM_UP_TEXT_TWO_BYTE : WARM_UP_TEXT);
  const short = twoByte ? 'x—' : 'x';
  for (const v of vocabulary()) {
    for (let i = 0; i < v.terms.length; i += TERMS_PER_STEP) {
      const terms = v.terms.slice(i, i + TERMS_PER_STEP);
      yield () => {
        for (const t of terms) t.whole.test(short);
      };
    }
  }
}

// The runner (`runWhileIdle`) lives in lib/idle-steps.ts: the service worker's rule-list warm-up
// takes its steps the same way.
export { type IdleDeadline, runWhileIdle, type WarmUpOutcome } from '../idle-steps.ts';
