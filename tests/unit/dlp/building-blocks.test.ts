/**
 * Issue 13, "coverage by taxonomy, not by example" (h4-recall4): each miss of set 5 and of dev-6's
 * blind batches lacked one building block (whose body or clothes, a verb's irregular forms, the
 * passive or first person, an adult's age, a record introduced by a colon line…). Each block is
 * tested here with sentences that are in no labelled set, beside ordinary mail that uses the same
 * words and must stay quiet.
 */
import { describe, expect, it } from 'vitest';
import { detect } from '../../../lib/dlp/detectors.ts';
import { findPeopleLists } from '../../../lib/dlp/people.ts';
import { inflect } from '../../../lib/dlp/vocabulary.ts';

const NOW = new Date('2025-09-01T12:00:00Z');

/** Whether the text would warn (a finding at medium or above). */
const warns = (text: string): boolean =>
  detect(text, { now: NOW }).some((d) => d.confidence !== 'low');

describe('a building block the vocabulary lacked now reads the concern', () => {
  const concerns: [string, string][] = [
    // Whose: a name in the possessive where a pronoun was expected.
    [
      'child-on-child: a name owns the clothes',
      "A Year 9 boy yanked Maddie's leggings down at break.",
    ],
    ['child-on-child: a hand in clothes', "He slid his hand inside Kerry's top on the minibus."],
    [
      'child-on-child: a hand on a thigh',
      'On the coach he kept his hand on her thigh the whole way.',
    ],
    ['child-on-child: into a bed, by name', "Two boys got into Nadia's bed after lights out."],
    [
      'child-on-child: followed into the changing room',
      'Kai followed her into the girls changing room and would not leave.',
    ],
    // Irregular verbs: "got" and "came" were never read.
    [
      'sexual: "came into her bedroom"',
      'Her stepbrother came into her bedroom when she was asleep.',
    ],
    // Passive, first person, conditional.
    ['emotional: the passive threat', "Dad says she'll be sent back home to live with her gran."],
    ['emotional: the first person', 'He kept saying "I don\'t want to go home tonight".'],
    ['emotional: worthless', 'Her mum says she is a burden and she should never have been born.'],
    ["physical: a beating in a child's words", "He said he'll get a hiding when he gets home."],
    ['physical: a head driven into something', 'His uncle banged his head against the door.'],
    // Online sexual harm in everyday words.
    ['online: asked for "less on"', 'A lad on TikTok wants pictures of her with nothing on.'],
    ['online: a name stands for "her"', 'There is a photo of Jodie in her bra on a group chat.'],
    ['online: an adult messaging at night', 'Mr Dale has been messaging pupils late at night.'],
    // Prevent's signs as pupils voice them.
    ['radicalisation: praise for a leader', 'He said the Nazis had the right idea about it.'],
    ['radicalisation: a group "too many"', 'She keeps saying there are too many immigrants here.'],
    ['radicalisation: a group should be harmed', 'He wrote that mosques should be burned down.'],
    // CSE and CCE signs.
    ["cse: an adult's age", "Her new friend, who's 26, buys her vodka at weekends."],
    ['cce: being used', 'We think he is being used to carry bags for older boys.'],
    [
      'county lines: scare quotes',
      "He's been 'grafting' in Leeds and has a phone with one number.",
    ],
    // Social-care process.
    ['social care: step-down', 'The case has been stepped down to early help for the Lees.'],
    ['social care: not to collect', 'Dad is not to collect Priya; mum has a non-mol.'],
    // Special categories.
    ['pregnancy: a euphemism', "Ms Kerr is expecting and she's 14 weeks, so no lifting."],
    ['health: diabetes by its care', 'Remember to check her levels before PE; she has type 1.'],
    ['sexual orientation: kept from home', 'His dad would kick him out if he found out.'],
    ['trade union: joining', 'Mrs Doyle joined NASUWT last month.'],
    ['trade union: membership', 'Both of them are NEU and will strike on Thursday.'],
    // Staff HR.
    [
      'staff: suspended in plain words',
      'We have asked him not to come in while the complaint is looked into.',
    ],
    ['staff: conduct toward a class', 'Mr Fenn was heard swearing at the Year 10s again.'],
    ['staff: left mid-process', 'She resigned during the capability process last year.'],
    [
      'staff: probation extended',
      "Mr Odell's probation will be extended; parents complained about how he speaks to the children.",
    ],
    [
      'religion: a change of faith',
      'Mrs Ali says the family have converted and Sami needs halal meals.',
    ],
    [
      'forced marriage: the man she is to marry',
      "She's flying out in July to meet the man she's going to marry.",
    ],
    ['radicalisation: a slogan', "He stuck 'it's okay to be white' stickers on the lockers."],
    [
      'hardship: a parent named as Mum in a sentence with "a week"',
      'Mum is on ESA and has £30 a week after bills.',
    ],
    [
      'cse: going missing, a hotel room',
      'Jade keeps going missing at weekends; her mum found a hotel key card.',
    ],
    ['physical: hair pulled out', 'There is a patch of hair missing where her dad pulled it out.'],
    ['neglect: care withheld', "His mum won't let him have a bath and he sleeps in wet sheets."],
    [
      'cce: a debt and a threat',
      "They'll batter his little brother if he doesn't pay what he owes.",
    ],
    [
      'staff: malpractice',
      'Ms Todd falsified her Year 10 coursework marks; the hearing is next week.',
    ],
    [
      'religion: a pilgrimage',
      'The Rahmans will be away for Umrah; Zara asked us not to tell the class.',
    ],
    ['sexual: the hand as subject', "She said her stepdad's hand goes down her pants at bathtime."],
    ['child-on-child: between the legs', 'He touched Mia between her legs under the desk.'],
    ['pregnancy: a loss', 'Mrs Shah lost the baby last week; please be kind.'],
    [
      'a secret from home, out of fear',
      'Dan is terrified his mum will find out about the messages.',
    ],
    ['ethnicity said of a family', "The Wards have said they're Irish Travellers and may move on."],
    ['staff: redundancy, named', 'Sarah and Imran are at risk of redundancy in the new structure.'],
    [
      'a list of debts',
      'Unpaid trip balances:\nOlivia Shaw £40\nHarry Dean £25\nAmelia Cross £60\n',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
});

describe('ordinary mail using the same words stays quiet', () => {
  const ordinary: [string, string][] = [
    ['maternity cover (public news)', "Miss Hart's maternity cover will be Mr Cole from June."],
    [
      'a pregnancy topic in science',
      'Year 9 science covers fertilisation, pregnancy and contraception.',
    ],
    ['a strike letter to families', 'Dear parents, on 5 March some staff will be on strike.'],
    ['a union meeting notice', 'The union meeting on Wednesday is in room M4.'],
    [
      'guidance: "if a child tells you"',
      "If a child tells you something, don't promise to keep it a secret.",
    ],
    [
      "a governors' report",
      "The annual report on looked-after children is on the governors' agenda.",
    ],
    ['snacks are a class rule', 'Reminder: pupils are not allowed snacks in lessons.'],
    ['picked up by family', "Toby's dad rang: Toby will be picked up by his grandma today."],
    ['role play', 'Ruby and Leo played a tickling game with the puppets today.'],
    ['posts, not people, at risk', 'The proposals put three posts at risk of redundancy.'],
    [
      'a celebration is not a record',
      '100% attendance - well done to:\nOlivia Shaw\nHarry Dean\nAmelia Cross\nJack Lowe\n',
    ],
    ['a pilgrimage in RE', 'Year 9 RE will study pilgrimage: Hajj, Umrah and Lourdes.'],
    ['merits are not a record', 'Merit winners:\nOlivia Shaw 12\nHarry Dean 10\nAmelia Cross 9\n'],
    ['awareness of baby loss', 'Baby Loss Awareness Week is in October; see the wellbeing board.'],
    [
      '"the child" in a policy sentence',
      'Inhalers go with the child on every trip, as the medicines policy says.',
    ],
    ['a school party', 'The Year 6 leavers have a special party for the end of term.'],
    [
      'a 3-digit extension is not a grade',
      'Name\tRoom\tExtension\nJane Ellis\tS12\t241\nRaj Kapoor\tM4\t252\nBeth Lowe\tOffice\t200\nOwen Hughes\tIT\t233',
    ],
    [
      "the school's own bank details for families",
      'Dear parents, payment for the trip can be made by bank transfer to the school: sort code 30-96-18, account 11072554.',
    ],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
});

describe('verbs with irregular forms', () => {
  it('reads "got" and "came"', () => {
    expect(new RegExp(`^${inflect('get')}$`).test('got')).toBe(true);
    expect(new RegExp(`^${inflect('come')}$`).test('came')).toBe(true);
  });
});

describe('records of pupils as lists', () => {
  const lists = (text: string) => findPeopleLists(text, [], NOW).lists;
  it('reads names under a line introducing grades, across a blank line', () => {
    const text = 'Mock results for set 2:\n\nOlivia Shaw - 6\nHarry Dean - 4\nAmelia Cross - 5\n';
    expect(lists(text)).toHaveLength(1);
  });
  it('reads names under a line introducing lates or emergency contacts', () => {
    expect(lists('Detentions this week:\nOliver Fox 3\nGrace Hill 2\nJack Lowe 4\n')).toHaveLength(
      1,
    );
    expect(
      lists(
        'Emergency contacts:\nEmily Cox - mum 07700 900111\nJames Reid - dad 07700 900222\nLucy Hart - nan 07700 900333\n',
      ),
    ).toHaveLength(1);
  });
  it('reads a mark sheet pasted into a sentence, and not a list of names alone', () => {
    expect(lists('Grades: Oliver Shaw 6, Emily Dean 4, Jack Cross 5, Ruby Hart 7.')).toHaveLength(
      1,
    );
    expect(lists('Well done to Oliver Shaw, Emily Dean and Jack Cross on their results!')).toEqual(
      [],
    );
  });
  it('leaves a staff directory alone: numbers under "Name, Room, Extension" are not grades', () => {
    expect(
      lists(
        'Name\tRoom\tExtension\nJane Ellis\tS12\t241\nRaj Kapoor\tM4\t25\nBeth Lowe\tOffice\t2\n',
      ),
    ).toEqual([]);
  });
});

/**
 * h5-recall5: set 6's false warnings were sensitive words in general mail (a funding notice, a
 * numbers-only summary, a note for new staff, a toolkit, a safeguarding spotlight, an HR code, a
 * leaflet); its misses each lacked one block. Sentences here are in no labelled set.
 */
describe('general mail in the shapes set 6 tripped on stays quiet', () => {
  const ordinary: [string, string][] = [
    [
      'a funding rate for a group',
      'Next year the grant for looked-after children rises to £2,600 per pupil.',
    ],
    [
      'a figures-only table',
      'Exclusions by year group, numbers only:\nYear\tSEN support\tEHCP\n7\t4\t1\n8\t2\t0\n',
    ],
    [
      'guidance for new staff',
      'New staff: when a child is on a child protection plan, only the DSL shares details.',
    ],
    ['a toolkit', 'The county has issued an EHCP toolkit with a provision map template.'],
    [
      'a safeguarding spotlight',
      'Spotlight on exploitation: grooming can start online. Warning signs include unexplained gifts.',
    ],
    [
      'an HR code for line managers',
      'Line managers: under the ACAS code, the employee may bring a companion to a formal grievance meeting.',
    ],
    ['a leaflet named by its topic', 'Please print 200 copies of the county lines leaflet.'],
    [
      'an eligibility notice',
      'Families on Universal Credit can apply for help with uniform costs.',
    ],
    [
      'a generic "when a colleague tells you she…"',
      'When a colleague tells you she is pregnant, please refer her to HR for a risk assessment.',
    ],
    [
      'a school budget line',
      'The budget for looked-after children is now held by the virtual school.',
    ],
    ['transition to secondary', 'Ellie is transitioning to secondary really well.'],
    ['a new phone for a birthday', 'Ava got a new phone for her birthday and is very excited.'],
    [
      'a capability policy notice',
      'Governors approved the capability policy: informal support now lasts six weeks.',
    ],
    ['a food parcel collection', 'Please send in tins for our harvest food parcels by Friday.'],
    ['a template letter', 'Could you send me the template letter for the trip?'],
    [
      'eating alone is not always a sign',
      'Staff may eat their lunch in the hall or the staffroom.',
    ],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
});

describe('the blocks set 6 lacked now read the concern', () => {
  const concerns: [string, string][] = [
    [
      'gender identity: transitioning',
      'Jo in finance is transitioning and has asked for a new badge.',
    ],
    ['gender identity: identifies as', 'Riley, registered male, now identifies as a girl.'],
    ['gender identity: living as', 'Our caretaker is starting to live as a woman after Easter.'],
    [
      'orientation: a same-sex spouse',
      'Mr Ford has asked for his husband to be his emergency contact.',
    ],
    [
      'orientation: not out at work',
      "She isn't out at work, so please keep her partner's name private.",
    ],
    ['orientation: a complaint about it', "A parent objects to Miss Lane's same-sex relationship."],
    ['emotional: shut away', 'Her mum locks her in the bathroom when she cries.'],
    [
      'sextortion: pictures of himself, then a demand',
      'Someone got Leo to send photos of himself and is demanding £300 or they will share them.',
    ],
    ['an adult messaging a child of a stated age', 'A coach has been texting her 12-year-old son.'],
    [
      'staff sickness in days and episodes',
      'Mr Bell has had 14 days in 6 episodes since September.',
    ],
    [
      "a titled name's record",
      "Mrs Green's sickness record is attached, as per the attendance policy.",
    ],
    [
      'union membership by deduction',
      'Please start UNISON subs for Dan Hope; he joined last week.',
    ],
    ['county lines: a burner phone', 'Reece has a burner phone and cash he will not explain.'],
    ['uncollected children', 'Nobody has come for Mia and Leo and it is nearly six.'],
    [
      'radicalisation: a group "sent back"',
      "He keeps saying Muslims should all be 'sent back' and the gunman was a hero.",
    ],
    ['staff: a capability process', 'We are starting the formal capability process with Mr Barr.'],
    ['self-harm: fresh marks', 'She rolled up her sleeve and there were fresh cuts.'],
    ['hardship: a food parcel', "Mum asked for a food parcel; they're on emergency credit."],
    ['pregnancy: a scan', 'Amy needs Tuesday off for her 12-week scan.'],
    [
      'pregnancy: a midwife appointment',
      'Nadia has a midwife appointment on Monday; only her tutor knows.',
    ],
    [
      'gender identity: will be transitioning',
      'Our site manager will be transitioning over Easter.',
    ],
    ['medication: a named medicine', 'His melatonin is in the office fridge for the residential.'],
    ['emotional: shut out of family life', "She isn't allowed in the living room when he is home."],
    [
      'child-on-child: photos where pupils undress',
      "Kyle took pictures in the girls' changing rooms and shared them with Leah in.",
    ],
    [
      'a mark sheet whose first name is also a word',
      'Mock grades:\nFaith Okoro 6\nHope Dean 4\nAmelia Cross 5\nJack Lowe 7\n',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
});

/**
 * h6-recall6: the blocks set 7 (now development material) and dev-8's blind batches lacked, and
 * the general-mail shapes they warned on. Every sentence here is in no labelled set; each concern
 * sits beside ordinary mail with the same words that must stay quiet.
 */
describe('the blocks set 7 and dev-8 lacked now read the concern', () => {
  const concerns: [string, string][] = [
    ['neglect: an empty fridge', 'Tom says there is nothing in the fridge again at his dad’s.'],
    [
      'neglect: only something in the cupboards',
      'She said there was only cereal in the cupboards.',
    ],
    [
      'neglect: a nappy unchanged',
      'When I called round the toddler had a soiled nappy and he was alone.',
    ],
    ['neglect: a child who puts himself to bed', 'He puts himself to bed most nights, he told me.'],
    ['neglect: same uniform on for days', 'Ayaan has had the same uniform on for three weeks.'],
    ['neglect: extra helpings', 'He asked for four helpings at lunch and said he was starving.'],
    ['neglect: a parent in bed in the afternoon', 'When we knocked Dad was still in bed at 3pm.'],
    ['neglect: crisps for tea', 'Her little brother told me they had biscuits for tea every day.'],
    ['gender identity: a trans girl', 'Mollie is a trans girl and wants the girls’ changing room.'],
    [
      'religion: a conversion, from the faith left',
      'She converted from Hinduism last year; only her aunt knows.',
    ],
    [
      'religion: a diet kept for faith',
      'Please make sure Levi has kosher meals on the residential.',
    ],
    ['sexual: done while mum is out', 'He said his uncle does stuff to him when mum is out.'],
    ['sexual: underwear taken off', 'She said the babysitter makes her take her pants off.'],
    [
      'county lines: a cheap handset',
      'Jayden keeps getting calls on a cheap Nokia and walking out.',
    ],
    ['county lines: an injury nobody explains', 'He has a gash on his cheek and won’t say how.'],
    ['county lines: a burner and cash', 'Staff found a new burner and £400 in cash in his blazer.'],
    ['fgm: a proper lady', 'Her aunties say it will make her a proper lady in the summer.'],
    ['fgm: a big girl party', 'She is excited about her big girl party in Mali this summer.'],
    ['radicalisation: death wished', 'He told the group that people like that deserve to die.'],
    [
      'radicalisation: a group by name',
      'He has been sharing Britain First posts and he wants to join.',
    ],
    ['radicalisation: shipped back', 'She said all refugees should be shipped back on boats.'],
    [
      'hardship: income as a figure',
      'Mum says they earn less than £9,000 and get universal credit.',
    ],
    ['health: an attack', 'She had a bad asthma attack on the field and went to A&E.'],
    ['health: an operation by its name', 'Ben is off for his hernia operation until half term.'],
    ['health: prescribed to someone', 'Since Monday she has been prescribed sertraline.'],
    ['pregnancy: the risk assessment', 'Kirsty’s expectant mother risk assessment is on Friday.'],
    ['pregnancy: a colleague named by her team', 'Jess in maths is 20 weeks pregnant.'],
    [
      'a record of sets',
      'New Y10 English sets:\nMia Lowe 5\nAlfie Hart 3\nZara Moss 6\nToby Reed 4\n',
    ],
    // Open question 2: a real disclosure beside "when a child tells you" guidance.
    [
      'a disclosure told beside the guidance',
      'The training says when a child tells you something you pass it on, and today she told me her stepbrother hits her.',
    ],
    [
      'transitioning, followed by a word like "to"',
      'Our caretaker is transitioning today, officially.',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
});

describe('ordinary mail using the same words as the h6-recall6 blocks stays quiet', () => {
  const ordinary: [string, string][] = [
    ['a car park notice ("closed")', 'The staff car park will be closed on Monday for lining.'],
    ['a fridge notice', 'Please leave nothing in the staff fridge over the holidays.'],
    ['a heating notice', 'The heating will be on from 7am while the boiler is repaired.'],
    ['a medicines rule', 'We can only give medicines that have been prescribed by a doctor.'],
    [
      'a trip letter asking about asthma',
      'Please send inhalers for any child with asthma on the trip.',
    ],
    [
      // Open question 1: a named speaker at an event.
      'a named speaker at an event',
      'Carol will talk about the EHCP process at the parents’ evening on Thursday.',
    ],
    [
      'a speaker named the sentence after the event',
      'Our SEND coffee morning is on Friday. Mrs Osei will explain how annual reviews work.',
    ],
    [
      'guidance on what to do if you are worried about a child',
      'If you are worried about a child, please contact the DSL, Mrs Hart, or call the police.',
    ],
    [
      "governors' figures, anonymised",
      'Report for governors (anonymised): 12 pupils have an EHCP and 3 staff are on sick leave.',
    ],
    [
      'figures only',
      'Safeguarding summary for the autumn term, figures only: 4 children on child protection plans.',
    ],
    [
      'a statutory report on the website',
      'Our SEN information report explains how we identify dyslexia and autism.',
    ],
    [
      'a lesson on a play',
      'In Blood Brothers this week we looked at how Mrs Johnstone is pushed into giving up her baby.',
    ],
    [
      'a department, not a person',
      'Pupils in science have a test on Friday on pregnancy and birth.',
    ],
    ['a Bunsen burner', 'Year 8 used a Bunsen burner for the first time today.'],
    ['a faith meal option', 'The kitchen will offer halal and kosher options at the summer fair.'],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
  it('still warns when the speaker talks to a named pupil about her own plan', () => {
    expect(warns("At the review meeting Carol will explain Ellie's EHCP to her.")).toBe(true);
  });
  it('still warns when a pupil is named in a lesson sentence with a disclosure', () => {
    expect(warns('In the novel lesson she told me her dad hits her.')).toBe(true);
  });
});

describe('the blocks dev-8 batch 3 lacked now read the concern, and their near-misses stay quiet', () => {
  const concerns: [string, string][] = [
    ['physical: a split lip', 'Kian came in with a split lip and said his stepdad did it.'],
    ['sexual: "sex stuff"', 'She said her cousin does sex stuff to her at her nan’s.'],
    [
      'neglect: fallen asleep in lessons',
      'He has fallen asleep in lessons all week and looks grey.',
    ],
    ['neglect: up at night minding a baby', 'She is up till 1 looking after the baby most nights.'],
    ['cse: a love bite', 'Tia had love bites on her neck and a new phone she won’t explain.'],
    [
      'cse: a taxi paid for by a man',
      'She arrived in a taxi paid for by a man she calls her friend.',
    ],
    ['cce: a brand and cash', 'He is wearing Moncler and carrying £50 notes; he is 13.'],
    ['cce: friends who are adults', 'He hangs round with lads who are 19 and 20 after school.'],
    ['gender identity: registered as a girl', 'Alex was registered as a girl and now uses he/him.'],
    ['pregnancy: a certificate', 'Thanks for your MATB1, Lauren; I have let payroll know.'],
    ['hardship: left with the rent', 'Since he left she has been left with the rent on her own.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'a public congratulation',
      'Congratulations to Mrs Patel, who starts her maternity leave in May!',
    ],
    [
      'a paediatrician speaking at a workshop',
      'On Monday evening Dr Rao will speak about ADHD and medication.',
    ],
    [
      'a governors’ committee',
      "The governors' discipline committee meets on Monday to consider a suspension.",
    ],
    ['a lip balm', 'Lip balm is allowed in lessons but please no glitter.'],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h9-tune: the blocks held-out set 10 lacked (measured once in h8, development material since):
 * each with sentences of this round's own, beside ordinary mail using the same words.
 */
describe('the blocks set 10 lacked now read the concern, and their near-misses stay quiet', () => {
  const concerns: [string, string][] = [
    [
      'trade union: a union in brackets after a name',
      'Priya (NASUWT) and Tom (GMB) have said they will not be in on the strike day.',
    ],
    [
      'trade union: staff told by their union',
      'Three lunchtime supervisors in the GMB have asked for the afternoon off to join the march.',
    ],
    [
      'gender identity: transitioning in the first person',
      "Please keep this private: I'm transitioning this year and will be changing my title.",
    ],
    [
      'gender identity: a gender recognition certificate',
      'His gender recognition certificate has arrived, so payroll need to update his record.',
    ],
    [
      'sexual orientation: not out, in the first person',
      "I'd rather my wife's name stayed off the staff list - I am not out at work yet.",
    ],
    [
      'radicalisation: pupils being referred, by count',
      'After what was found on their laptops we are referring both of them to Channel.',
    ],
    [
      'exploitation: missing now, with a pronoun',
      "She's missing again, the carers last saw her getting into a car on Sunday.",
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'a reference naming no disciplinary record',
      'Owen Hart taught geography here for six years and there are no disciplinary issues on his file.',
    ],
    [
      'a reference: never subject to a capability procedure',
      'She was never subject to any capability procedure and her attendance was very good.',
    ],
    [
      'a trip balance falling due',
      "Thanks for Maya's first instalment; the remaining £120 is due in February.",
    ],
    [
      'a payment falling due, named',
      'The final payment for the ski trip is due on 1 April, Dylan, so remind your dad please.',
    ],
    [
      'who can apply for a fund',
      'Families do not need to be on benefits to apply for the winter uniform fund; ask the office.',
    ],
    [
      'a union acronym spelt out in a notice',
      'The National Education Union (NEU) has announced two further days of action this term.',
    ],
    ['a lost item gone missing', 'His water bottle is missing again, a green one with stickers.'],
    [
      'who decides on a referral, in the present',
      'Only the DSL can decide to refer them to Channel, so staff pass every worry to her first.',
    ],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
  it('still reads a due date said of a person', () => {
    expect(warns("She's 20 weeks pregnant and due in March, so she'll miss the residential.")).toBe(
      true,
    );
  });
  it('still reads a disciplinary said of a person', () => {
    expect(warns('He has a disciplinary hearing next week about the missing money.')).toBe(true);
  });
});

/**
 * h10-tune: the blocks held-out set 11 lacked (measured once in h9, development material since):
 * each with sentences of this round's own, beside ordinary mail using the same words.
 */
describe('the blocks set 11 lacked now read the concern, and their near-misses stay quiet', () => {
  const concerns: [string, string][] = [
    [
      'trade union: membership told by who pays the subs',
      'The payroll list shows which teaching assistants pay GMB subs, so please shred it.',
    ],
    [
      'gender identity: a transition planned, in the first person',
      "I'm planning to transition in the spring and would like to agree how the staff are told.",
    ],
    [
      'financial hardship: the bailiffs',
      'The bailiffs came round on Saturday and took the car, so I need to ask about the hardship fund.',
    ],
    [
      'financial hardship: an advance on pay',
      'Could I possibly have an advance on my wages? The rent is overdue again.',
    ],
    [
      'radicalisation: the Channel panel',
      'The Channel panel has accepted her case and a mentor starts next week.',
    ],
    [
      'SEND: an assessment for a named condition',
      'We think he needs an assessment for PDA as the usual rewards make no difference.',
    ],
    ['SEND: a sensory plan', 'His sensory plan needs updating after the fire drill upset him.'],
    [
      'SEND: a report said to be attached, for a pupil told by year',
      'Speech and language report attached for the Year 4 boy: expressive language at the 2nd centile.',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'full marks on a piece of work',
      'Just had to say - Keira got full marks on her physics test and she has worked so hard.',
    ],
    [
      'medicines packed for a trip, in the plural',
      'Inhalers and adrenaline pens go in the named bag on the coach, so please label them.',
    ],
    ['a class moving school', 'Year 6 transition at school starts in June with two taster days.'],
    ['a system changed over', 'We are planning to transition to the new MIS over the summer.'],
    ['union subs in a notice', 'The union subs are going up in April, says the NEU newsletter.'],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
  it('still reads marks on a child', () => {
    expect(warns('Please look at the marks on her arms before she goes home.')).toBe(true);
  });
  it('still reads one child’s adrenaline pen', () => {
    expect(warns('Her adrenaline pen is in the office after the reaction at lunch.')).toBe(true);
  });
});

/**
 * h11-tune: the blocks set 12 (measured once in h10, development material since) and dev-12 lacked,
 * each with sentences of this round's own, beside ordinary mail using the same words.
 */
describe('the blocks set 12 and dev-12 lacked now read the concern, and their near-misses stay quiet', () => {
  const concerns: [string, string][] = [
    [
      'domestic abuse: a family heard at MARAC',
      "The Y8 twins are on Thursday's MARAC after the police were called to the house again.",
    ],
    [
      'radicalisation: a relative called a traitor',
      "Dad says his mum's new partner calls her own son a race traitor for having Muslim friends.",
    ],
    [
      'radicalisation: an act hinted at, in quotes',
      'Ethan told his tutor he will "do something big" to the people who laughed at him.',
    ],
    [
      'financial hardship: the bailiffs taking things, a loan shark',
      "The bailiffs took his mum's car last week and she is paying back a loan shark.",
    ],
    [
      'exploitation: adult men',
      "She has been getting into cars with adult men after school and won't say who they are.",
    ],
    [
      'exploitation: driven off by an older man',
      'Kyle was driven away by an older man from the retail park on Saturday night.',
    ],
    [
      'gender identity: a transition begun, first person',
      "Please note I'm starting my transition in January and will come back as Mr Hale.",
    ],
    [
      'gender identity: a pronoun changed on a record',
      'Please change her record so the pronoun is now he and the first name is Leo.',
    ],
    [
      'staff HR: a sickness list with reasons in brackets',
      'Sickness this term: Mr Dean 11 days (stress), Mrs Platt 4 (migraines).',
    ],
    [
      'ethnicity: census codes as a person’s entry',
      'Mrs Osei is recorded as Black African and Mr Lund as White Other on the payroll form.',
    ],
    [
      'neglect: not fed, no power on, asleep at the desk',
      "He has not eaten since Saturday and there's no electric on at home, so he was asleep on the desk.",
    ],
    [
      'religion: named pupils on the fasting list',
      'Could Amir, Sana and Bilal go on the fasting list for Ramadan so they can skip lunch duty?',
    ],
    [
      'gender identity: a pupil told by form group, in a sentence that mentions lessons',
      'The pupil in 8K asked to go by Sam and use they/them, though some lessons still use the old name.',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['MARAC training', 'Our DSL will attend MARAC training in the spring term.'],
    [
      'a fundraiser, in quotes',
      'She said "let\'s do something big" for Red Nose Day, so the council is planning a bake sale.',
    ],
    [
      'something big, without quotes',
      'Thanks for the fundraising idea: the Year 11s want to do something big for the hospice.',
    ],
    [
      'a lesson on loan sharks',
      'The Year 10 PSHE lesson on loan sharks and payday lenders is on Tuesday.',
    ],
    [
      'a payment plan said to everyone',
      'Anyone on a payment plan for the ski trip will get a separate statement.',
    ],
    [
      'an adult learners’ class',
      "The adult learners' class meets in the library on Wednesday evenings.",
    ],
    [
      'a class’s transition',
      'Year 6 are starting their transition to secondary with visits in July.',
    ],
    [
      'a sickness reminder with a bracket',
      'Please log any sickness in the absence system within 2 days (by 10am).',
    ],
    ['the census as a share', 'Our census return shows the school is 70% White British this year.'],
    [
      'not eaten, in a lesson',
      'The Year 3 class will learn what plants need when they have not eaten: a lesson about food chains.',
    ],
    [
      'fasting pupils in a letter',
      'Pupils who are fasting during Ramadan can use the library at lunch, as the letter says.',
    ],
    [
      'a pupil told by year in a policy',
      'A pupil in Year 7 may ask to use a different name; the policy explains what to do in lessons.',
    ],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
  it('still reads a payment plan agreed with one family', () => {
    expect(warns('We agreed a payment plan with his mum because she lost her job.')).toBe(true);
  });
});

/**
 * h12-tune: the blocks set 13 (measured once in h11, development material since) and dev-13
 * lacked, each read with a sentence of my own beside a near-miss that must stay quiet. Four of
 * them stop a detector's false warning (a rule of a place, a photo taken, a game won, the numbers
 * of the LADO and MASH in a policy); three read a miss (lithium taken, a food bank's list, one
 * pupil's auto-injectors).
 */
describe('h12-tune: set 13 and dev-13 blocks', () => {
  const concerns: [string, string][] = [
    ['lithium taken', 'Thanks for letting me know you are on lithium; I will keep it to myself.'],
    [
      'on a food bank list, one word',
      'The Haddads are on the foodbank list again after the car broke down. Could Sam drop the bags off?',
    ],
    ['one pupil carries auto-injectors', 'Bilal carries two EpiPens in a pouch on his belt.'],
    ['no food at home is still neglect', 'She says there is no food in the flat most evenings.'],
    [
      'a bag minded that went missing is still read',
      "He was told he'd be hurt if the bag he minded went missing.",
    ],
    ['a threat to beat is still read', 'Her dad threatened to beat her if she told anyone.'],
    [
      'a referral to the LADO is still read',
      'I have spoken to the LADO about what Mr Finch said to the Year 8 girl.',
    ],
    [
      'food taken home is still neglect',
      'At the end of lunch he asked if he could take some bread home for his sister.',
    ],
    ['a pregnancy ended', 'Her friend says she had an abortion over half term.'],
    [
      'handed something by an adult',
      'He and his friend were handed a package by an older lad outside the chip shop.',
    ],
    ['a blow where it lands', 'At break Leo was punched in the ribs by the same boys.'],
    [
      'things taken by threat',
      'She says she is made to hand over her dinner money to an older group.',
    ],
    ['put out of home', 'Dad threw him out of the flat on Sunday and he stayed at a mate’s place.'],
    ['a night without a bed', 'He told me he slept in the car on Tuesday night.'],
    [
      'temporary accommodation',
      'Since the fire she and her mum have been placed in temporary accommodation.',
    ],
    ['my union steward', 'My Unison rep is coming with me to the meeting on Friday.'],
    ['open cases under their labels', 'CIN: Megan Tully (Y3), Joel Tully (Y5)'],
    ['my own condition', 'Sorry for Monday, I had a rough weekend with my bipolar.'],
    ['searches a filter flags', 'He has been searching for pipe bomb videos on the library PCs.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['lithium in chemistry', 'Year 10 will drop lithium into water in Thursday’s practical.'],
    [
      'a food bank collection',
      'The foodbank collection box is by reception until Friday; tins and pasta please.',
    ],
    [
      'auto-injectors in a trip letter',
      'Pupils who carry EpiPens must bring both on the trip in a named bag.',
    ],
    [
      'no food as a rule of a place',
      'Visitors are reminded that no food is to be eaten in the reptile house.',
    ],
    [
      'a photo taken, not food',
      'Jamal asked if he could take the team photo himself at sports day.',
    ],
    [
      'lost property that went missing',
      "Ruby's PE kit went missing from the changing room on Friday; it has her initials on.",
    ],
    ['a game won', 'Ollie has joined the draughts club and will probably beat me by Christmas.'],
    [
      'the LADO and MASH numbers in a policy',
      'The policy now lists the contact numbers for the LADO and MASH on page two.',
    ],
    ['abortion in a lesson', 'The Year 12 ethics unit covers abortion law and euthanasia.'],
    [
      'parcels handed out by staff',
      'Parcels handed out by the office at 3pm are for the Christmas fair raffle.',
    ],
    ['hit by a ball', 'Amir was hit in the face by a netball at lunch; ice pack given.'],
    ['a form handed over', 'Please hand over your trip forms to your tutor by Friday.'],
    [
      'a class in temporary rooms',
      'Year 2 are in temporary accommodation while the roof is fixed.',
    ],
    ['a union rep named for all', 'Please see the union rep in the staffroom about the ballot.'],
    [
      'case labels in a policy',
      'CP plans: reviewed at each core group meeting, as the policy says.',
    ],
    [
      'a condition in PSHE',
      'Depression and bipolar disorder are covered in the Year 11 PSHE unit.',
    ],
    ['incels in training', 'The Prevent training on Monday covers online incel communities.'],
    ['slept on a trip', 'Everyone slept in the dorms well on the first night at Kingswood.'],
  ];
  for (const [what, text] of ordinary) {
    it(what, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h13-tune: the general-mention framing exception for one family or pupil told by year or class,
 * or "they're on universal credit" (`FAMILY_BY_YEAR`, `THEY_ON_BENEFITS` in `sentenceIsGeneral`),
 * and the blocks set 14 (development material since h13-tune) and dev-14 lacked, each read with a
 * sentence of my own beside a near-miss that must stay quiet.
 */
describe('h13-tune: one family told by year or class, and set 14 and dev-14 blocks', () => {
  const concerns: [string, string][] = [
    [
      'the family in Y4, on universal credit, in a sentence with "week"',
      'The family in Y4 are on universal credit and had the gas cut off this week.',
    ],
    [
      'the mum in 6J, behind on the rent, in a sentence with "month"',
      'Spoke to the mum in 6J: they are in rent arrears again this month.',
    ],
    [
      'they\'re on universal credit, in a sentence with "month"',
      "They're on universal credit and have had nothing for a month since the sanction.",
    ],
    [
      'the Year 8 girl, in a sentence with "week"',
      'The Year 8 girl we spoke about is on the foodbank list again this week.',
    ],
    [
      'a Y7 pupil has told me, in a sentence with "week"',
      'A Y7 pupil has told me she was made to hand over her dinner money every day this week.',
    ],
    ['told, in the passive', 'At home she is always told she is worthless and a waste of space.'],
    ['blamed for a split', 'He keeps being told he is the reason his parents broke up.'],
    ['locked in rooms', 'The brothers are being locked in their rooms after school.'],
    ['becomes a woman', 'Her aunt says Ayan will go abroad for a party when she becomes a woman.'],
    ['the cutting as a party', 'They are going to a "cutting" celebration at her nan’s village.'],
    ['done like her relatives', 'Her cousin heard the family will get Ayan done like her sisters.'],
    ['made ready for marriage', 'Grandma wants to make her ready for marriage this summer.'],
    ['it hurts to wee', 'Since the trip she says it hurts to wee and she will not do PE.'],
    ['gone country', 'His friends say Kyle has gone country again and will be back next week.'],
    [
      'gifts from older people',
      'Kyle has been given a moped and a phone by older lads and now owes them.',
    ],
    ['not out at home', "He told me he's gay but he is not out at home yet."],
    ['married to a woman', 'Our new PE teacher mentioned she’s married to a woman.'],
    [
      'a group to be "sent back", quoted',
      'In tutor time he said immigrants should be "sent back" and laughed.',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'families in Y3 can apply',
      'Families in Y3 can apply for the breakfast club bursary on universal credit this week.',
    ],
    [
      'a Y9 pupil could win a prize',
      'A Y9 pupil could win a prize in the competition on FGM awareness week.',
    ],
    [
      "if you're on universal credit you may be eligible",
      "If you're on universal credit you may be eligible for free school meals this month.",
    ],
    [
      "if they're on universal credit, a condition",
      "If they're on universal credit, families can get help with uniform each term.",
    ],
    [
      'the children in Year 3, general',
      'The children in Year 3 will learn about money and universal credit in the PSHE unit.',
    ],
    ['told a score', 'The team were told they had won by three goals.'],
    ['locked classrooms', 'Classrooms are locked in the holidays by the site team.'],
    ['a trip home', 'Ayan is going home to Somalia for the summer to see her grandparents.'],
    ['cutting in DT', 'The cutting mats for DT are in the store cupboard.'],
    ['done like last year', 'We will get the display done like last year.'],
    ['a country in geography', 'Year 8 have gone country by country through the atlas.'],
    ['a bike given as a prize', 'Leo was given a bike by the PTA for the raffle.'],
    ['out at home time', 'Buses are out at home time from the front gate.'],
    [
      'a book to be sent back',
      'Library books should be "sent back" to the county store by Friday.',
    ],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h14-tune, mechanism 1: concepts by taxonomy (`vocabulary.ts`, "Concepts by taxonomy"). A
 * concept's own word is the evidence (a named condition, a court's decision, suicidal intent,
 * violence done to someone, union membership in any person, orientation told of someone, rent
 * trouble, neglect and exploitation signs). Sentences of this round's own, none from a labelled
 * set, each beside a near-miss that uses the same words in general.
 */
describe('h14-tune: concepts by taxonomy', () => {
  const concerns: [string, string][] = [
    ['a named condition, with a name', 'Zara has coeliac disease and cannot eat the party food.'],
    ['a named condition, with he', 'He was born with spina bifida and uses a frame at home.'],
    ['MS, after a verb', "Dad said it's MS and she will not be driving for a while."],
    [
      'a medicine dose changed',
      'My propranolol dose has gone up so I may be slow in the afternoons.',
    ],
    ['the first person, a condition', "I'm epileptic, so please keep the strobe lights off."],
    ['a life ended, intent', 'Kofi said he wants to end his life before the exams.'],
    ['tablets saved', 'Her friend found she has been stockpiling pills in her locker.'],
    ['goodbye notes', 'He left goodbye notes in his planner for his friends.'],
    ['sentenced', 'Her stepdad was sentenced on Monday and the girls are upset.'],
    ['bail conditions', 'The bail conditions say he cannot come near the house.'],
    ['found guilty', 'Mia says her cousin was found guilty and is going away.'],
    ['violence, passive', 'There is a clip of Leon being kicked outside the chip shop.'],
    ['held down', 'Two of them held the boy down and took his phone.'],
    ['hands round her neck', 'She said he put his hands round her neck last night.'],
    ['union membership, first person', "I'm in the NEU and want to know my rights on this."],
    ['union rep, second person', 'As you are the GMB rep, could you join Friday’s meeting?'],
    [
      'union ballot, who voted',
      'The cleaners who voted yes in the Unison ballot want it kept quiet.',
    ],
    ['orientation: a partner', "Please don't share it, but his partner is a man."],
    ['coming out', 'Sam came out to his parents at the weekend and it went badly.'],
    ['rent: behind on it', 'Mum says they are behind on the rent again since Christmas.'],
    ['rent: court date', 'She has a court date for the arrears on the 9th.'],
    ['neglect: teeth', 'His teeth are rotten and he says they hurt when he eats.'],
    ['neglect: no packed lunch', 'Lily came without a packed lunch for the fourth day running.'],
    ['exploitation: paid to carry', 'A man pays him to drop parcels off on the estate.'],
    ['exploitation: a second phone', 'He has a second phone that he hides in his sock.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['a condition in a course', 'The coeliac awareness course is on Tuesday in the library.'],
    ['a charity for a condition', 'Non-uniform day raises money for the spina bifida charity.'],
    ['MS Teams', 'The meeting has MS Teams as its link, see the invite.'],
    ['a medicines policy', 'The medicines policy says doses must be signed for in the office.'],
    ['a novel', 'In the novel the character ends her life at the close of Act 2.'],
    ['a mock trial', 'In the mock trial the jury found the defendant guilty of theft.'],
    ['a PE ball', 'Be careful in rounders, pupils have been hit by the ball this week.'],
    ['a national ballot', 'Dear colleagues, we are all in the NEU ballot this week on pay.'],
    ['our union rep', 'Our NEU rep will hold a meeting for members at lunch.'],
    ['if you are a member', 'If you are a member of a union, your rep can attend.'],
    ['a Pride assembly', 'Our Pride assembly is about coming out and being yourself.'],
    ['rent in a lesson', 'Year 11 will learn about rent, arrears and budgeting in PSHE.'],
    ['a food collection', 'Please bring packed lunch boxes for the trip on Friday.'],
    ['a second phone line', 'The office now has a second phone line for absences.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h14-tune, mechanism 2: the person cue widened as one rule (`personCueNear` in `detectors.ts`,
 * `ROLE_PERSON` and `SELF_OR_THEY` in `vocabulary.ts`). A topic word is about someone when the
 * person is a role ("the girl in 6T", "a Y11 student", "one of the cleaners", "the twins", "3B
 * child", "Leah's younger sister") or the writer or one pupil ("I'm", "my", "they've") in the same
 * sentence; the general-mention guards still win. Sentences of this round's own, none from a
 * labelled set.
 */
describe('h14-tune: the person cue widened', () => {
  const concerns: [string, string][] = [
    ['a pupil by form', 'The girl in 6T has glandular fever and will be off until March.'],
    ['a pupil by year', 'A Y11 student has been referred to CAMHS by the GP.'],
    ['a colleague by role', 'One of the cleaners has been having seizures at work.'],
    ['the twins', 'The twins have been going to the foodbank with their aunt.'],
    ['a form child', 'Sorry, 3B child is on the child protection register now.'],
    ['a relative of a named pupil', "Leah's younger sister is in hospital with meningitis."],
    ['the first person', "I've been having panic attacks on the drive in."],
    ['one pupil as they', "They've got depression and the school nurse is involved."],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['if they are on benefits', 'If they are on benefits they can apply for the uniform grant.'],
    ['my own awareness session', "I'm running the autism awareness session on Thursday."],
    ['a national ballot to all staff', 'Hi all, we are all in the NEU ballot this week.'],
    ['a student giving a talk', 'A Y12 student will give a talk on mental health at assembly.'],
    ['their packaging', 'Medicines must be prescribed and stay in their original boxes.'],
    ['book them', 'Reminder: EHCP reviews are statutory; please book them with the SENCo.'],
    ['my first-aid course', 'My first-aid course covered epilepsy and asthma attacks.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h14-tune: "cover" as staff cover does not frame a sentence as general (`GENERAL_FRAMING`): "so
 * I need cover for my lessons" is the writer's own case; "the course will cover self-harm" and
 * "the session covers eating disorders" are still general.
 */
describe('h14-tune: staff cover is not a course', () => {
  it('reads a colleague asking for cover', () => {
    const text = "I'm having a hysterectomy in May, so I will need cover for my Y9 class.";
    expect(warns(text), text).toBe(true);
  });
  for (const text of [
    'The course will cover self-harm and eating disorders in young people.',
    'The session covers eating disorders and how to spot them.',
  ]) {
    it(`near-miss stays quiet: ${text}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h14-tune: a mock trial is a lesson (`GENERAL_FRAMING` and `GENERAL_MAIL`): its charges are the
 * script's, in the sentence that names it or in the rest of a message that names nobody. A charge
 * told of someone still warns.
 */
describe('h14-tune: a mock trial is a lesson', () => {
  it('near-miss stays quiet: a mock trial over two sentences', () => {
    const text =
      'Hi,\n\nYear 9 law club are holding a mock trial on Friday. The accused is charged with theft and the class will vote.\n\nSue';
    expect(warns(text), text).toBe(false);
  });
  it('still reads a real charge', () => {
    const text = 'His older brother has been charged with robbery and is in court next week.';
    expect(warns(text), text).toBe(true);
  });
});

/**
 * h16-tune: concepts by taxonomy, widened (`vocabulary.ts`, "Concepts by taxonomy (h16-tune)"):
 * court and family orders, courts and driving offences, Home Office decisions and asylum claims,
 * gender identity in practice, housing loss, extremist content, SEND told as behaviour, and the
 * groups set 17's no-finding misses showed were short (domestic abuse by DASH's signs,
 * exploitation told as jobs, sexual harm in a young child's words, FGM as "the cut", a same-sex
 * relationship, an ethnic slur, strike action by someone). Sentences of this round's own, none
 * from a labelled set, each beside a near-miss that uses the same words in general.
 */
describe('h16-tune: concepts by taxonomy, widened', () => {
  const concerns: [string, string][] = [
    [
      'a protection order',
      'Mum has an FGM protection order for both girls, so he must not take them.',
    ],
    [
      'contact stopped by the court',
      "The court has stopped Dad's contact, so Kian only sees his mum now.",
    ],
    ['the magistrates', 'Her brother is up before the magistrates on Friday for the fight.'],
    ['drink-driving', 'I was stopped for drink-driving last night and I want to tell you first.'],
    ['a caution', 'Tom got a police caution at the weekend and his mum is furious.'],
    [
      'an asylum interview',
      'Dad has his asylum interview in Croydon on Tuesday, so Amir will be late.',
    ],
    [
      'leave to remain',
      'They are still waiting to hear about leave to remain, and she is very anxious.',
    ],
    ['a binder', 'Ollie has been wearing a binder under his PE top and it is hurting his ribs.'],
    ['questioning', 'She told me she is questioning her gender and does not want Mum told.'],
    ['deadnaming', 'Two boys in his form keep deadnaming him on purpose.'],
    ['a tenancy lost', 'They lost their tenancy in June and she is staying with her aunt.'],
    ['sofa surfing', 'He has been sofa surfing since his stepdad threw him out.'],
    ['a B&B', 'The family are living in a B&B in town, all four in one room.'],
    ['extremist videos', 'He has been sharing extremist videos in the form group chat.'],
    ['a Telegram channel', 'She follows three Telegram channels run by a far right group.'],
    ['a sensory room', 'Leo spent most of the morning in the sensory room after kicking the door.'],
    ['hand over hand', 'He can only write his name with hand over hand support from his TA.'],
    ['an ABC chart', 'I have started an ABC chart for Maya, as her outbursts are every day now.'],
    ['a throat', 'She said Dad grabbed Mum by the throat when they were arguing.'],
    ['threats to kill', 'He says his stepdad threatened to kill his mum if she leaves.'],
    ['jobs for older boys', 'He says he is doing jobs for some older lads after school.'],
    ['easy money', 'Jade told her friend that carrying the bags was easy money.'],
    ['in a child’s words', 'Poppy said the man next door tickles her in her knickers.'],
    ['the cut', 'She said her gran will do the cut when they go home in August.'],
    ['a same-sex relationship', "Mr Hale says his son is seeing another boy and he won't have it."],
    ['a slur', 'Two boys have been calling him a paki at the bus stop all week.'],
    ['striking', "Mrs Green and Mr Ali said they'll be on strike next Thursday."],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'protection orders in training',
      'The training covers FGM protection orders and how to apply.',
    ],
    ['a magistrates visit', 'Year 10 citizenship will visit the magistrates court on the 4th.'],
    ['drink-driving in PSHE', 'The Year 12 PSHE lesson on drink-driving is in the hall.'],
    ['asylum in a lesson', 'In geography we study why people make an asylum claim.'],
    ['binders for files', 'Please order more ring binders for the science department.'],
    ['housing in a lesson', 'The PSHE unit on housing covers temporary accommodation.'],
    ['a Prevent briefing', 'The Prevent briefing will cover far right Telegram channels.'],
    ['a sensory room opening', 'The new sensory room opens on Monday, thanks to the PTA.'],
    ['a CAT4 score', "Jack's non-verbal reasoning score went up to 112 this term."],
    [
      'a strike notice',
      'Dear parents, the school will close on Thursday because of the NEU strike.',
    ],
    ['a disco', 'Evie asked if the disco will be over by seven, as her dad is collecting.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h16-tune: "week" and "month" frame a sentence as an awareness week or a history month, not as a
 * span of time ("since last week", "for the last month", "next week"). Sentences of this round's
 * own beside near-misses.
 */
describe('h16-tune: a span of time is not an awareness week', () => {
  const concerns: [string, string][] = [
    ['since last week', 'The twins have been sofa surfing with an aunt since last week.'],
    ['for the last month', 'One of the TAs has been off with depression for the last month.'],
    ['last week, first person', 'I had a miscarriage last week and would rather nobody knew.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['an awareness week', 'Mental Health Awareness Week is next month, with a talk on self-harm.'],
    [
      'this month in a newsletter',
      'This month the newsletter covers sharing nudes and what to do.',
    ],
    [
      'a history month',
      'Black History Month starts next week with an assembly on racist bullying.',
    ],
    ["next week's lesson", "Next week's PSHE lesson covers drink-driving and the law."],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h17-tune: concepts by taxonomy in the weakest categories (`vocabulary.ts`, "Concepts by taxonomy
 * (h17-tune)"): debt and its enforcement, food vouchers and a home lost (financial hardship); a
 * fast kept, religious dress and a devout family (religion or belief); posts at risk in a
 * restructure and an informal improvement plan (staff HR); a union rep or joining told of
 * someone; the statutory signs that FGM may have happened; name-calling and rejection (emotional
 * abuse); a door kicked in (domestic abuse); gifts of drink or drugs from older men (CSE).
 * Sentences of this round's own, none from a labelled set, beside near-misses in general.
 */
describe('h17-tune: concepts by taxonomy in the weakest categories', () => {
  const concerns: [string, string][] = [
    ['bailiffs', 'Mum says the bailiffs came to the flat on Saturday and took the car.'],
    ['debts', "I've got debts I can't keep up with and I'm not sleeping."],
    ['a salary advance', 'Could Dev have an advance on his wages? He is behind with everything.'],
    ['food vouchers', 'Gran asked if we could give her food vouchers for the half term.'],
    ['a home lost', 'They lost their flat in the summer and are staying with friends.'],
    ['placed in a hostel', 'Mum says the council has moved them into a hostel across the city.'],
    ['a fast kept', 'Zara is keeping the fast this year and felt dizzy in swimming.'],
    ['religious dress', 'Since Easter she has started wearing a hijab and some girls tease her.'],
    ['posts at risk', 'Three posts in scope, and Mr Byrne will be at risk after the consultation.'],
    ['an improvement plan', "I'm on an informal improvement plan and I think it's unfair."],
    ['a union rep', 'Sam, you are the rep for the NASUWT, so can you come to my meeting?'],
    ['joining a union', "After the meeting I'd like to join the union before it goes further."],
    [
      'FGM signs',
      'Since the summer abroad one of the Y6 girls sits very stiffly and takes ages in the loo.',
    ],
    ['name-calling', "Her stepmum calls her 'a waste of space' in front of the others."],
    ['rejection', 'He heard his dad shout that he wished he had never been born.'],
    ['screamed at', 'The little boy in 2B is being screamed at by his mum most mornings.'],
    ['a door kicked in', 'Dad kicked the bedroom door in and Mum is scared to go back home.'],
    ['gifts from older men', 'She says older men buy her vodka and phones at the park.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['a debt lesson', 'The Year 11 PSHE lesson on payday loans and debts is on Friday.'],
    ['a food bank collection', 'Please bring tins for the food bank collection by Friday.'],
    [
      'fasting in general',
      'Pupils who are fasting can use the library at lunchtime during Ramadan.',
    ],
    ['a uniform policy', 'Our uniform policy allows a hijab or turban in school colours.'],
    ['a restructure notice', 'The restructure consultation policy is on the staff drive.'],
    ['a union notice', 'All staff may join a union; the NEU rep for the school is Jo.'],
    ['an FGM training', 'The FGM training covers signs such as difficulty walking or sitting.'],
    ['a PE note', 'Please remind the class to take less time in the toilets before PE.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h17-tune: "all week" and "this week" said of when something happened are spans of time, like
 * "since last week" (h16-tune); "this week we…", "this month's…", "this week is…" still frame a
 * newsletter or an awareness week. Sentences of this round's own beside near-misses.
 */
describe('h17-tune: "all week" and "this week" as a span of time', () => {
  const concerns: [string, string][] = [
    ['all week', 'One of the TAs has been off with depression all week.'],
    ['this month, first person', 'I had a miscarriage this month and I am not coping well.'],
    ['this week, twins', 'The twins have been sofa surfing this week with an aunt.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['this week we focus', "This week we're looking at self-harm and where to get help."],
    ["this month's theme", "This month's theme is domestic abuse and healthy relationships."],
    ['this week is', 'This week is Anti-Bullying Week, with an assembly on racist bullying.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h17-tune: the person cue, widened and narrowed (`ROLE_PERSON`, `SELF_OR_THEY`,
 * `WRITER_AT_WORK`): a pupil told as "Y8 girl" or "two of our Y7/Y8 boys"; the second person
 * ("your", "you're") in a letter to the person concerned, not "your form" or "your child"; and the
 * writer doing their job ("I'm updating the CP register") is not whom the sentence is about.
 * Sentences of this round's own beside near-misses.
 */
describe('h17-tune: the person cue', () => {
  const concerns: [string, string][] = [
    ['a Y8 girl', 'Y8 girl in tears at break, says she has been self-harming again.'],
    ['two of our pupils', 'Two of our Y7/Y8 boys have been seen with a knife near the park.'],
    ['your own case', 'Following the meeting, your grievance will be heard on the 3rd.'],
    ['my own case still', 'I am updating my sickness absence form after the operation.'],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    ['the writer at work', 'I am updating the sickness absence records this afternoon.'],
    ['your form', 'Please check access arrangements with your form on Monday.'],
    ['Y8 girls football', 'Y8 girls football is cancelled because of the self-harm talk.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});

/**
 * h18-tune: ordinary mail that only mentions a topic (set 19's false warnings), and concepts with
 * no word (set 19's misses). A thing as the subject of "has been suspended" (an account, pay, a
 * fixture) is no person's suspension; "asked for more" is a hungry child only when the clause ends
 * there or food follows; head lice are neglect only left untreated or coming back (the NHS: anyone
 * can catch them); a provision map is the school's own record, context; hearing or sight loss and
 * antenatal appointments (plural) are words of their own. Sentences of this round's own, none from
 * a labelled set, beside near-misses that must stay quiet.
 */
describe('h18-tune: topic mentions in ordinary mail, and sensory needs', () => {
  const concerns: [string, string][] = [
    ['a teacher suspended', 'Mr Doyle has been suspended while the complaint is looked into.'],
    ['a pupil suspended', 'Kian in 9R was suspended for two days after the fight on Friday.'],
    ['still hungry', 'Mia had her toast at breakfast club and then asked for more.'],
    ['asked for more food', 'He finished his lunch in minutes and asked for more food again.'],
    [
      'lice left untreated',
      'Ella has had head lice for weeks and her mum says she has no time to treat them.',
    ],
    ['nits back', 'Her nits are back again and she says nobody at home combs her hair.'],
    ['hearing loss', 'Noah in Reception has a moderate hearing loss and now wears two aids.'],
    ['glue ear', 'She is waiting for grommets for glue ear, so please sit her at the front.'],
    ['sight loss', 'Priya is registered blind and will need the papers enlarged to A3.'],
    [
      'antenatal appointments',
      'Jade in Y11 has antenatal appointments on two Tuesdays this month.',
    ],
  ];
  for (const [what, text] of concerns) {
    it(what, () => expect(warns(text), text).toBe(true));
  }
  const ordinary: [string, string][] = [
    [
      'an account suspended',
      'Ignore the text saying your account has been suspended: it is a scam.',
    ],
    ['a fixture suspended', 'The netball fixture was suspended because of the frozen pitch.'],
    ['more time asked for', 'Lena asked for more time on the Y8 reports, so the deadline moves.'],
    ['more information asked for', 'She asked for more information about the ski trip costs.'],
    ['a head lice letter', 'Dear parents, there are head lice in Y1. Please check hair tonight.'],
    ['nits going round', 'Hi all, nits are going round Class 3 so I have sent a note home.'],
    ['a provision map', 'Jo is on the nurture group and I will tidy the provision map by Friday.'],
    ['an audiology team', 'The audiology team will write to families after the hearing checks.'],
    ['health and safety', 'Sam, the health and safety walk round the DT room is on Monday at 4.'],
  ];
  for (const [what, text] of ordinary) {
    it(`near-miss stays quiet: ${what}`, () => expect(warns(text), text).toBe(false));
  }
});
