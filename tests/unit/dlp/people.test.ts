import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';
import { isGivenName } from '../../../lib/dlp/names.ts';
import { nameMentions } from '../../../lib/dlp/people.ts';

const NOW = new Date('2025-09-01T12:00:00Z');
const found = (text: string, type: string) =>
  detect(text, { now: NOW }).filter((d) => d.type === type && d.confidence !== 'low');

describe('lists and tables of people', () => {
  it('finds names with dates of birth, one per line, and reads the dates as birth dates', () => {
    const text =
      'Children on the trip:\n\nElla Thompson 03/05/2014\nJacob Ward 17/11/2013\nSienna Patel 22/01/2014\n\nThanks';
    expect(found(text, 'people_list')).toHaveLength(1);
    expect(found(text, 'date_of_birth')).toHaveLength(3);
  });
  it('finds a tab-separated table pasted from the MIS by its heading row', () => {
    const text =
      'Name\tKS2\tTarget\tSEN\nCharlie Evans\t98\t5\tK\nAmelia Roberts\t104\t6\t\nJayden Clarke\t92\t4\tE';
    const [list] = found(text, 'people_list');
    expect(list?.confidence).toBe('high');
    expect(list?.preview).toBe('3 people');
  });
  it('finds "Surname, Forename, DOB" rows and addresses with postcodes', () => {
    expect(
      found(
        'Surname, First name, Date of birth\nCole, Maisie, 12.02.2015\nIqbal, Zain, 30.04.2015\nBarnes, Lucy, 01.11.2014',
        'people_list',
      ),
    ).toHaveLength(1);
    expect(
      found(
        'Mia Kelly, 3 Ashfield Road, Leeds LS12 4PT\nReuben Shaw, 27 Elm Grove, Pudsey LS28 7BH\nFreya Dunn, 8 Moorside Close, Bramley LS13 2JE',
        'people_list',
      ),
    ).toHaveLength(1);
  });
  it('finds three named pupils in a sentence that says why they are listed', () => {
    expect(
      found(
        'The checker confirmed Ellie Dunn, Aaron Fox and Priya Nair are now eligible for FSM.',
        'people_list',
      ),
    ).toHaveLength(1);
  });
  it('leaves alone lists with nothing personal: a team sheet, appointment times, a cover rota', () => {
    expect(found('Team: Oscar, Harry, Leo, Jayden, Reuben, Kacper', 'people_list')).toEqual([]);
    expect(
      found(
        '4.00 Ellie Hughes\n4.10 Jacob Ward\n4.20 Sienna Patel\n4.30 Harry Smith',
        'people_list',
      ),
    ).toEqual([]);
    expect(
      found(
        'Period 1: Mr Bell for Mrs Lee, Room 12\nPeriod 2: Ms Grant for Mr Dean, Room S4\nPeriod 3: Mrs Harper for Ms Shah, Library',
        'people_list',
      ),
    ).toEqual([]);
    // Two people with dates are not a list.
    expect(found('Ella Thompson 03/05/2014\nJacob Ward 17/11/2013', 'people_list')).toEqual([]);
  });
});

describe('home addresses', () => {
  it("finds a person's address with a postcode", () => {
    expect(
      found(
        'The address is 42 Birch Avenue, Sheffield S11 9AB. Mum works nights.',
        'postal_address',
      ),
    ).toHaveLength(1);
    expect(
      found('Connor Walsh lives at\n42 Birch Avenue\nSheffield\nS11 9AB', 'postal_address'),
    ).toHaveLength(1);
  });
  it("leaves alone the school's or a supplier's address and a bare postcode", () => {
    expect(found('Send to Oakfield Academy, Oak Lane, Leeds LS6 2QT', 'postal_address')).toEqual(
      [],
    );
    expect(
      found('The coach leaves from the car park, 1 Hill Street, York YO24 1DX', 'postal_address'),
    ).toEqual([]);
    expect(found('Deliveries to LS6 2QT only', 'postal_address')).toEqual([]);
  });
  it('rejects postcodes Royal Mail never issues (inward letters C, I, K, M, O, V)', () => {
    expect(found('Home address: 4 Elm Road, Leeds LS6 2QC', 'postal_address')).toEqual([]);
  });
});

describe('names in running text', () => {
  it('knows common given names, including hyphenated ones', () => {
    expect(isGivenName('Jayden')).toBe(true);
    expect(isGivenName('Lily-Mae')).toBe(true);
    expect(isGivenName('Will')).toBe(false);
    expect(isGivenName('Tuesday')).toBe(false);
  });
  it('skips greetings and sign-offs', () => {
    const text = 'Hi Karen,\n\nJayden stayed behind and said his mum was ill.\n\nThanks\nTom';
    const names = nameMentions(text).map((n) => text.slice(n.start, n.end));
    expect(names).toEqual(['Jayden']);
  });
});

describe('lists in running text (issue 13, everyday words)', () => {
  it('reads a sentence with two commas and "pupil premium" as prose, not a heading row', () => {
    const text =
      'The pupils on pupil premium in your class are Oscar Hill, Leah Bond, Tyrese James and Amelia Price.';
    expect(found(text, 'people_list')).toHaveLength(1);
  });
  it('finds names one per line under a line saying why they are listed', () => {
    const text =
      'The new FSM children from Monday are:\nHarley Price (2P)\nLogan Fox (5B)\nEsme Ward (1K)\n';
    expect(found(text, 'people_list')).toHaveLength(1);
    // The same names under a line that gives no reason: a register, not a list about them.
    expect(
      found('Team for Saturday:\nHarley Price\nLogan Fox\nEsme Ward\n', 'people_list'),
    ).toEqual([]);
  });
});
