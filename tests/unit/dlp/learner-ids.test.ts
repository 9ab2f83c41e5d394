import { describe, expect, it } from 'vitest';
import {
  isValidChi,
  isValidNhsNumber,
  isValidUci,
  isValidUln,
  uciCheckLetter,
  ulnCheckDigit,
} from '../../../lib/dlp/checksums.ts';
import { detect } from '../../../lib/dlp/detectors.ts';

const NOW = new Date('2025-09-01T12:00:00Z');
const types = (text: string) =>
  detect(text, { now: NOW })
    .filter((d) => d.confidence !== 'low')
    .map((d) => `${d.type}:${d.confidence}`);

describe('ULN check digit (ESFA: weights 10…2, 10 − (sum mod 11), remainder 0 never issued)', () => {
  it('computes and accepts valid ULNs', () => {
    // 1×10+2×9+3×8+4×7+5×6+6×5+7×4+8×3+9×2 = 210; 210 mod 11 = 1; check 9.
    expect(ulnCheckDigit('123456789')).toBe(9);
    expect(isValidUln('1234567899')).toBe(true);
    // 1×10 = 10; 10 mod 11 = 10; check 0.
    expect(isValidUln('1000000000')).toBe(true);
    expect(isValidUln('5234087165')).toBe(true);
  });
  it('rejects every other final digit', () => {
    for (let d = 0; d <= 9; d++) {
      if (d !== 9) expect(isValidUln(`123456789${d}`)).toBe(false);
    }
  });
  it('rejects nine digits whose remainder is 0, a leading zero and the temporary 9999999999', () => {
    // 2×10 + 1×2 = 22, a multiple of 11: no check digit can follow.
    expect(ulnCheckDigit('200000001')).toBeNull();
    for (let d = 0; d <= 9; d++) expect(isValidUln(`200000001${d}`)).toBe(false);
    expect(isValidUln('0123456789')).toBe(false);
    expect(isValidUln('9999999999')).toBe(false);
    expect(isValidUln('12345')).toBe(false);
  });
});

describe('UCI check letter (JCQ: weights 16…5, sum mod 17, letter table)', () => {
  it("matches WJEC's worked example 68199 0 01 2058 G", () => {
    expect(uciCheckLetter('681990012058')).toBe('G');
    expect(isValidUci('681990012058G')).toBe(true);
  });
  it('rejects every other letter and malformed bodies', () => {
    for (const letter of 'ABCDEFHKLMRTVWXY')
      expect(isValidUci(`681990012058${letter}`)).toBe(false);
    expect(uciCheckLetter('68199001205')).toBeNull();
    expect(uciCheckLetter('68199X012058')).toBeNull();
  });
});

describe('Scottish CHI number (DDMMYY + 4 digits, NHS-style mod 11)', () => {
  it('accepts a date-shaped number with the right check digit', () => {
    expect(isValidChi('1205141235')).toBe(true);
    expect(isValidNhsNumber('1205141235')).toBe(true);
  });
  it('rejects a wrong check digit and impossible dates', () => {
    expect(isValidChi('1205141236')).toBe(false);
    // 32nd day, 13th month: valid NHS-style check digits but no date of birth.
    for (const first9 of ['320514123', '121314123', '310414123']) {
      for (let d = 0; d <= 9; d++) expect(isValidChi(`${first9}${d}`)).toBe(false);
    }
  });
});

describe('learner and health identifiers in text', () => {
  it('reports a ULN only beside learner words', () => {
    expect(types("Jamie's ULN is 1234567899.")).toEqual(['uln:high']);
    expect(types('Learner record number 1234567899')).toEqual(['uln:medium']);
    expect(types('Order 1234567899 dispatched')).toEqual([]);
    expect(types("Jamie's ULN is 1234567898.")).toEqual([]);
  });
  it('reports a UCI, high with its name, low without exam words', () => {
    expect(types('Her UCI is 681990012058G')).toEqual(['uci:high']);
    expect(types('Candidate 68199 0 01 2058 G transferring')).toEqual(['uci:medium']);
    expect(types('ref 681990012058G')).toEqual([]);
    expect(types('Her UCI is 681990012058H')).toEqual([]);
  });
  it('reports a CHI number beside "CHI", not as an NHS number', () => {
    expect(types('CHI number 1205141235 for Olivia')).toEqual(['chi_number:high']);
    expect(types('CHI number 1205141236')).toEqual([]);
  });
});
