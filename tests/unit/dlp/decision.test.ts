import '../../../lib/dlp/custom-patterns.ts'; // the pattern engine (lib/dlp/custom-rules.ts)
import { describe, expect, it } from 'vitest';
import { decide } from '../../../lib/dlp/decision.ts';
import { countOutcome, SEND_OUTCOMES } from '../../../lib/dlp/outcomes.ts';
import {
  type ComposePolicy,
  DEFAULT_COMPOSE_POLICY,
  parseComposePolicy,
} from '../../../lib/dlp/policy.ts';
import { assessRecipients, type RecipientInput } from '../../../lib/dlp/recipients.ts';
import { scanMessage, scanMessageWithReport } from '../../../lib/dlp/scan.ts';

const ORG = ['stmarysschool.org.uk'];
const NOW = new Date('2025-06-01');

function policy(input: unknown): ComposePolicy {
  const r = parseComposePolicy(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.policy;
}

const sensitive = {
  subject: 'Pupil details',
  body: 'UPN: B801200005001, DOB: 12/03/2014',
  attachmentNames: [],
};
const benign = {
  subject: 'Parents evening',
  body: 'See you on Thursday at 4pm.',
  attachmentNames: [],
};

function run(message: typeof sensitive, to: string[], p: ComposePolicy = DEFAULT_COMPOSE_POLICY) {
  const recipients: RecipientInput[] = to.map((address) => ({ address, field: 'to' }));
  return decide({
    findings: scanMessage(message, p, { now: NOW }),
    recipients: assessRecipients(recipients, {
      orgDomains: ORG,
      bulkRecipientThreshold: p.bulkRecipientThreshold,
    }),
    policy: p,
  });
}

describe('scanMessage', () => {
  it('labels the field and attachment of each finding', () => {
    const findings = scanMessage(
      {
        subject: 'Safeguarding referral - child protection plan',
        body: 'NHS number 943 476 5870',
        attachmentNames: ['photo.jpg', 'UPN B801200005001 report.pdf'],
      },
      DEFAULT_COMPOSE_POLICY,
      { now: NOW },
    );
    const summary = findings.map((f) => [f.type, f.field, f.attachment ?? null]);
    expect(summary).toContainEqual(['safeguarding', 'subject', null]);
    expect(summary).toContainEqual(['nhs_number', 'body', null]);
    expect(summary).toContainEqual(['upn', 'attachment', 1]);
  });
  it('skips disabled detectors and runs custom patterns and words', () => {
    const p = policy({
      disabledDetectors: ['upn'],
      customPatterns: [{ name: 'Staff ID', pattern: 'STF-\\d{6}' }],
      customWords: [{ name: 'Projects', words: ['Operation Falcon'] }],
    });
    const findings = scanMessage(
      { subject: '', body: 'B801200005001 STF-123456 operation  falcon', attachmentNames: [] },
      p,
      { now: NOW },
    );
    expect(findings.map((f) => [f.type, f.name, f.preview])).toEqual([
      ['custom', 'Staff ID', 'ST•-••••56'],
      ['custom', 'Projects', 'operation falcon'],
    ]);
  });
  it('sees identifiers written with no-break spaces, keeping offsets', () => {
    const body = 'NI number: AB\u00a012\u00a034\u00a056\u00a0C';
    const [f] = scanMessage({ subject: '', body, attachmentNames: [] }, DEFAULT_COMPOSE_POLICY);
    expect(f).toMatchObject({ type: 'nino', confidence: 'high', start: 11, end: body.length });
  });
  it('reports custom patterns that were refused', () => {
    const forged = {
      ...DEFAULT_COMPOSE_POLICY,
      customPatterns: [{ name: 'lookahead', pattern: 'x(?=y)' }],
    };
    const report = scanMessageWithReport(benign, forged);
    expect(report.incomplete[0]).toMatchObject({
      name: 'lookahead',
      reason: expect.stringMatching(/^not run: lookahead/),
    });
  });
});

describe('decide', () => {
  it('warns when confidential data goes outside', () => {
    const d = run(sensitive, ['parent@gmail.com']);
    expect(d.action).toBe('warn');
    expect(d.counts).toEqual({ upn: 1, date_of_birth: 1 });
    expect(d.override).toBe('acknowledge');
    expect(d.externalRecipients.map((r) => r.kind)).toEqual(['external_personal']);
    expect(d.subjects).toEqual(['upn', 'date_of_birth']);
  });
  it('never holds up internal mail for content', () => {
    expect(run(sensitive, ['head@stmarysschool.org.uk']).action).toBe('send');
  });
  it('lets benign mail go outside', () => {
    expect(run(benign, ['parent@gmail.com']).action).toBe('send');
  });
  it('warns for recipient risks whatever the content, even in block mode', () => {
    const d = run(benign, ['bursar@stmarys-school.org.uk'], policy({ mode: 'block' }));
    expect(d.action).toBe('warn');
    expect(d.findings).toEqual([]);
    expect(d.subjects).toEqual(['lookalike_domain']);
    const many = run(
      benign,
      Array.from({ length: 10 }, (_, i) => `p${i}@gmail.com`),
    );
    expect(many.risks).toEqual([{ kind: 'many_visible_external', count: 10, threshold: 10 }]);
  });
  it('blocks data to outside addresses in block mode, with the policy words and no override', () => {
    const d = run(
      sensitive,
      ['parent@gmail.com'],
      policy({ mode: 'block', blockMessage: 'Use Egress.' }),
    );
    expect(d).toMatchObject({ action: 'block', override: null, blockMessage: 'Use Egress.' });
  });
  it('does nothing in off mode', () => {
    expect(run(sensitive, ['stmarys-school@gmail.com'], policy({ mode: 'off' })).action).toBe(
      'send',
    );
  });
  it('applies minConfidence and a custom pattern’s own threshold', () => {
    const medium = { subject: '', body: 'ref B801200005001', attachmentNames: [] };
    expect(run(medium, ['a@gmail.com']).action).toBe('warn');
    expect(run(medium, ['a@gmail.com'], policy({ minConfidence: 'high' })).action).toBe('send');
    const p = policy({
      minConfidence: 'high',
      customPatterns: [
        { name: 'Staff ID', pattern: 'STF-\\d{6}', keywords: ['staff'], minConfidence: 'low' },
      ],
    });
    const custom = { subject: '', body: 'ID STF-123456', attachmentNames: [] };
    expect(run(custom, ['a@gmail.com'], p).counts).toEqual({ custom: 1 });
  });
  it('asks for a reason when the policy says so', () => {
    expect(run(sensitive, ['a@gmail.com'], policy({ override: 'reason' })).override).toBe('reason');
  });
});

describe('outcomes', () => {
  it('counts each subject once per outcome, immutably', () => {
    const a = countOutcome({}, 'warned', ['upn', 'upn', 'date_of_birth']);
    const b = countOutcome(a, 'warned', ['upn']);
    expect(a).toEqual({ warned: { upn: 1, date_of_birth: 1 } });
    expect(b).toEqual({ warned: { upn: 2, date_of_birth: 1 } });
    expect(SEND_OUTCOMES).toEqual([
      'warned',
      'went_back',
      'removed_recipient',
      'sent_anyway',
      'blocked',
    ]);
  });
});
