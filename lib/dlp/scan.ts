/**
 * Scan a whole message (subject, body text, attachment names) with the built-in detectors and the
 * policy's custom patterns and word lists. Pure: the adapters extract the text, the decision
 * applies thresholds and recipients.
 */

import {
  type CompiledWordList,
  compileWordList,
  DEFAULT_SCAN_BUDGET_MS,
  type EnginePattern,
  type PatternEngine,
  patternEngine,
  scanWordLists,
} from './custom-rules.ts';
import { type Detection, detect, type FindingType } from './detectors.ts';
import { applyLearnedCheck } from './learned.ts';
import { type ComposePolicy, DEFAULT_COMPOSE_POLICY } from './policy.ts';
import { dayOf, ScanMemo } from './scan-memo.ts';
import { type TextToScan, textToScan, toOriginalSpan } from './text-to-scan.ts';

export type FindingField = 'subject' | 'body' | 'attachment';

export type Finding = Detection & {
  field: FindingField;
  /** Which attachment (index into `attachmentNames`) when `field` is `attachment`. */
  attachment?: number;
};

export type MessageToScan = { subject: string; body: string; attachmentNames: string[] };

export type ScanReport = {
  findings: Finding[];
  /** Custom patterns cut short by the time budget or the input cap: the scan is incomplete. */
  incomplete: { name: string; field: FindingField; reason: string }[];
  /** The report of an earlier scan of exactly this message (`reuse`), not scanned again. */
  reused?: true;
};

export type ScanOptions = {
  now?: Date;
  /** Time allowed for all custom patterns over the whole message. */
  customBudgetMs?: number;
  /**
   * Take the report of an earlier `reuse` scan of exactly this message under this policy today,
   * and keep this one for later (scan-memo.ts): the webmail page's idle pre-read and its Send.
   * Ignored with `now` (tests). A report with a school pattern cut short by the time budget is
   * never kept (it is an answer of that moment's CPU, not of the text).
   */
  reuse?: boolean;
};

/**
 * Built-in detectors are linear, but an enormous pasted body (a 20 MB log) should still not stall
 * Send: beyond this, the text is not scanned, and the scan says so.
 */
export const MAX_SCANNED_CHARS = 2_000_000;

type CompiledPolicy = {
  disabled: Set<FindingType>;
  /** The engine the patterns were compiled with; null when there are none to compile or no engine. */
  engine: PatternEngine | null;
  patterns: EnginePattern[];
  rejected: { name: string; error: string }[];
  wordLists: CompiledWordList[];
};

const compiled = new WeakMap<ComposePolicy, CompiledPolicy>();

/** Why a pattern was not run when this page has no pattern engine (see custom-rules.ts). */
export const ENGINE_NOT_LOADED = "the school's pattern engine is not loaded in this page";

function compilePolicy(policy: ComposePolicy): CompiledPolicy {
  let c = compiled.get(policy);
  const engine = patternEngine();
  // Compiled before the engine arrived: compile again now that it is here.
  if (!c || (engine && !c.engine && c.rejected.length > 0)) {
    const disabled = new Set<FindingType>(policy.disabledDetectors);
    const custom = !disabled.has('custom');
    const patterns: EnginePattern[] = [];
    const rejected: { name: string; error: string }[] = [];
    for (const p of custom ? policy.customPatterns : []) {
      const result = engine ? engine.compilePattern(p) : { name: p.name, error: ENGINE_NOT_LOADED };
      if ('error' in result && typeof result.error === 'string') {
        rejected.push({ name: p.name, error: result.error });
      } else patterns.push(result);
    }
    c = {
      disabled,
      engine: patterns.length > 0 ? engine : null,
      patterns,
      rejected,
      wordLists: custom
        ? policy.customWords.map(compileWordList).filter((w): w is CompiledWordList => w !== null)
        : [],
    };
    compiled.set(policy, c);
  }
  return c;
}

const clock = (): number => globalThis.performance?.now() ?? Date.now();

const remembered = new ScanMemo<ScanReport>();

/** A report whose findings and lists are the caller's own (the memo keeps its copy intact). */
const copyOf = (report: ScanReport): ScanReport => ({
  findings: report.findings.map((f) => ({ ...f })),
  incomplete: report.incomplete.map((i) => ({ ...i })),
});

export function scanMessageWithReport(
  message: MessageToScan,
  policy: ComposePolicy = DEFAULT_COMPOSE_POLICY,
  options: ScanOptions = {},
): ScanReport {
  const c = compilePolicy(policy);
  if (!options.reuse || options.now) {
    return scanAfresh(message, c, options).report;
  }
  const memoKey = {
    subject: message.subject ?? '',
    body: message.body ?? '',
    attachmentNames: message.attachmentNames ?? [],
  };
  const day = dayOf(new Date());
  const earlier = remembered.find(memoKey, c, day);
  if (earlier) return { ...copyOf(earlier), reused: true };
  const { report, cutShort } = scanAfresh(message, c, options);
  if (!cutShort) remembered.keep(memoKey, c, day, copyOf(report));
  return report;
}

/** Forget every kept report (tests). */
export function forgetScans(): void {
  remembered.clear();
}

function scanAfresh(
  message: MessageToScan,
  c: CompiledPolicy,
  options: ScanOptions,
): { report: ScanReport; cutShort: boolean } {
  let cutShort = false;
  // The budget is for the custom patterns alone: only the time they take counts against it, so
  // the built-in detectors (or a slow cold start) cannot use it up.
  const budget = options.customBudgetMs ?? DEFAULT_SCAN_BUDGET_MS;
  let customUsed = 0;
  // Each field's findings, put together once they are all made (h31-scan: at most one array of
  // the right length, not one grown finding by finding: ~1,000 on issue 13's message).
  const found: Finding[][] = [];
  const incomplete: ScanReport['incomplete'] = c.rejected.map((r) => ({
    name: r.name,
    field: 'body' as const,
    reason: `not run: ${r.error}`,
  }));
  // What the detectors read (text-to-scan.ts): fixed-width spaces and hyphens made plain, marks
  // that take no space taken out. Each field is prepared once; findings are mapped back to the
  // original's offsets at the end.
  const capped = (text: string, field: FindingField): string => {
    if (text.length <= MAX_SCANNED_CHARS) return text;
    incomplete.push({
      name: 'all detectors',
      field,
      reason: `only the first ${MAX_SCANNED_CHARS} of ${text.length} characters were scanned`,
    });
    return text.slice(0, MAX_SCANNED_CHARS);
  };
  const subject = textToScan(capped(message.subject ?? '', 'subject'));
  const body = textToScan(capped(message.body ?? '', 'body'));
  const pieces: { field: FindingField; scanned: TextToScan; attachment?: number }[] = [
    { field: 'subject', scanned: subject },
    { field: 'body', scanned: body },
    ...(message.attachmentNames ?? []).map((name, i) => ({
      field: 'attachment' as const,
      scanned: textToScan(capped(name, 'attachment')),
      attachment: i,
    })),
  ];
  for (const piece of pieces) {
    const text = piece.scanned.text;
    if (text.length === 0) continue;
    const detections = detect(text, {
      disabled: c.disabled,
      context: piece.field === 'subject' ? '' : subject.text,
      // The subject line is judged general or about someone with its message.
      ...(piece.field === 'subject' ? { restOfMessage: body.text } : {}),
      documentName: piece.field === 'attachment',
      ...(options.now ? { now: options.now } : {}),
    });
    if (c.engine && c.patterns.length > 0) {
      const started = clock();
      const custom = c.engine.scanCustomPatterns(text, c.patterns, started + (budget - customUsed));
      customUsed += clock() - started;
      detections.push(...custom.detections);
      for (const i of custom.incomplete) incomplete.push({ ...i, field: piece.field });
      if (custom.incomplete.length > 0) cutShort = true;
    }
    if (c.wordLists.length > 0) detections.push(...scanWordLists(text, c.wordLists));
    // Each detection is a fresh object made for this scan: it becomes the finding (the same keys,
    // in the same order, as copying it would give) instead of being copied.
    // By index, not `for…of`, here and below (h35-people): the two `for…of` over ~1,000 findings
    // of issue 13's message allocated ~167 KB of a warm scan, though V8 optimises this function.
    for (let k = 0; k < detections.length; k++) {
      const f = detections[k] as Finding;
      f.field = piece.field;
      if (piece.attachment !== undefined) f.attachment = piece.attachment;
    }
    if (detections.length > 0) found.push(detections as Finding[]);
  }
  // Mail with findings in its body alone keeps the body's array as it is.
  const findings = found.length === 1 ? found[0]! : ([] as Finding[]).concat(...found);
  // The learned check (learned.ts): may add its own finding or quiet vocabulary-only findings;
  // never touches identifiers or the school's own patterns and word lists. It reads the text the
  // detectors read; its own finding is in the body.
  if (!c.disabled.has('learned')) {
    applyLearnedCheck(
      { subject: subject.text, body: body.text, attachmentNames: message.attachmentNames ?? [] },
      findings,
    );
  }
  // Back to the original's offsets, through the prepared text of the field each finding is in
  // (attachments follow the subject and body in `pieces`).
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!;
    const { scanned } =
      f.field === 'attachment'
        ? pieces[2 + (f.attachment ?? 0)]!
        : pieces[f.field === 'subject' ? 0 : 1]!;
    toOriginalSpan(scanned, f);
  }
  return { report: { findings, incomplete }, cutShort };
}

/** All findings of every confidence; `decide` applies the policy's thresholds. */
export function scanMessage(
  message: MessageToScan,
  policy: ComposePolicy = DEFAULT_COMPOSE_POLICY,
  options: ScanOptions = {},
): Finding[] {
  return scanMessageWithReport(message, policy, options).findings;
}
