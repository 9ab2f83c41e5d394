/**
 * Check digits and structural rules of the identifiers a school handles. A checksum is what turns
 * "13 characters that look like a pupil number" into "almost certainly a pupil number": without it,
 * every invoice, order and phone number would raise a warning, and staff would learn to click
 * "send anyway". Sources: DfE UPN standard v2.0, HMRC NIM39110, the NHS number check-digit rule,
 * ISO/IEC 7812 (Luhn), DVLA licence layout. See `../shared/reference/dlp.md`.
 *
 * Every function takes the identifier with separators already removed and upper-cased, unless it
 * says otherwise, and returns a plain boolean or value: no regexes over free text here.
 */

// Each shape test is one module-level expression (h34-alloc): a regular-expression literal in a
// function body makes a new RegExp object (~56 bytes) every time the line runs, once per candidate
// identifier of a scan. The same patterns, so the same answers; none is global or sticky, so
// sharing them keeps no state between calls.
const UPN_BODY = /^\d{11}[0-9A-HJ-NP-RT-Z]$/;
const TWO_CAPITALS = /^[A-Z]{2}$/;
const NINO_SHAPE = /^[A-Z]{2}\d{6}[A-D]$/;
const NINE_DIGITS = /^\d{9}$/;
const TEN_DIGITS = /^\d{10}$/;
const ALL_DIGITS = /^\d+$/;
const CARD_DIGITS = /^\d{12,19}$/;
const LICENCE_SHAPE = /^([A-Z9]{5})(\d)(\d{2})(\d{2})(\d)([A-Z9]{2})(\d)([A-Z0-9]{2})$/;
const LICENCE_SURNAME = /^[A-Z]+9*$/;
const LICENCE_INITIALS = /^[A-Z]9?$|^[A-Z]{2}$/;
const ULN_SHAPE = /^[1-9]\d{9}$/;
const UCI_BODY = /^\d{5}[0-9B]\d{6}$/;

/** UPN letters: A–Z without I, O and S, valued 0–22 in this order. */
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

function upnLetterValue(ch: string): number {
  return UPN_LETTERS.indexOf(ch);
}

/**
 * The check letter of a UPN from its last 12 characters (LA code, establishment, year, serial).
 * Each character at position p (2…13) is multiplied by p; a letter in position 13 (temporary UPN)
 * counts by its table value. Sum mod 23, mapped back through the letter table.
 * Returns null when the 12 characters are not a well-formed UPN body.
 */
export function upnCheckLetter(body: string): string | null {
  if (!UPN_BODY.test(body)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const ch = body[i]!;
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : upnLetterValue(ch);
    sum += value * (i + 2);
  }
  return UPN_LETTERS[sum % 23]!;
}

/** A full 13-character UPN (check letter first) whose check letter is right. */
export function isValidUpn(upn: string): boolean {
  if (upn.length !== 13) return false;
  const expected = upnCheckLetter(upn.slice(1));
  return expected !== null && expected === upn[0];
}

/** NINO letters never used in either position of the prefix (HMRC NIM39110). */
const NINO_NEVER = 'DFIQUV';
/** Prefixes HMRC has never issued (and ZZ, the administrative placeholder). */
const NINO_UNISSUED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** Whether a two-letter prefix could be on a real National Insurance number. */
export function isValidNinoPrefix(prefix: string): boolean {
  if (!TWO_CAPITALS.test(prefix)) return false;
  const [first, second] = [prefix[0]!, prefix[1]!];
  if (NINO_NEVER.includes(first) || NINO_NEVER.includes(second)) return false;
  if (second === 'O') return false;
  return !NINO_UNISSUED.has(prefix);
}

/** `AB123456C`: valid prefix, six digits, suffix A–D. QQ123456C (HMRC's example) is invalid. */
export function isValidNino(nino: string): boolean {
  if (!NINO_SHAPE.test(nino)) return false;
  return isValidNinoPrefix(nino.slice(0, 2));
}

/**
 * The NHS number check digit from the first nine digits: weights 10…2, 11 − (sum mod 11), 11 → 0;
 * 10 means no valid number can start with these nine digits (returns null).
 */
export function nhsCheckDigit(first9: string): number | null {
  if (!NINE_DIGITS.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (first9.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function isValidNhsNumber(digits: string): boolean {
  if (!TEN_DIGITS.test(digits)) return false;
  const check = nhsCheckDigit(digits.slice(0, 9));
  return check !== null && check === digits.charCodeAt(9) - 48;
}

/** Luhn (mod 10) over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!ALL_DIGITS.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export type CardBrand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'maestro'
  | 'discover'
  | 'jcb'
  | 'diners'
  | 'unionpay';

/**
 * The card scheme from the issuer prefix and length (ISO/IEC 7812 IIN ranges as published by the
 * schemes). Numbers with no known prefix are not treated as cards: a Luhn-valid 16-digit order or
 * tracking number is one in ten, a known prefix as well is much rarer.
 */
export function cardBrand(digits: string): CardBrand | null {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (n === 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))) return 'mastercard';
  if (n === 15 && (p2 === 34 || p2 === 37)) return 'amex';
  if (
    n >= 16 &&
    (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925))
  ) {
    return 'discover';
  }
  if (n >= 16 && n <= 19 && p4 >= 3528 && p4 <= 3589) return 'jcb';
  if (n >= 14 && n <= 19 && (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305))) {
    return 'diners';
  }
  if (n >= 16 && n <= 19 && p2 === 62) return 'unionpay';
  if (n >= 12 && n <= 19 && (p2 === 50 || (p2 >= 56 && p2 <= 69) || p4 === 6759)) return 'maestro';
  return null;
}

/** A payment card number: known brand for its length, and Luhn-valid. */
export function isValidCardNumber(digits: string): boolean {
  return CARD_DIGITS.test(digits) && cardBrand(digits) !== null && luhnValid(digits);
}

/**
 * A GB driving licence number (16 characters): surname (5, padded with 9), decade digit, month
 * (+50 for women), day, year digit, two initials (padded with 9), an arbitrary digit, two check
 * characters. The DVLA does not publish the check characters' algorithm, so this checks structure
 * only: letters-then-9s in the name parts and a real month and day.
 */
export function isPlausibleDrivingLicence(licence: string): boolean {
  const m = LICENCE_SHAPE.exec(licence);
  if (!m) return false;
  const [, surname, , monthStr, dayStr, , initials] = m;
  // Padding 9s only follow letters, and the surname starts with a letter.
  if (!LICENCE_SURNAME.test(surname!)) return false;
  if (!LICENCE_INITIALS.test(initials!)) return false;
  let month = Number(monthStr);
  if (month > 50) month -= 50;
  const day = Number(dayStr);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * Unique Learner Number (ESFA Learning Records Service): 10 digits; weights 10…2 on the first
 * nine, remainder = sum mod 11; remainder 0 never issues a number, otherwise the check digit is
 * 10 − remainder. (As the ESFA's own ILR validation service computes it, DerivedData_01.)
 * Returns null when no valid ULN can start with these nine digits.
 */
export function ulnCheckDigit(first9: string): number | null {
  if (!NINE_DIGITS.test(first9)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (first9.charCodeAt(i) - 48) * (10 - i);
  const remainder = sum % 11;
  return remainder === 0 ? null : 10 - remainder;
}

/** A 10-digit ULN whose check digit is right. 9999999999 is the LRS's temporary placeholder. */
export function isValidUln(digits: string): boolean {
  if (!ULN_SHAPE.test(digits) || digits === '9999999999') return false;
  return ulnCheckDigit(digits.slice(0, 9)) === digits.charCodeAt(9) - 48;
}

/**
 * Unique Candidate Identifier (JCQ, for exam entries): 12 characters (centre number 5, board
 * identifier 1 (0, or B for an international centre), year 2, candidate number 4) then a check
 * letter. Not the UPN's rule: weights 16…5 on the 12 characters, sum mod 17, and the remainder
 * indexes this table. WJEC's published worked example ("68199 0 01 2058 G": sum 550, remainder 6,
 * G) confirms the weights, the modulus and the table up to G.
 */
const UCI_CHECK_LETTERS = 'ABCDEFGHKLMRTVWXY';

export function uciCheckLetter(body: string): string | null {
  if (!UCI_BODY.test(body)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    // An international centre's "B" counts as 0 in the sum (no digit value).
    const ch = body.charCodeAt(i);
    sum += (ch >= 48 && ch <= 57 ? ch - 48 : 0) * (16 - i);
  }
  return UCI_CHECK_LETTERS[sum % 17]!;
}

export function isValidUci(uci: string): boolean {
  if (uci.length !== 13) return false;
  const expected = uciCheckLetter(uci.slice(0, 12));
  return expected !== null && expected === uci[12];
}

/**
 * Scottish Community Health Index number: 10 digits, the first six the date of birth (DDMMYY),
 * then two digits, a digit that is odd for men and even for women, and a check digit computed
 * exactly like the NHS number's (weights 10…2, 11 − (sum mod 11), 11 → 0, 10 never issued).
 */
export function isValidChi(digits: string): boolean {
  if (!TEN_DIGITS.test(digits)) return false;
  const dd = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  if (mm < 1 || mm > 12 || dd < 1 || dd > daysInMonth(mm)) return false;
  return isValidNhsNumber(digits);
}

/** Days in a month, allowing 29 February (the two-digit year cannot say whether it was a leap year). */
function daysInMonth(month: number): number {
  return [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
