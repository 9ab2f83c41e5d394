/**
 * Whether to let a message go, warn, or block, from the findings, the recipients and the policy.
 *
 * Warn when at least one recipient is outside the school and a finding reaches the policy's
 * threshold (confidential data leaving), or when a recipient risk applies whatever the content (a
 * look-alike of the school's domain; many outside addresses visible in To/Cc). Internal-only mail
 * is never held up for content: the seed policies are about disclosure outside the school.
 *
 * Block mode blocks only the first case. A recipient risk alone still warns, because its fix is
 * one click away in the warning (remove the look-alike address, move addresses to Bcc) and
 * because an admin choosing "block" means "no confidential data out", not "no newsletters to
 * twelve parents".
 */
import { type Confidence, confidenceAtLeast, type FindingType } from './detectors.ts';
import type { OutcomeSubject } from './outcomes.ts';
import type { ComposePolicy } from './policy.ts';
import type { ClassifiedRecipient, RecipientAssessment, RecipientRisk } from './recipients.ts';
import type { Finding } from './scan.ts';

export type DecisionAction = 'send' | 'warn' | 'block';

export type Decision = {
  action: DecisionAction;
  /** Findings that reach their threshold, shown in the warning (empty without outside recipients). */
  findings: Finding[];
  /** Counts per finding type among `findings`, for the warning's summary. */
  counts: Partial<Record<FindingType, number>>;
  externalRecipients: ClassifiedRecipient[];
  risks: RecipientRisk[];
  /** How "Send anyway" works; null when there is no "Send anyway" (send or block). */
  override: ComposePolicy['override'] | null;
  /** The policy's words, in block mode. */
  blockMessage: string | null;
  /** What the outcome is counted against in the report. */
  subjects: OutcomeSubject[];
};

/** The threshold a finding must reach: a custom pattern's own `minConfidence`, else the policy's. */
export function thresholdFor(finding: Finding, policy: ComposePolicy): Confidence {
  if (finding.type === 'custom' && finding.name) {
    const own = policy.customPatterns.find((p) => p.name === finding.name)?.minConfidence;
    if (own) return own;
  }
  return policy.minConfidence;
}

export function decide(input: {
  findings: readonly Finding[];
  recipients: RecipientAssessment;
  policy: ComposePolicy;
}): Decision {
  const { policy, recipients } = input;
  const none: Decision = {
    action: 'send',
    findings: [],
    counts: {},
    externalRecipients: recipients.external,
    risks: [],
    override: null,
    blockMessage: null,
    subjects: [],
  };
  if (policy.mode === 'off') return none;
  const disabled = new Set<FindingType>(policy.disabledDetectors);
  const outside = recipients.external.length > 0;
  const findings = outside
    ? input.findings.filter(
        (f) => !disabled.has(f.type) && confidenceAtLeast(f.confidence, thresholdFor(f, policy)),
      )
    : [];
  const risks = recipients.risks;
  if (findings.length === 0 && risks.length === 0) return none;
  const counts: Partial<Record<FindingType, number>> = {};
  for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  const subjects: OutcomeSubject[] = [
    ...(Object.keys(counts) as FindingType[]),
    ...new Set(risks.map((r) => r.kind)),
  ];
  const block = policy.mode === 'block' && findings.length > 0;
  return {
    action: block ? 'block' : 'warn',
    findings,
    counts,
    externalRecipients: recipients.external,
    risks,
    override: block ? null : policy.override,
    blockMessage: block ? policy.blockMessage : null,
    subjects,
  };
}
