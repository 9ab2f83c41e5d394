/**
 * Scan a whole message (subject, body text, attachment names) with the built-in detectors and the
 * policy's custom patterns and word lists. Pure: the adapters extract the text, the decision
 * applies thresholds and recipients.
 */

import { compileFirst } from './compile-first.ts';
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
};

export type ScanOptions = {
  now?: Date;
  /** Time allowed for all custom patterns over the whole message. */
  customBudgetMs?: number;
};

/**
 * Built-in detectors are linear, but an enormous pasted body (a 20 MB log) should still not stall
 * Send: beyond this, the text is not scanned, and the scan says so.
 */
export const MAX_SCANNED_CHARS = 2_000_000;

/** No-break, figure, narrow and other fixed-width spaces (each one UTF-16 unit). */
const SPACE_LIKE = compileFirst(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g);

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

export function scanMessageWithReport(
  message: MessageToScan,
  policy: ComposePolicy = DEFAULT_COMPOSE_POLICY,
  options: ScanOptions = {},
): ScanReport {
  const c = compilePolicy(policy);
  // The budget is for the custom patterns alone: only the time they take counts against it, so
  // the built-in detectors (or a slow cold start) cannot use it up.
  const budget = options.customBudgetMs ?? DEFAULT_SCAN_BUDGET_MS;
  let customUsed = 0;
  const findings: Finding[] = [];
  const incomplete: ScanReport['incomplete'] = c.rejected.map((r) => ({
    name: r.name,
    field: 'body' as const,
    reason: `not run: ${r.error}`,
  }));
  const subject = message.subject ?? '';
  const pieces: { field: FindingField; text: string; attachment?: number }[] = [
    { field: 'subject', text: subject },
    { field: 'body', text: message.body ?? '' },
    ...(message.attachmentNames ?? []).map((name, i) => ({
      field: 'attachment' as const,
      text: name,
      attachment: i,
    })),
  ];
  for (const piece of pieces) {
    if (piece.text.length === 0) continue;
    let text = piece.text;
    if (text.length > MAX_SCANNED_CHARS) {
      incomplete.push({
        name: 'all detectors',
        field: piece.field,
        reason: `only the first ${MAX_SCANNED_CHARS} of ${text.length} characters were scanned`,
      });
      text = text.slice(0, MAX_SCANNED_CHARS);
    }
    // Rich-text editors and HTML mail put no-break spaces between the groups of an identifier
    // ("AB 12 34 56 C" copied from a Word table). Map them to plain spaces, one for one, so the
    // detectors see them and the offsets still point into the original text.
    text = text.replace(SPACE_LIKE, ' ');
    const context = piece.field === 'subject' ? '' : subject.replace(SPACE_LIKE, ' ');
    const detections = detect(text, {
      disabled: c.disabled,
      context,
      // The subject line is judged general or about someone with its message.
      ...(piece.field === 'subject' ? { restOfMessage: message.body ?? '' } : {}),
      documentName: piece.field === 'attachment',
      ...(options.now ? { now: options.now } : {}),
    });
    if (c.engine && c.patterns.length > 0) {
      const started = clock();
      const custom = c.engine.scanCustomPatterns(text, c.patterns, started + (budget - customUsed));
      customUsed += clock() - started;
      detections.push(...custom.detections);
      for (const i of custom.incomplete) incomplete.push({ ...i, field: piece.field });
    }
    if (c.wordLists.length > 0) detections.push(...scanWordLists(text, c.wordLists));
    // Each detection is a fresh object made for this scan: it becomes the finding (the same keys,
    // in the same order, as copying it would give) instead of being copied.
    for (const d of detections) {
      const f = d as Finding;
      f.field = piece.field;
      if (piece.attachment !== undefined) f.attachment = piece.attachment;
      findings.push(f);
    }
  }
  // The learned check (learned.ts): may add its own finding or quiet vocabulary-only findings;
  // never touches identifiers or the school's own patterns and word lists.
  if (!c.disabled.has('learned')) applyLearnedCheck(message, findings);
  return { findings, incomplete };
}

/** All findings of every confidence; `decide` applies the policy's thresholds. */
export function scanMessage(
  message: MessageToScan,
  policy: ComposePolicy = DEFAULT_COMPOSE_POLICY,
  options: ScanOptions = {},
): Finding[] {
  return scanMessageWithReport(message, policy, options).findings;
}
