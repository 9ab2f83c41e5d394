import { describe, expect, it } from 'vitest';
import {
  addSubjectLabel,
  hasSubjectLabel,
  removeSubjectLabel,
  toggleSubjectLabel,
} from '../../../lib/mailbox/subject.ts';

const L = 'PERSONAL';

describe('subject label', () => {
  it('adds the label at the start, once', () => {
    expect(addSubjectLabel('Re: Saturday', L)).toBe('PERSONAL: Re: Saturday');
    expect(addSubjectLabel(addSubjectLabel('Re: Saturday', L), L)).toBe('PERSONAL: Re: Saturday');
  });

  it('recognises the label whatever its case or the form staff typed', () => {
    for (const s of [
      'personal: Re: x',
      'Personal - x',
      '[PERSONAL] x',
      '(personal) x',
      '  PERSONAL:x',
      'PERSONAL',
    ]) {
      expect(hasSubjectLabel(s, L)).toBe(true);
      expect(addSubjectLabel(s, L)).toBe(s);
    }
  });

  it('does not mistake words that start with the label', () => {
    expect(hasSubjectLabel('Personally, I think', L)).toBe(false);
    expect(hasSubjectLabel('Re: PERSONAL: x', L)).toBe(false);
    expect(addSubjectLabel('Personally, I think', L)).toBe('PERSONAL: Personally, I think');
  });

  it('an empty subject gets the label and a separator ready for typing', () => {
    expect(addSubjectLabel('', L)).toBe('PERSONAL: ');
    expect(removeSubjectLabel('PERSONAL: ', L)).toBe('');
  });

  it('toggling twice gives back exactly the original subject', () => {
    for (const s of [
      'Re: Saturday',
      'Fwd: tickets: Friday',
      '',
      'A  double  space ',
      'Personally',
    ]) {
      const on = toggleSubjectLabel(s, L);
      expect(hasSubjectLabel(on, L)).toBe(true);
      expect(toggleSubjectLabel(on, L)).toBe(s.replace(/^\s+/, ''));
    }
  });

  it('removes only the label', () => {
    expect(removeSubjectLabel('PERSONAL: Re: PERSONAL: x', L)).toBe('Re: PERSONAL: x');
    expect(removeSubjectLabel('Re: x', L)).toBe('Re: x');
  });

  it('treats a school’s own label literally (regex characters escaped)', () => {
    expect(addSubjectLabel('x', 'Private (staff)')).toBe('Private (staff): x');
    expect(hasSubjectLabel('Private (staff): x', 'Private (staff)')).toBe(true);
    expect(hasSubjectLabel('Private staff: x', 'Private (staff)')).toBe(false);
  });
});
