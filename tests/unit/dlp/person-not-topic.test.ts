/**
 * h31-tune: data about a person, not a topic. A charity named by its cause and a cause given to
 * are organisations, not anyone's condition or circumstances; "for your awareness" hands on a case
 * and frames nothing; a pregnancy ended is told by its appointment as often as by "had a
 * termination"; who is out with the union on a strike day is who belongs to it. Each ordinary
 * sentence has a near-miss beside it that still warns. The sentences are this round's own, none
 * from a labelled set.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';

const NOW = new Date('2025-09-01T12:00:00Z');
const warns = (text: string): boolean =>
  detect(text, { now: NOW }).some((d) => d.confidence !== 'low');

describe('h31-tune: an organisation named by its cause', () => {
  const pairs: [string, string, string][] = [
    [
      'a charity',
      "I'm doing the Snowdon walk for the Teenage Cancer Trust in April - she said she'd join me.",
      'Her mum has cancer and she is finding it hard to concentrate.',
    ],
    [
      'a national body',
      'A speaker from Diabetes UK is coming in to talk to Y9; he has asked for a projector.',
      'He has diabetes and needs to check his blood sugar before PE.',
    ],
  ];
  for (const [what, ordinary, concern] of pairs) {
    it(`stays quiet: ${what}`, () => expect(warns(ordinary), ordinary).toBe(false));
    it(`near-miss still warns: ${what}`, () => expect(warns(concern), concern).toBe(true));
  }
});

describe('h31-tune: a cause given to', () => {
  const pairs: [string, string, string][] = [
    [
      'money raised',
      'Well done to Esme, who raised £85 for the food bank with her sponsored silence.',
      'Esme told me the family have been using the food bank since Christmas.',
    ],
    [
      'tins collected',
      'Tins and packets for the local food bank can go in the box by reception, Mrs Hale says.',
      'Mrs Hale gave the family a food bank voucher and he took it home.',
    ],
  ];
  for (const [what, ordinary, concern] of pairs) {
    it(`stays quiet: ${what}`, () => expect(warns(ordinary), ordinary).toBe(false));
    it(`near-miss still warns: ${what}`, () => expect(warns(concern), concern).toBe(true));
  }
  it('still warns: a referral is no gift', () => {
    const text = 'I have referred the family to the food bank; she has no money until payday.';
    expect(warns(text), text).toBe(true);
  });
});

describe('h31-tune: "for your awareness" hands on a case', () => {
  it('warns: a Section 47 enquiry for your awareness', () => {
    const text =
      'For your awareness as chair: a Section 47 enquiry has been opened for a Y4 pupil after a disclosure.';
    expect(warns(text), text).toBe(true);
  });
  it('stays quiet: an awareness week', () => {
    const text =
      'Next week is Child Protection Awareness Week; posters on Section 47 enquiries are in the hall.';
    expect(warns(text), text).toBe(false);
  });
});

describe('h31-tune: a pregnancy ended, told by its appointment', () => {
  it('warns: time off for a termination appointment', () => {
    const text =
      'The Y11 student needs the afternoon off for a termination appointment; she wants it kept quiet.';
    expect(warns(text), text).toBe(true);
  });
  it('stays quiet: the termination of a contract', () => {
    const text =
      'HR have written to him about the termination of his contract with the cleaning firm.';
    expect(
      detect(text, { now: NOW }).some((d) => d.preview.toLowerCase().includes('termination')),
    ).toBe(false);
  });
});

describe('h31-tune: out with the union on a strike day', () => {
  it('warns: a colleague out with the union', () => {
    const text = 'Bryn will be out on Thursday with the union, and Mrs Lowe is in the same branch.';
    expect(warns(text), text).toBe(true);
  });
  it('stays quiet: out with a class', () => {
    const text = 'Bryn will be out on Thursday with the Y8 geographers, so he needs cover for P3.';
    expect(warns(text), text).toBe(false);
  });
});
