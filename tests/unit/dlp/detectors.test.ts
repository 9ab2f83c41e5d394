import { describe, expect, it } from 'vitest';
import { type Detection, detect, mask } from '../../../lib/dlp/detectors.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

/** Types that would reach the default threshold (medium). */
function reported(text: string, context?: string): string[] {
  return detect(text, { now: NOW, ...(context ? { context } : {}) })
    .filter((d) => d.confidence !== 'low')
    .map((d) => d.type);
}

function only(text: string, type: string): Detection {
  const found = detect(text, { now: NOW }).filter((d) => d.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('UPN', () => {
  it('finds a valid UPN, high with pupil words nearby', () => {
    expect(only('UPN: B801200005001', 'upn').confidence).toBe('high');
    expect(only('record for B801200005001 attached', 'upn').confidence).toBe('medium');
  });
  it('ignores a wrong check letter and lower case', () => {
    expect(reported('UPN: C801200005001')).toEqual([]);
    expect(reported('UPN: b801200005001')).toEqual([]);
  });
  it('reports position and a redacted preview', () => {
    const d = only('UPN: B801200005001.', 'upn');
    expect([d.start, d.end]).toEqual([5, 18]);
    expect(d.preview).toBe('B•••••••••••1');
  });
});

describe('National Insurance number', () => {
  it('finds spaced and compact forms', () => {
    expect(only('NI number: AB 12 34 56 C', 'nino').confidence).toBe('high');
    expect(only('ref JG103759A', 'nino').confidence).toBe('medium');
  });
  it('rejects the HMRC placeholder and unissued prefixes', () => {
    expect(reported('National Insurance number QQ123456C')).toEqual([]);
    expect(reported('National Insurance number GB123456A')).toEqual([]);
    expect(reported('National Insurance number AO123456A')).toEqual([]);
  });
});

describe('NHS number', () => {
  it('counts 943 476 5870 only with health words, high with "NHS"', () => {
    expect(only('NHS no. 943 476 5870', 'nhs_number').confidence).toBe('high');
    expect(only('patient 943-476-5870', 'nhs_number').confidence).toBe('medium');
    expect(only('ref 9434765870', 'nhs_number').confidence).toBe('low');
  });
  it('rejects a wrong check digit', () => {
    expect(detect('NHS number 943 476 5871', { now: NOW })).toEqual([]);
  });
  it('reads it grouped by dots too (session 39), but not with mixed separators or a longer run', () => {
    expect(only('NHS no. 943.476.5870', 'nhs_number').confidence).toBe('high');
    expect(detect('NHS no. 943.476-5870', { now: NOW })).toEqual([]);
    expect(detect('NHS no. 1.943.476.5870', { now: NOW })).toEqual([]);
    expect(detect('NHS no. 943.476.5870.1', { now: NOW })).toEqual([]);
    expect(detect('NHS number 943.476.5871', { now: NOW })).toEqual([]);
  });
  it('takes "NHS" from the subject as corroboration', () => {
    expect(reported('the number is 943 476 5870', 'NHS details')).toEqual(['nhs_number']);
  });
});

describe('payment card', () => {
  it('finds Luhn-valid numbers with a brand, high with card words', () => {
    expect(only('Card: 4539 1488 0343 6467 exp 09/27', 'payment_card').confidence).toBe('high');
    expect(only('use 5220-1928-3746-5010 please', 'payment_card').confidence).toBe('medium');
    expect(only('ref 4539148803436467', 'payment_card').preview).toBe('••••••••••••6467');
    expect(only('amex 3782 822463 10005', 'payment_card').preview).toBe('•••• •••••• •0005');
  });
  it("ignores the schemes' repeated-digit test numbers", () => {
    expect(reported('Test with card 4111 1111 1111 1111 or 4242424242424242')).toEqual([]);
    expect(reported('5555 5555 5555 4444 is the Mastercard test number')).toEqual(['payment_card']);
  });
  it('ignores Luhn failures and unbranded numbers', () => {
    expect(reported('card 4539 1488 0343 6468')).toEqual([]);
    expect(reported('card 1234 5678 1234 5670')).toEqual([]);
  });
});

describe('bank details', () => {
  it('pairs a sort code with an account number', () => {
    const d = only('Sort code: 20-45-77, account number 41234567', 'bank_account');
    expect(d.confidence).toBe('high');
    expect(d.preview).toBe('••-••-•• / ••••••67');
  });
  it('accepts a spaced sort code only after the words "sort code"', () => {
    expect(reported('sort code 20 45 77 acc no 41234567')).toEqual(['bank_account']);
    expect(reported('20 45 77 41234567')).toEqual([]);
  });
  it('does not report a lone sort code, or a date beside an order number', () => {
    expect(reported('sort code 20-45-77')).toEqual([]);
    expect(reported('Delivered 12-03-24, order 41234567')).toEqual([]);
  });
  it("keeps a firm's account named on the same line low, but not a person's", () => {
    expect(
      reported('New caterer is Hill Foods Ltd, sort code 30-12-88, account 55190342.'),
    ).toEqual([]);
    expect(
      reported('Hill Foods Ltd said thanks.\nMy sort code 30-12-88, account 55190342.'),
    ).toEqual(['bank_account']);
  });
});

describe('passport and driving licence', () => {
  it('needs passport words for nine digits', () => {
    expect(only('Passport number: 123456789', 'passport').confidence).toBe('high');
    expect(
      only('passport details for the trip: 123456789 expires 2030', 'passport').confidence,
    ).toBe('medium');
    expect(reported('Booking reference 123456789')).toEqual([]);
  });
  it('finds a plausible licence number', () => {
    expect(only('Driving licence: MORGA753116SM9IJ', 'driving_licence').confidence).toBe('high');
    expect(only('MORGA 753116 SM9IJ 35', 'driving_licence').confidence).toBe('medium');
    expect(reported('MORGA713116SM9IJ')).toEqual([]);
    // A short surname padded with 9s, whose padding joins the digits.
    expect(only('licence LI999802256A99AB', 'driving_licence').start).toBe(8);
    expect(reported('XMORGA753116SM9IJ')).toEqual([]);
  });
});

describe('date of birth', () => {
  it('finds labelled birth dates in several formats', () => {
    expect(only('DOB: 12/03/2014', 'date_of_birth').confidence).toBe('high');
    expect(only('Date of birth - 3rd March 2014', 'date_of_birth').confidence).toBe('high');
    expect(only('born on 2014-03-12', 'date_of_birth').confidence).toBe('high');
    expect(only('d.o.b 12.3.14', 'date_of_birth').confidence).toBe('high');
  });
  it('reads a table with a DOB column', () => {
    const table = 'Name | DOB | Class\nAmy Jones | 12/03/2014 | 5B\nBen Ali | 30/11/2013 | 5B';
    expect(reported(table)).toEqual(['date_of_birth', 'date_of_birth']);
  });
  it('ignores event dates, future dates and unlabelled dates', () => {
    expect(reported('Parents evening is on 14/03/2025 from 4pm')).toEqual([]);
    expect(reported('Please return the date of birth form by 20/06/2025')).toEqual([]);
    expect(reported('The trip is on 3 July 2025')).toEqual([]);
  });
});

describe('credentials', () => {
  it('finds passwords and PINs given in the message', () => {
    expect(only('Username: ajones Password: Sunshine42!', 'credential').confidence).toBe('high');
    expect(only('Your temporary password is blueberry', 'credential').confidence).toBe('medium');
    expect(only('the password for the Wi-Fi is Gu3st-2025', 'credential').preview).toBe(
      'password: ••••••••',
    );
    expect(only('Door PIN: 4821', 'credential').confidence).toBe('medium');
  });
  it('ignores talk about passwords', () => {
    expect(reported('Your password is case-sensitive.')).toEqual([]);
    expect(reported('Password: reset via the link below')).toEqual([]);
    expect(reported('Forgotten your password? Click here.')).toEqual([]);
    expect(reported('Password: ********')).toEqual([]);
    expect(reported('a password is required to open the file')).toEqual([]);
  });
});

describe('special-category and safeguarding vocabulary', () => {
  it('reports statements about a pupil', () => {
    expect(
      reported('Jamie has been diagnosed with epilepsy and his medication is in the office'),
    ).toContain('special_category');
    expect(reported('Sam is now subject to a child protection plan')).toEqual(['safeguarding']);
    expect(reported('She was permanently excluded from her last school')).toContain(
      'special_category',
    );
    expect(reported('He is a looked after child; the PEP meeting is on Tuesday')).toContain(
      'safeguarding',
    );
    expect(reported('He has an EHCP')).toEqual(['special_category']);
  });
  it('gives sub-categories as names', () => {
    const names = detect('referral to MASH made today, he has an EHCP', { now: NOW }).map(
      (d) => d.name,
    );
    expect(names).toEqual(['child_protection', 'sen']);
  });
  it('stays quiet on footers, letters to all parents and newsletters', () => {
    const benign = [
      'We are committed to safeguarding and promoting the welfare of children.',
      'Please tell us about any medical conditions, allergies or medication your child needs on the trip.',
      'If your child is eligible for help, apply for free school meals on the council website.',
      'Our SEN information report and SEND policy are on the website.',
      'Inhalers and EpiPens must be handed to the trip leader. Please ensure his or her medication is labelled.',
      'Year 9 RE: this term we study religion and ethics.',
      'Meeting with the SENCo about the new timetable on Monday.',
    ];
    for (const text of benign) expect(reported(text), text).toEqual([]);
  });
  it('matches acronyms only in capitals', () => {
    expect(reported('a quick pep talk before the match, he played well')).toEqual([]);
    expect(reported('he is LAC and his social worker will attend')).toContain('safeguarding');
  });
});

describe('vocabulary details', () => {
  it("counts bare EHCP only when it is someone's", () => {
    expect(
      reported('Reminder: EHCP annual reviews are statutory; book them via the SENCo.'),
    ).toEqual([]);
    // Her plan, and her access arrangement (a scribe): two findings about her.
    expect(reported('Her EHC plan says she should have a scribe.')).toEqual([
      'special_category',
      'special_category',
    ]);
  });
  it('treats a file named after a sensitive topic as a document of that kind', () => {
    const named = (documentName: boolean) =>
      detect('EHC plan draft v2.pdf', { now: NOW, documentName }).map((d) => d.confidence);
    expect(named(false)).toEqual(['low']);
    expect(named(true)).toEqual(['medium']);
    // In running text, a named child's plan is about that child.
    expect(
      detect('Ellie Thompson EHC plan draft attached', { now: NOW }).map((d) => d.confidence),
    ).toEqual(['medium']);
  });
  it('prefers the statement over the context word at the same place', () => {
    const d = detect('the Year 11 medical register is attached', { now: NOW });
    expect(d.map((x) => [x.preview, x.confidence])).toEqual([['medical register', 'medium']]);
  });
  it("downgrades terms that name the school's process", () => {
    expect(
      reported('Mr Price will run child protection training; he will also cover CPOMS.'),
    ).toEqual([]);
  });
  it('finds a login given as user / password', () => {
    expect(reported('Login for the SIMS test account: admin / Welcome2024!')).toEqual([
      'credential',
    ]);
    expect(reported('Login: see the staff handbook / page 4')).toEqual([]);
  });
});

describe('benign look-alikes never reach the default threshold', () => {
  const benign = [
    'Call the office on 0113 496 0123 or text 07700 900123.',
    'Mobile: +44 7700 900123, landline 020 7946 0958.',
    'Freephone 0800 123456 or 0800123456.',
    'Invoice INV-2025-004512, order number 4567891234, PO 88123456.',
    'Amazon order 205-1234567-1234567 delivered.',
    'Period 1 08:50-09:50, Period 2 09:50-10:50, Period 3 11:10-12:10 in Room B12 and S104.',
    'ISBN 978-0-14-103614-4, ISBN-10 1408855658, ISBN 9780141036144.',
    'Our postcode is LS1 4AP; deliveries to SW1A 1AA.',
    'Royal Mail tracking AB123456789GB, DPD 15501234567890, parcel 1Z999AA10123456784.',
    'Version 2.10.3 of the app, build 20250314, release 10.0.19045.',
    'Exam dates: 12-05-25 and 13-05-25. Candidate number 4021, centre 12345.',
    'Minutes of the meeting held 14/03/2025 at 6pm; next meeting 16.05.2025.',
    'The school was born in 1998 out of a merger.',
    'Pupil numbers on roll: 1,204. Budget £1,234,567.89.',
    'Ref: 4111-2222 / table 13-19 / score 86 04 44',
    'Contact 01632 960 001, fax 01632 960 002.',
    'Bus route 123456789 timetable from stop 12-34-56.',
  ];
  for (const text of benign) {
    it(text, () => {
      expect(reported(text)).toEqual([]);
    });
  }
});

describe('mask', () => {
  it('keeps separators and the requested ends', () => {
    expect(mask('AB 12 34 56 C', 2, 1)).toBe('AB •• •• •• C');
    expect(mask('4111-1111-1111-1111', 0, 4)).toBe('••••-••••-••••-1111');
  });
});
