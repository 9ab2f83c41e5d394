import '../../lib/dlp/custom-patterns.ts'; // the pattern engine (lib/dlp/custom-rules.ts)
import { describe, expect, it } from 'vitest';
import { findAddresses, parseAddressList, removeFromAddressList } from '../../lib/address-list.ts';
import {
  type ComposeSnapshot,
  checkCompose,
  outcomeEvents,
  personalLabelSuggestion,
  reportDetectors,
  sendCheckPolicy,
  warningModel,
} from '../../lib/send-warning.ts';

const ORG = 'stmarys-school.org.uk';
const PUPIL_DATA = [
  "Here are Jamie's details for the transfer.",
  'UPN: B801200005001',
  'National Insurance number: AB 12 34 56 C',
].join('\n');

function compose(over: Partial<ComposeSnapshot> & { to?: string[] } = {}): ComposeSnapshot {
  return {
    recipients: {
      to: over.to ?? [],
      cc: over.recipients?.cc ?? [],
      bcc: over.recipients?.bcc ?? [],
    },
    subject: over.subject ?? 'Transfer',
    body: over.body ?? PUPIL_DATA,
    attachmentNames: over.attachmentNames ?? [],
  };
}

const policy = sendCheckPolicy({ orgDomains: [ORG], compose: {}, schoolName: "St Mary's" });

describe('address lists', () => {
  it('reads the addresses of an RFC 5322 list, with names, quotes and both separators', () => {
    expect(
      parseAddressList('"Lee, Ann" <ann@x.org>, bob@y.org; Carl Ray <carl@z.co.uk>\ndee@w.org,'),
    ).toEqual(['ann@x.org', 'bob@y.org', 'carl@z.co.uk', 'dee@w.org']);
  });

  it('leaves out half-typed parts and repeats', () => {
    expect(parseAddressList('ann@x.org, ann@X.org, bob@, carl')).toEqual(['ann@x.org']);
  });

  it('finds addresses in labels, but not shortcuts or numbers that look a little like them', () => {
    expect(findAddresses('Ann Lee <ann.lee+tag@school.sch.uk> (Ctrl+Enter)')).toEqual([
      'ann.lee+tag@school.sch.uk',
    ]);
    expect(findAddresses('Send (Ctrl-Enter) 12@3 room@5')).toEqual([]);
  });

  it('removes one address and keeps the others as written', () => {
    expect(removeFromAddressList('"Lee, Ann" <ann@x.org>, bob@y.org, ', 'BOB@y.org')).toBe(
      '"Lee, Ann" <ann@x.org>, ',
    );
    expect(removeFromAddressList('bob@y.org', 'bob@y.org')).toBe('');
  });
});

describe('the send check', () => {
  it('warns when pupil data goes to a personal address outside the school', () => {
    const { decision } = checkCompose(compose({ to: ['jones.family@gmail.com'] }), policy);
    expect(decision.action).toBe('warn');
    const model = warningModel(decision, []);
    expect(model.groups.map((g) => g.type)).toEqual(['upn', 'nino']);
    expect(model.groups[0]!.previews[0]).not.toContain('801200005001');
    expect(model.recipients).toEqual([
      { address: 'jones.family@gmail.com', field: 'to', personal: true, lookalike: null },
    ]);
  });

  it('shows the learned check’s finding with the phrases that weighed most, counted as learned', () => {
    const body =
      'Ellie stayed behind after the lesson and told me her older cousin keeps turning up at the ' +
      "gate and she gets into his car, he buys her things and she won't say where they go.";
    const { decision } = checkCompose(compose({ to: ['ellie.aunt@gmail.com'], body }), policy);
    expect(decision.action).toBe('warn');
    const model = warningModel(decision, []);
    expect(model.groups.map((g) => g.type)).toEqual(['learned']);
    expect(model.groups[0]!.previews[0]).toContain('‘told me’');
    expect(decision.subjects).toEqual(['learned']);
  });

  it('lets mail to the school only go without scanning it', () => {
    const check = checkCompose(compose({ to: [`head@${ORG}`, `office@sub.${ORG}`] }), policy);
    expect(check.decision.action).toBe('send');
    expect(check.decision.findings).toEqual([]);
  });

  it('lets harmless mail to outside go', () => {
    const check = checkCompose(
      compose({ to: ['parent@example.com'], body: 'The coach leaves at 9 from room 12.' }),
      policy,
    );
    expect(check.decision.action).toBe('send');
  });

  it('flags a look-alike of the school domain even with nothing confidential in the message', () => {
    const { decision } = checkCompose(
      compose({ to: ['office@stmarys-schooI.org.uk'], body: 'See you at 4.' }),
      policy,
    );
    expect(decision.action).toBe('warn');
    const model = warningModel(decision, []);
    expect(model.groups).toEqual([]);
    expect(model.recipients[0]!.lookalike?.orgDomain).toBe(ORG);
    expect(reportDetectors(decision.subjects)).toEqual(['recipient_risk']);
  });

  it('suggests Bcc when many outside addresses are visible, not when they are in Bcc', () => {
    const parents = Array.from({ length: 10 }, (_, i) => `p${i}@example.com`);
    const visible = checkCompose(compose({ to: parents, body: 'Trip at 9.' }), policy);
    expect(warningModel(visible.decision, []).manyVisible).toEqual({ count: 10, threshold: 10 });
    const hidden = checkCompose(
      compose({ to: [], recipients: { to: [], cc: [], bcc: parents }, body: 'Trip at 9.' }),
      policy,
    );
    expect(hidden.decision.action).toBe('send');
  });

  it('blocks in block mode, with the policy’s words and no override', () => {
    const blocking = sendCheckPolicy({
      orgDomains: [ORG],
      compose: { mode: 'block', blockMessage: 'Use S2S.' },
    });
    const { decision } = checkCompose(compose({ to: ['a@example.com'] }), blocking);
    const model = warningModel(decision, []);
    expect(model).toMatchObject({ action: 'block', override: null, blockMessage: 'Use S2S.' });
  });

  it('does nothing in mode "off"', () => {
    const off = sendCheckPolicy({ orgDomains: [ORG], compose: { mode: 'off' } });
    expect(checkCompose(compose({ to: ['a@gmail.com'] }), off).decision.action).toBe('send');
  });

  it('says which attachment a finding is in', () => {
    const { decision } = checkCompose(
      compose({
        to: ['a@example.com'],
        body: 'Please see attached.',
        subject: 'Safeguarding referral',
        attachmentNames: ['timetable.pdf', 'CP referral B801200005001.docx'],
      }),
      policy,
    );
    const upn = warningModel(decision, [
      'timetable.pdf',
      'CP referral B801200005001.docx',
    ]).groups.find((g) => g.type === 'upn');
    expect(upn?.places).toEqual([
      { field: 'attachment', attachmentName: 'CP referral B801200005001.docx' },
    ]);
  });

  it('counts outcomes per detector type, types only', () => {
    const { decision } = checkCompose(compose({ to: ['a@gmail.com'] }), policy);
    expect(outcomeEvents(decision, 'sent_anyway')).toEqual([
      { kind: 'email', detector: 'upn', outcome: 'sent_anyway' },
      { kind: 'email', detector: 'nino', outcome: 'sent_anyway' },
    ]);
  });
});

describe('the policy the content script receives', () => {
  it('falls back safely on a missing or broken reply', () => {
    const p = sendCheckPolicy(undefined);
    expect(p.orgDomains).toEqual([]);
    expect(p.compose.mode).toBe('warn');
    const bad = sendCheckPolicy({ orgDomains: [ORG, 3], compose: { mode: 'loud' } });
    expect(bad.orgDomains).toEqual([ORG]);
    expect(bad.compose.mode).toBe('warn');
    expect(bad.composeErrors.join(' ')).toMatch(/compose\.mode/);
  });
});

describe('personalLabelSuggestion', () => {
  const snapshot = (to: string[], subject = 'Saturday') => ({
    recipients: { to, cc: [], bcc: [] },
    subject,
    body: 'See you there',
    attachmentNames: [],
  });
  const policy = (mailbox: unknown) =>
    sendCheckPolicy({ orgDomains: ['stmarys-school.org.uk'], mailbox });

  it('is off by default', () => {
    expect(personalLabelSuggestion(snapshot(['sam@gmail.com']), policy({}))).toBeNull();
  });

  it('suggests the policy label when every recipient is a personal address', () => {
    const on = policy({ suggestPersonalLabel: true, subjectLabel: 'PRIVATE' });
    expect(personalLabelSuggestion(snapshot(['sam@gmail.com', 'jo@hotmail.co.uk']), on)).toBe(
      'PRIVATE',
    );
  });

  it('does not suggest it for a school or business recipient, or a subject already labelled', () => {
    const on = policy({ suggestPersonalLabel: true });
    expect(
      personalLabelSuggestion(snapshot(['sam@gmail.com', 'head@stmarys-school.org.uk']), on),
    ).toBeNull();
    expect(personalLabelSuggestion(snapshot(['accounts@supplier.co.uk']), on)).toBeNull();
    expect(
      personalLabelSuggestion(snapshot(['sam@gmail.com'], 'PERSONAL: Saturday'), on),
    ).toBeNull();
  });
});
