/**
 * The send check as the webmail content script runs it, without the DOM: one compose's contents
 * in, the DLP decision and what the warning shows out. Pure, so the same logic is tested in Node
 * and runs in every webmail.
 *
 * The DLP modules (`lib/dlp/*`) own detection, recipient classification and the decision; this
 * module only joins them to a compose window and shapes the result for the warning and the report.
 */
import type { Decision } from './dlp/decision.ts';
import { decide } from './dlp/decision.ts';
import { FINDING_TYPES, type FindingType } from './dlp/detectors.ts';
import { hasDisclaimer } from './dlp/disclaimer.ts';
import type { DisclaimerOutcome, OutcomeSubject, SendOutcome } from './dlp/outcomes.ts';
import { type ComposePolicy, resolveComposePolicy } from './dlp/policy.ts';
import { assessRecipients, type LookalikeReason, type RecipientInput } from './dlp/recipients.ts';
import { type FindingField, type ScanReport, scanMessageWithReport } from './dlp/scan.ts';
import { shouldSuggestPersonalLabel } from './mailbox/personal.ts';
import { type MailboxPolicy, resolveMailboxPolicy } from './mailbox/policy.ts';

/** What a compose window holds at the moment Send is pressed (read by a webmail adapter). */
export type ComposeSnapshot = {
  recipients: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: string;
  attachmentNames: string[];
};

/** The parts of policy the content script needs (the background's `webmail/policy` reply). */
export type SendCheckPolicy = {
  orgDomains: string[];
  compose: ComposePolicy;
  /** Mistakes in the `compose` policy (bad fields fall back to defaults). */
  composeErrors: string[];
  /** The `mailbox` policy: the subject label and whether the warning suggests it. */
  mailbox: MailboxPolicy;
  schoolName?: string;
};

/** Validate the background's raw reply; any part that is missing or wrong falls back safely. */
export function sendCheckPolicy(reply: unknown): SendCheckPolicy {
  const r = (reply && typeof reply === 'object' ? reply : {}) as Record<string, unknown>;
  const orgDomains = Array.isArray(r.orgDomains)
    ? r.orgDomains.filter((d): d is string => typeof d === 'string' && d.length > 0)
    : [];
  const { policy, errors } = resolveComposePolicy(r.compose ?? {});
  return {
    orgDomains,
    compose: policy,
    composeErrors: errors,
    mailbox: resolveMailboxPolicy(r.mailbox ?? {}).policy,
    ...(typeof r.schoolName === 'string' && r.schoolName ? { schoolName: r.schoolName } : {}),
  };
}

export type SendCheck = {
  decision: Decision;
  /** Milliseconds spent classifying, scanning and deciding (not reading the DOM). */
  checkMs: number;
  /** A custom pattern was cut short or the body was too long to scan whole. */
  incomplete: boolean;
  /**
   * The policy has a disclaimer, the message goes outside the school, and the body lacks it: the
   * reminder (or the warning) offers to add it. Never a reason to block on its own.
   */
  disclaimerMissing: boolean;
  /** The scan's report was the page's idle pre-read of exactly this message (not scanned again). */
  reused: boolean;
};

const clock = (): number => globalThis.performance?.now() ?? Date.now();

export function recipientInputs(snapshot: ComposeSnapshot): RecipientInput[] {
  return [
    ...snapshot.recipients.to.map((address) => ({ address, field: 'to' as const })),
    ...snapshot.recipients.cc.map((address) => ({ address, field: 'cc' as const })),
    ...snapshot.recipients.bcc.map((address) => ({ address, field: 'bcc' as const })),
  ];
}

/**
 * Classify the recipients, scan the message, and decide: send, warn or block. With `reuse`, the
 * scan's report comes from an earlier `reuse` check of exactly the same message when there was one
 * (the page's idle pre-read, lib/dlp/scan-memo.ts), and is kept for the next.
 */
export function checkCompose(
  snapshot: ComposeSnapshot,
  policy: SendCheckPolicy,
  options: { reuse?: boolean } = {},
): SendCheck {
  const started = clock();
  const recipients = assessRecipients(recipientInputs(snapshot), {
    orgDomains: policy.orgDomains,
    bulkRecipientThreshold: policy.compose.bulkRecipientThreshold,
  });
  // Mail to the school only is never held up for content (decision.ts): skip the scan then, so
  // the commonest send costs only the classification.
  const outside = recipients.external.length > 0 && policy.compose.mode !== 'off';
  const report: ScanReport = outside
    ? scanMessageWithReport(
        {
          subject: snapshot.subject,
          body: snapshot.body,
          attachmentNames: snapshot.attachmentNames,
        },
        policy.compose,
        options.reuse ? { reuse: true } : {},
      )
    : { findings: [], incomplete: [] };
  const decision = decide({ findings: report.findings, recipients, policy: policy.compose });
  const disclaimer = policy.compose.disclaimer;
  return {
    decision,
    checkMs: clock() - started,
    incomplete: report.incomplete.length > 0,
    disclaimerMissing: outside && !!disclaimer && !hasDisclaimer(snapshot.body, disclaimer),
    reused: report.reused === true,
  };
}

/** What Send leads to: straight through, the send warning, or only the disclaimer reminder. */
export function sendStep(check: SendCheck): 'send' | 'warn' | 'remind' {
  if (check.decision.action !== 'send') return 'warn';
  return check.disclaimerMissing ? 'remind' : 'send';
}

// ---------------------------------------------------------------------------------------------
// What the warning shows

export type FindingGroup = {
  type: FindingType;
  count: number;
  /** Where they were found, in reading order, without repeats. */
  places: { field: FindingField; attachmentName?: string }[];
  /** Redacted previews (at most `MAX_PREVIEWS`), e.g. `A12••••••••4F`. */
  previews: string[];
  /** Sub-categories or the admin's pattern names (`health`, `Staff ID`), without repeats. */
  names: string[];
};

export type WarningRecipient = {
  address: string;
  field: 'to' | 'cc' | 'bcc';
  personal: boolean;
  lookalike: { orgDomain: string; reason: LookalikeReason } | null;
};

export type WarningModel = {
  action: 'warn' | 'block';
  groups: FindingGroup[];
  recipients: WarningRecipient[];
  /** Outside addresses visible to everyone (To/Cc) when there are at least `threshold`. */
  manyVisible: { count: number; threshold: number } | null;
  override: 'acknowledge' | 'reason' | null;
  blockMessage: string | null;
};

export const MAX_PREVIEWS = 3;

export function warningModel(decision: Decision, attachmentNames: readonly string[]): WarningModel {
  const groups = new Map<FindingType, FindingGroup>();
  const sorted = [...decision.findings].sort(
    (a, b) =>
      FINDING_TYPES.indexOf(a.type) - FINDING_TYPES.indexOf(b.type) ||
      fieldOrder(a.field) - fieldOrder(b.field) ||
      (a.attachment ?? 0) - (b.attachment ?? 0) ||
      a.start - b.start,
  );
  for (const f of sorted) {
    let g = groups.get(f.type);
    if (!g) {
      g = { type: f.type, count: 0, places: [], previews: [], names: [] };
      groups.set(f.type, g);
    }
    g.count++;
    const attachmentName = f.attachment === undefined ? undefined : attachmentNames[f.attachment];
    if (!g.places.some((p) => p.field === f.field && p.attachmentName === attachmentName)) {
      g.places.push(
        attachmentName === undefined ? { field: f.field } : { field: f.field, attachmentName },
      );
    }
    if (g.previews.length < MAX_PREVIEWS && f.preview !== '' && !g.previews.includes(f.preview))
      g.previews.push(f.preview);
    if (f.name && !g.names.includes(f.name)) g.names.push(f.name);
  }
  const many = decision.risks.find((r) => r.kind === 'many_visible_external');
  return {
    action: decision.action === 'block' ? 'block' : 'warn',
    groups: [...groups.values()],
    recipients: decision.externalRecipients.map((r) => ({
      address: r.address,
      field: r.field,
      personal: r.kind === 'external_personal',
      lookalike: r.lookalike ?? null,
    })),
    manyVisible:
      many && many.kind === 'many_visible_external'
        ? { count: many.count, threshold: many.threshold }
        : null,
    override: decision.override,
    blockMessage: decision.blockMessage,
  };
}

function fieldOrder(field: FindingField): number {
  return field === 'subject' ? 0 : field === 'body' ? 1 : 2;
}

// ---------------------------------------------------------------------------------------------
// What the report counts

/**
 * The report's detector names (lib/report/payload.ts EMAIL_DETECTORS): finding types as they
 * are, and both recipient risks as `recipient_risk` (a warning with no finding in it).
 */
export type ReportDetector = FindingType | 'recipient_risk';

export function reportDetectors(subjects: readonly OutcomeSubject[]): ReportDetector[] {
  const out = new Set<ReportDetector>();
  for (const s of subjects) {
    out.add(s === 'lookalike_domain' || s === 'many_visible_external' ? 'recipient_risk' : s);
  }
  return [...out];
}

export type ReportCountEvent =
  | { kind: 'email'; detector: ReportDetector; outcome: SendOutcome }
  | { kind: 'email'; detector: 'disclaimer'; outcome: DisclaimerOutcome };

/** One count about the school's disclaimer: the outcome only, never the message. */
export function disclaimerEvent(outcome: DisclaimerOutcome): ReportCountEvent {
  return { kind: 'email', detector: 'disclaimer', outcome };
}

/** One count per detector type of the decision: types and outcomes only, never content. */
export function outcomeEvents(decision: Decision, outcome: SendOutcome): ReportCountEvent[] {
  return reportDetectors(decision.subjects).map((detector) => ({
    kind: 'email',
    detector,
    outcome,
  }));
}

/**
 * The subject label to suggest in the warning, or null: only when the mailbox policy turns the
 * suggestion on (off by default), the subject is not labelled yet, and every recipient is a
 * personal address that is not a known school contact (lib/mailbox/personal.ts). A suggestion
 * never holds a send on its own: it is shown only inside a warning that is shown anyway.
 */
export function personalLabelSuggestion(
  snapshot: ComposeSnapshot,
  policy: SendCheckPolicy,
): string | null {
  const recipients = [
    ...snapshot.recipients.to,
    ...snapshot.recipients.cc,
    ...snapshot.recipients.bcc,
  ];
  const suggest = shouldSuggestPersonalLabel(snapshot.subject, recipients, {
    orgDomains: policy.orgDomains,
    mailbox: policy.mailbox,
  });
  return suggest ? policy.mailbox.subjectLabel : null;
}
