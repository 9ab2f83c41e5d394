/**
 * h37-tune: staff logistics read as cases. SEN provision named as a thing, a member of staff off
 * for the day with a migraine, "expecting" someone, and a safeguarding word that names the
 * meeting or course a member of staff attends are logistics, not data about a person; so are a
 * renewal falling due, a supplier's rep and a fire plan's refuge. Each
 * ordinary sentence has a near-miss beside it that still warns. The sentences are this round's
 * own, none from a labelled set.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';

const NOW = new Date('2025-09-01T12:00:00Z');
const warns = (text: string): boolean =>
  detect(text, { now: NOW }).some((d) => d.confidence !== 'low');

type Pair = [what: string, ordinary: string, concern: string];

function pairs(title: string, list: Pair[]): void {
  describe(title, () => {
    for (const [what, ordinary, concern] of list) {
      it(`stays quiet: ${what}`, () => expect(warns(ordinary), ordinary).toBe(false));
      it(`near-miss still warns: ${what}`, () => expect(warns(concern), concern).toBe(true));
    }
  });
}

pairs('h37-tune: SEN provision named as a thing needs more than "she"', [
  [
    'the sensory room',
    'She says the beanbags for the sensory room arrived this morning, if anyone can help carry them.',
    'She uses the sensory room every morning because of her autism and the noise in the hall.',
  ],
  [
    'a scribe after an injury',
    'Priya sprained her wrist at netball so she will need a scribe for Thursday’s history test.',
    'Priya has dyslexia, so she will need a scribe for Thursday’s history test.',
  ],
  [
    'beside a context word only',
    'Our SEND governor is in on Friday to see the sensory room; she would like a coffee at 10.',
    'Our SEND governor asked about Amir: she says he has autism and uses the sensory room daily.',
  ],
  [
    'access arrangements',
    'He asked me where the access arrangements forms are kept; I said the exams office.',
    'He has access arrangements because of his EHCP: 25% extra time and a reader.',
  ],
]);

pairs('h37-tune: a day off with a migraine is cover, a record of them is not', [
  [
    'off today',
    "Gwen is off with a migraine today, so I'll take her Y6 maths group after break.",
    "She's off with a migraine again today, Gwen says, the fourth since September.",
  ],
]);

pairs('h37-tune: expecting someone is not a pregnancy', [
  [
    'expecting me',
    'Mrs Lowe says she is expecting me in the hall at 9 to set up the chairs.',
    'Mrs Lowe says she is expecting, due in March, so she will not do the residential.',
  ],
]);

pairs('h37-tune: a safeguarding word that names the meeting a member of staff attends', [
  [
    'a conference attended',
    'Mr Adeyemi is at a child protection conference all day Tuesday, so his Y2 class will have Ms Roy.',
    'Mr Adeyemi is at a child protection conference all day Tuesday about Leo, who came in with a black eye.',
  ],
  [
    'a refresher course, named the sentence before',
    'Sian and I are on the DSL refresher on Wednesday afternoon. It covers county lines and exploitation.',
    'Sian thinks Kai is involved in county lines: he had two phones and a lot of cash on him.',
  ],
  [
    'the meeting room',
    'The meeting room is booked on Friday for a PEP meeting, so the governors will use the library.',
    'The social worker wants the meeting room on Friday for his PEP meeting; he is in foster care now.',
  ],
]);

describe('h37-tune: a frame quiets nothing in a sentence that names a pupil', () => {
  const cases: [string, string][] = [
    [
      "a named pupil's plan in the meeting room",
      "Maisie's CP plan review is in the meeting room on Thursday at 3.",
    ],
    [
      'a conference for a named pupil',
      'Cover please for period 5: I am at the child protection conference for Callum in Y3.',
    ],
  ];
  for (const [what, text] of cases) {
    it(`warns: ${what}`, () => expect(warns(text), text).toBe(true));
  }
});

describe('h37-tune: the sentence before frames nothing where the word is told of someone', () => {
  it('warns: a visit in the meeting room, then an order told about a parent', () => {
    const text =
      'The social worker wants to see the twins in the meeting room at 2. She said the court order means their dad cannot collect them.';
    expect(warns(text), text).toBe(true);
  });
});

pairs('h37-tune: words in another sense', [
  [
    'a renewal falling due',
    'Three DBS renewals due in April - Mrs Khan is one and she has the link already.',
    'Mrs Khan is due in April, so she will start her maternity leave after Easter.',
  ],
  [
    "a supplier's rep",
    'The printer company say their rep, Mr Dale, will call in; he needs the meter reading.',
    'Mr Dale asked if his union rep can sit in on Thursday’s disciplinary meeting.',
  ],
  [
    "a fire plan's refuge",
    'Fire drill on Tuesday: she will check the disabled refuge on the science corridor.',
    'Mum told her they left on Friday and are staying in a refuge in another town.',
  ],
]);
