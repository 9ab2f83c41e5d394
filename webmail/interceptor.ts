/**
 * Stands between "Send" and the webmail, in every way a message can be sent: a click on Send,
 * Enter or Space on the focused Send control, and the compose's keyboard shortcut (Ctrl/⌘+Enter).
 *
 *   send event (capture phase, on window, before the page's own handlers)
 *     │  our own re-send in progress ──────────────────────────────► let it through
 *     │  not a send, or policy mode "off" ─────────────────────────► let it through
 *     │  compose or its fields not found ──► health signal ────────► let it through (fail safe)
 *     ▼
 *   read the compose now (synchronously: what Send would send)
 *     │  policy known: check now ── "send" ────────────────────────► let the ORIGINAL event through
 *     │                           └ warn / block ──► stop event ──► warning dialog
 *     │  policy not loaded yet ──► stop event ──► load ──► check ──► re-send, or warning dialog
 *     ▼
 *   warning: Go back ──► focus Send, nothing sent        (went_back)
 *            Remove  ──► the adapter removes it; check again; dialog updates  (removed_recipient)
 *            Send anyway (reason if policy says) ──► re-send once with the bypass   (sent_anyway)
 *            Add the disclaimer (when missing) ──► appended through the adapter; dialog stays
 *                                                                     (disclaimer: disclaimer_added)
 *
 *   nothing to warn about, but the message goes outside without the school's disclaimer
 *   (policy compose.disclaimer) ──► stop event ──► reminder          (disclaimer: reminded)
 *            Add it and send ──► appended, checked, re-send once   (the draft changes on this click only)
 *                                                                     (disclaimer: disclaimer_added)
 *            Send without it ──► re-send once, the draft as it was (disclaimer: sent_without_disclaimer)
 *            Go back (Escape) ──► nothing sent, nothing changed    (disclaimer: went_back)
 *
 * Letting the original (trusted) event through when there is nothing to warn about means the
 * common case never depends on re-creating a click the webmail accepts. The re-send, when needed,
 * sets a synchronous bypass flag around the adapter's `send()` (dispatchEvent is synchronous), so
 * our listener lets exactly that one send through and nothing else.
 *
 * Typing never waits on a scan: the key listener only looks at Enter/Space and modifier keys and
 * returns at once for every other key; scanning happens only at send time.
 */

import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { AdapterProblem } from '../lib/adapter-health.ts';
import { hasDisclaimer } from '../lib/dlp/disclaimer.ts';
import type { SendOutcome } from '../lib/dlp/outcomes.ts';
import { addSubjectLabel } from '../lib/mailbox/subject.ts';
import {
  type ComposeSnapshot,
  checkCompose,
  disclaimerEvent,
  outcomeEvents,
  type ReportCountEvent,
  type SendCheck,
  type SendCheckPolicy,
  sendStep,
} from '../lib/send-warning.ts';
import { type ComposeHandle, snapshotOf, type WebmailAdapter } from './adapter.ts';
import { subjectField, writeSubject } from './mailbox/subject-field.ts';

/** What the warning dialog needs from the interceptor, and tells it back. */
export type WarningSession = {
  check: SendCheck;
  snapshot: ComposeSnapshot;
  policy: SendCheckPolicy;
  /** Re-read the compose and check again after a recipient was removed; null if unreadable. */
  recheck(): { check: SendCheck; snapshot: ComposeSnapshot } | null;
  removeRecipient(address: string): boolean;
  /** Put the policy's label at the start of the subject (staff's choice); false if not found. */
  labelSubjectPersonal(label: string): boolean;
  goBack(): void;
  sendAnyway(): void;
  /** After removals left nothing to warn about: send without counting an override. */
  sendNow(): void;
  /** The school's disclaimer when the message lacks it (the dialog offers to add it), else null. */
  disclaimer: string | null;
  /** Append the disclaimer to the body (staff's click); true once it is there. */
  addDisclaimer(): boolean;
};

/** The light reminder shown when the only thing missing is the school's disclaimer. */
export type DisclaimerSession = {
  disclaimer: string;
  /** Append it, check it is there, then send; false (nothing sent) if it could not be added. */
  addAndSend(): boolean;
  sendWithout(): void;
  goBack(): void;
};

export type InterceptorDeps = {
  adapter: WebmailAdapter;
  /** The policy if already loaded (synchronous, so that most sends need no re-send). */
  cachedPolicy(): SendCheckPolicy | null;
  /** Load (or refresh) the policy. Must settle: on failure, resolve with the safe default. */
  loadPolicy(): Promise<SendCheckPolicy>;
  showWarning(session: WarningSession): void;
  showDisclaimerReminder(session: DisclaimerSession): void;
  report(events: ReportCountEvent[]): void;
  health(problem: AdapterProblem): void;
  /** Whether an event comes from Steward's own UI (the warning dialog). */
  isOwnUi(e: Event): boolean;
  /** Called after every check, with its timing (for measurement). */
  onChecked?(check: SendCheck, readMs: number): void;
};

const clock = () => performance.now();

export function interceptSends(ctx: ContentScriptContext, deps: InterceptorDeps): void {
  const { adapter } = deps;
  /** True only while our own send() runs: the one send we let through. */
  let bypass = false;
  /** Composes with a check or a warning open: further sends on them wait for it. */
  const busy = new WeakSet<Element>();

  const stop = (e: Event) => {
    e.preventDefault();
    e.stopImmediatePropagation();
  };

  const resend = (compose: ComposeHandle) => {
    bypass = true;
    try {
      if (!compose.send()) deps.health('resend_control_not_found');
    } finally {
      bypass = false;
    }
  };

  const count = (check: SendCheck, outcome: SendOutcome) =>
    deps.report(outcomeEvents(check.decision, outcome));

  /**
   * The heart of it. `control` is the Send button pressed (null for a keyboard shortcut).
   * Returns after deciding synchronously whether the event goes on.
   */
  const onSendAttempt = (e: Event, target: Element, control: HTMLElement | null) => {
    const policyNow = deps.cachedPolicy();
    if (policyNow?.compose.mode === 'off') return;
    const compose = adapter.composeOf(control ?? target);
    if (!compose) {
      if (control) deps.health('send_outside_compose');
      return;
    }
    if (busy.has(compose.root)) {
      stop(e);
      return;
    }
    const readStart = clock();
    const read = snapshotOf(compose);
    const readMs = clock() - readStart;
    if (!read.ok) {
      deps.health(read.problem);
      return;
    }
    const focusBack = control ?? compose.sendButtons()[0] ?? null;
    if (policyNow) {
      const check = checkCompose(read.snapshot, policyNow, { reuse: true });
      deps.onChecked?.(check, readMs);
      const step = sendStep(check);
      if (step === 'send') return;
      stop(e);
      if (step === 'warn') warn(compose, read.snapshot, check, policyNow, focusBack);
      else remind(compose, policyNow, focusBack);
      return;
    }
    // First send before the policy arrived (rare: it is requested when the page loads).
    stop(e);
    busy.add(compose.root);
    void deps.loadPolicy().then((policy) => {
      busy.delete(compose.root);
      if (ctx.isInvalid) return;
      if (policy.compose.mode === 'off') return resend(compose);
      const check = checkCompose(read.snapshot, policy, { reuse: true });
      deps.onChecked?.(check, readMs);
      const step = sendStep(check);
      if (step === 'send') resend(compose);
      else if (step === 'warn') warn(compose, read.snapshot, check, policy, focusBack);
      else remind(compose, policy, focusBack);
    });
  };

  /**
   * Append the policy's disclaimer unless the body has it already (so two clicks never add it
   * twice), then read the body back: true only when it is there.
   */
  const addDisclaimer = (compose: ComposeHandle, disclaimer: string): boolean => {
    const has = () => {
      const body = compose.bodyText();
      return body !== null && hasDisclaimer(body, disclaimer);
    };
    if (has()) return true;
    if (!compose.appendToBody(disclaimer) || !has()) {
      deps.health('disclaimer_not_added');
      return false;
    }
    return true;
  };

  const remind = (
    compose: ComposeHandle,
    policy: SendCheckPolicy,
    focusBack: HTMLElement | null,
  ) => {
    const disclaimer = policy.compose.disclaimer;
    if (!disclaimer) return resend(compose);
    busy.add(compose.root);
    const close = () => {
      busy.delete(compose.root);
      if (focusBack?.isConnected) focusBack.focus();
    };
    deps.report([disclaimerEvent('reminded')]);
    deps.showDisclaimerReminder({
      disclaimer,
      addAndSend() {
        if (!addDisclaimer(compose, disclaimer)) return false;
        deps.report([disclaimerEvent('disclaimer_added')]);
        close();
        resend(compose);
        return true;
      },
      sendWithout() {
        deps.report([disclaimerEvent('sent_without_disclaimer')]);
        close();
        resend(compose);
      },
      goBack() {
        deps.report([disclaimerEvent('went_back')]);
        close();
      },
    });
  };

  const warn = (
    compose: ComposeHandle,
    snapshot: ComposeSnapshot,
    first: SendCheck,
    policy: SendCheckPolicy,
    focusBack: HTMLElement | null,
  ) => {
    busy.add(compose.root);
    let current = first;
    count(first, first.decision.action === 'block' ? 'blocked' : 'warned');
    const close = () => {
      busy.delete(compose.root);
      if (focusBack?.isConnected) focusBack.focus();
    };
    deps.showWarning({
      check: first,
      snapshot,
      policy,
      recheck() {
        const read = snapshotOf(compose);
        if (!read.ok) {
          deps.health(read.problem);
          return null;
        }
        current = checkCompose(read.snapshot, policy, { reuse: true });
        return { check: current, snapshot: read.snapshot };
      },
      removeRecipient(address) {
        const removed = compose.removeRecipient(address);
        // Counted against what the warning was about when it opened.
        if (removed) count(first, 'removed_recipient');
        else deps.health('recipient_not_removed');
        return removed;
      },
      labelSubjectPersonal(label) {
        const field = subjectField(compose.service, compose.root);
        if (!field) {
          deps.health('subject_not_found');
          return false;
        }
        writeSubject(field, addSubjectLabel(field.value, label));
        return true;
      },
      goBack() {
        if (first.decision.action !== 'block') count(current, 'went_back');
        close();
      },
      sendAnyway() {
        if (current.decision.action === 'block') return; // no override in block mode
        count(current, 'sent_anyway');
        close();
        resend(compose);
      },
      sendNow() {
        close();
        resend(compose);
      },
      disclaimer: first.disclaimerMissing ? (policy.compose.disclaimer ?? null) : null,
      addDisclaimer() {
        const disclaimer = policy.compose.disclaimer;
        const added = disclaimer ? addDisclaimer(compose, disclaimer) : false;
        if (added) deps.report([disclaimerEvent('disclaimer_added')]);
        return added;
      },
    });
  };

  const onClick = (e: MouseEvent) => {
    if (bypass || deps.isOwnUi(e) || !(e.target instanceof Element)) return;
    const control = adapter.sendControlOf(e.target);
    if (control) onSendAttempt(e, e.target, control);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // Cheap first: typing (any key that is not Enter or Space) returns here.
    if (e.key !== 'Enter' && e.key !== ' ' && e.key !== 's' && e.key !== 'S') return;
    if (bypass || e.isComposing || deps.isOwnUi(e) || !(e.target instanceof Element)) return;
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
    if (plain && e.key !== 's' && e.key !== 'S') {
      const control = adapter.sendControlOf(e.target);
      if (control) onSendAttempt(e, e.target, control);
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) {
      const compose = adapter.composeOf(e.target);
      if (compose?.isSendShortcut(e) && compose.root.contains(e.target)) {
        onSendAttempt(e, e.target, null);
      }
    }
  };

  // On window, capture phase: before any listener the page put on the document or its elements.
  ctx.addEventListener(window, 'click', onClick, { capture: true });
  ctx.addEventListener(window, 'keydown', onKeyDown, { capture: true });
}
