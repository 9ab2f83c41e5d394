import { describe, expect, it } from 'vitest';
import {
  cardBrand,
  isPlausibleDrivingLicence,
  isValidCardNumber,
  isValidNhsNumber,
  isValidNino,
  isValidNinoPrefix,
  isValidUpn,
  luhnValid,
  nhsCheckDigit,
  upnCheckLetter,
} from '../../../lib/dlp/checksums.ts';

describe('UPN check letter', () => {
  it('accepts the DfE example B801200005001', () => {
    expect(upnCheckLetter('801200005001')).toBe('B');
    expect(isValidUpn('B801200005001')).toBe(true);
  });
  it('computes P (not the misprinted Q) for 207000016049: the sum is 266', () => {
    expect(upnCheckLetter('207000016049')).toBe('P');
    expect(isValidUpn('P207000016049')).toBe(true);
    expect(isValidUpn('Q207000016049')).toBe(false);
  });
  it('rejects every wrong check letter', () => {
    for (const letter of 'ACDEFGHJKLMNPQRTUVWXYZ') {
      expect(isValidUpn(`${letter}801200005001`)).toBe(false);
    }
  });
  it('weights a temporary UPN letter in position 13 by its table value', () => {
    // 80120000500 + 'A' (0): sum = 16+4+10+50 = 80, 80 mod 23 = 11 → M.
    expect(upnCheckLetter('80120000500A')).toBe('M');
    expect(isValidUpn('M80120000500A')).toBe(true);
    // 'B' (1) at position 13 adds 13: 93 → B.
    expect(upnCheckLetter('80120000500B')).toBe('B');
  });
  it('rejects malformed bodies and letters I, O, S', () => {
    expect(upnCheckLetter('80120000500I')).toBeNull();
    expect(upnCheckLetter('8012000050')).toBeNull();
    expect(isValidUpn('I801200005001')).toBe(false);
    expect(isValidUpn('B80120000500')).toBe(false);
  });
});

describe('National Insurance number', () => {
  it('accepts well-formed numbers with allowed prefixes', () => {
    expect(isValidNino('AB123456C')).toBe(true);
    expect(isValidNino('JG103759A')).toBe(true);
    expect(isValidNino('ZX123456D')).toBe(true);
  });
  it('rejects HMRC placeholder QQ123456C', () => {
    expect(isValidNino('QQ123456C')).toBe(false);
  });
  it('rejects D, F, I, Q, U, V in either letter and O as second letter', () => {
    for (const bad of 'DFIQUV') {
      expect(isValidNinoPrefix(`${bad}A`)).toBe(false);
      expect(isValidNinoPrefix(`A${bad}`)).toBe(false);
    }
    expect(isValidNinoPrefix('AO')).toBe(false);
    expect(isValidNinoPrefix('OA')).toBe(true);
  });
  it('rejects the never-issued prefixes', () => {
    for (const p of ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']) {
      expect(isValidNino(`${p}123456A`)).toBe(false);
    }
  });
  it('rejects suffixes other than A–D and wrong lengths', () => {
    expect(isValidNino('AB123456E')).toBe(false);
    expect(isValidNino('AB12345C')).toBe(false);
  });
});

describe('NHS number', () => {
  it('accepts 943 476 5870 and rejects 943 476 5871', () => {
    expect(isValidNhsNumber('9434765870')).toBe(true);
    expect(isValidNhsNumber('9434765871')).toBe(false);
  });
  it('maps a remainder of 11 to 0 and treats 10 as impossible', () => {
    // 401023213: sum = 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92, 92 mod 11 = 4, 11-4 = 7.
    expect(nhsCheckDigit('401023213')).toBe(7);
    expect(isValidNhsNumber('4010232137')).toBe(true);
    // Find a prefix whose check would be 10: no digit completes it.
    let impossible: string | null = null;
    for (let n = 400000000; n < 400000100 && !impossible; n++) {
      if (nhsCheckDigit(String(n)) === null) impossible = String(n);
    }
    expect(impossible).not.toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`${impossible}${d}`)).toBe(false);
  });
});

describe('payment cards', () => {
  it('runs Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
  it('knows brand prefixes and lengths', () => {
    expect(cardBrand('4111111111111111')).toBe('visa');
    expect(cardBrand('5555555555554444')).toBe('mastercard');
    expect(cardBrand('2221000000000009')).toBe('mastercard');
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('6011111111111117')).toBe('discover');
    expect(cardBrand('3530111333300000')).toBe('jcb');
    expect(cardBrand('9780141036144')).toBeNull(); // ISBN-13
  });
  it('needs both a brand and Luhn', () => {
    expect(isValidCardNumber('5555555555554444')).toBe(true);
    expect(isValidCardNumber('5555555555554443')).toBe(false);
    // Luhn-valid but no scheme starts with 1.
    expect(luhnValid('1234567812345670')).toBe(true);
    expect(isValidCardNumber('1234567812345670')).toBe(false);
  });
});

describe('driving licence', () => {
  it('accepts the DVLA layout with a real date, men and women', () => {
    expect(isPlausibleDrivingLicence('MORGA753116SM9IJ')).toBe(true);
    expect(isPlausibleDrivingLicence('JONES810044AB1CD')).toBe(true); // 4 October 1984
    expect(isPlausibleDrivingLicence('JONES860044AB1CD')).toBe(true); // month 60: October, female
    expect(isPlausibleDrivingLicence('JONES865044AB1CD')).toBe(false); // month 65 - 50 = 15
    expect(isPlausibleDrivingLicence('LI999802256A99AB')).toBe(true); // short surname, one initial
    expect(isPlausibleDrivingLicence('LI9998022569A9AB')).toBe(false); // padding before an initial
  });
  it('rejects impossible months and days, and padding before letters', () => {
    expect(isPlausibleDrivingLicence('MORGA713116SM9IJ')).toBe(false); // month 13
    expect(isPlausibleDrivingLicence('MORGA750016SM9IJ')).toBe(false); // day 00
    expect(isPlausibleDrivingLicence('9ORGA753116SM9IJ')).toBe(false);
    expect(isPlausibleDrivingLicence('MO9GA753116SM9IJ')).toBe(false);
  });
});
