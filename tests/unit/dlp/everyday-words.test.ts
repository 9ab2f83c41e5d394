/**
 * Issue 13 item 2, "coverage by taxonomy, not by example": each KCSIE / UK GDPR group is tested
 * with wordings that are not in any labelled set, and each with an ordinary near-miss that must
 * stay quiet. The words are the concept's common phrasings, so a different sentence must work.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';
import { nameMentions } from '../../../lib/dlp/people.ts';

const NOW = new Date('2025-09-01T12:00:00Z');

/** Whether the text would warn (a finding at medium or above). */
const warns = (text: string): boolean =>
  detect(text, { now: NOW }).some((d) => d.confidence !== 'low');

describe('a concern told in everyday words warns', () => {
  const concerns: [string, string][] = [
    [
      'physical: an injury where accidents rarely land',
      'Kian had welts across the back of his thighs.',
    ],
    [
      'physical: an explanation that does not fit',
      'Mum says she bruises easily. Ruby flinched when I lifted my arm.',
    ],
    ['physical: a harm verb and its victim', 'He said his stepdad headbutted his mum.'],
    [
      'sexual: secrecy and touching',
      'Jess said her cousin touches her down there and it is their little secret.',
    ],
    ['sexual: coming in at night', 'Amy said her uncle comes into her bedroom at night.'],
    [
      'online: a picture asked for',
      'A boy on Snapchat kept asking her for pics and said he was 15.',
    ],
    ['online: payment for images', 'An adult has been paying him to film videos for an app.'],
    [
      'neglect: no food at home',
      'Sam says there is never any food in the flat and mum sleeps all day.',
    ],
    [
      'neglect: health needs not met',
      "Lily has toothache and mum can't get a dentist; she's got nits again.",
    ],
    [
      'emotional: told they are worthless',
      'His dad calls him a waste of space in front of his friends.',
    ],
    [
      'emotional: shut out of family meals',
      "She isn't allowed to eat with the rest of the family.",
    ],
    [
      'domestic abuse: coercive control',
      "Her partner won't let her have any money and checks where she goes.",
    ],
    [
      'exploitation: cash and a stranger with a car',
      'He has wads of cash and a 23-year-old picks him up in a car.',
    ],
    [
      'radicalisation: hatred and glorification',
      'He said the attackers were heroes and immigrants should be deported.',
    ],
    ['FGM: the euphemism', "Her aunt says she'll be made a woman in the summer."],
    ['forced marriage', 'Her parents want her to marry a man she has never met.'],
    [
      'court: a decision about a child',
      'The judge has ruled that dad may only see him at a contact centre.',
    ],
    [
      'parental substance misuse',
      'Dad smelt of alcohol at pick-up and was swaying; he was clearly under the influence.',
    ],
    [
      'criminal offence data',
      'The DBS came back with a caution for theft and a conviction for ABH.',
    ],
    ['self-harm', 'She has fresh cuts on her forearms and said there is no point being here.'],
    ['eating disorder', "Her friends say she's making herself sick after lunch."],
    [
      'health: staff surgery and medication',
      'Pete is back after his knee surgery and is on beta blockers.',
    ],
    ['sexual orientation', 'Lewis has come out to his tutor as bisexual.'],
    ['SEND: an assessment result', 'Poppy scored at the 2nd percentile for working memory.'],
    ['financial hardship', 'Dad has been made redundant and they have been using the food bank.'],
    [
      'staff HR: absence management',
      'Mrs Cole has had four separate absences and has hit the trigger point.',
    ],
    ['staff HR: investigation', 'Mr Reed resigned while under investigation.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
});

describe('ordinary mail using the same words stays quiet', () => {
  const ordinary: [string, string][] = [
    ['a sports injury', 'Erin hurt her finger catching a pass but she played on.'],
    [
      'a first-aid note',
      'Chloe bumped her head on the climbing frame and has a small red mark on her forehead.',
    ],
    ['the reading scheme', 'Maisie has reached stage 6 on the reading scheme.'],
    ['a seating plan', 'From Monday Jack is not allowed to sit with Harry in maths.'],
    ['the assault course', 'Events include the sack race and the assault course.'],
    ['an online lesson', 'Please ask Zara to turn her camera on in the Teams lesson.'],
    ['Father Christmas', 'The children can sit on his knee for a photo if they want to.'],
    ['worksheets', 'Mr Holt passed out the worksheets and Lily read the first question.'],
    [
      'a hungry boy after swimming',
      'Kayden was really hungry after swimming so I gave him some fruit.',
    ],
    [
      'general mail run by a named member of staff',
      'Next PSHE session: county lines and how criminals target young people. The police officer will run it with Mr Holt.',
    ],
    [
      'a sign-off with a role',
      'Dear parents, a car was broken into. Police have been informed.\n\nMr Jones, Headteacher',
    ],
    [
      'a poem about war',
      'Year 11 are reading war poetry, including Remains, which deals with PTSD.',
    ],
    [
      'a job advert',
      'Vacancy: you will attend child protection conferences. Experience of CAMHS is essential. Closing date 10 January.',
    ],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
});

describe('who a message is about', () => {
  it('reads a title and surname as a person, whatever the surname', () => {
    const text = 'Mrs Kowalski rang. She was upset.';
    expect(nameMentions(text)).toEqual([{ start: 0, end: 12, titled: true }]);
  });
  it('reads a possessive name as a person ("Jayden\'s", "Tia\'s father")', () => {
    expect(nameMentions("I spoke to Jayden's mum.")).toHaveLength(1);
    // "Tia" is not a common name, but "Tia's father" is someone's family.
    expect(nameMentions("Please be aware that Tia's father was released.")).toHaveLength(1);
    expect(nameMentions("The Hub's opening hours")).toHaveLength(0);
  });
  it('a closing quote ends a term: "she said he \'does weird stuff\'"', () => {
    expect(warns("Sophie said her mum's friend 'does weird stuff' when he babysits.")).toBe(true);
  });
});
