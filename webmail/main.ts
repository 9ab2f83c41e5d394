/**
 * The webmail content script: one `main` for the manifest script (Gmail, Outlook, Yahoo) and the
 * runtime-registered one (self-hosted webmail named in policy `webmailSites`). It picks the
 * adapter, keeps the policy at hand, intercepts sends, shows the warning, counts outcomes and
 * reports adapter health. Pure logic is in lib/send-warning.ts; DOM knowledge in adapters/.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { AdapterProblem } from '../lib/adapter-health.ts';
import { needsPatternEngine, patternEngine } from '../lib/dlp/custom-rules.ts';
import { PRE_READ_MIN_CHARS, PRE_READ_PAUSE_MS } from '../lib/dlp/scan-memo.ts';
import {
  representationOf,
  runWhileIdle,
  type TextRepresentation,
  warmUpSteps,
} from '../lib/dlp/warm-up.ts';
import type { MessageFrom } from '../lib/messages.ts';
import { checkCompose, type SendCheckPolicy, sendCheckPolicy } from '../lib/send-warning.ts';
import { noAnswerInTime } from '../lib/worker-repair.ts';
import { snapshotOf, type WebmailAdapter, type WebmailService } from './adapter.ts';
import { gmail } from './adapters/gmail.ts';
import { OUTLOOK_HOSTS, outlook } from './adapters/outlook.ts';
import { roundcube } from './adapters/roundcube.ts';
import { yahoo } from './adapters/yahoo.ts';
import { appliedWebmailPolicy, followAppliedWebmailPolicy } from './applied-policy.ts';
import { interceptSends } from './interceptor.ts';
import { startMailbox } from './mailbox/main.ts';
import { isFromWarning, showDisclaimerReminder, showWarningDialog } from './warning-ui.ts';
import { lookAfterWorkerOnError } from './worker-check-frame.ts';

export const ADAPTERS: Record<WebmailService, WebmailAdapter> = {
  gmail,
  outlook,
  yahoo,
  roundcube,
};

/** The hosts the manifest script runs on, and their service. */
export const HOSTED_SERVICES: Record<string, WebmailService> = {
  'mail.google.com': 'gmail',
  ...Object.fromEntries(OUTLOOK_HOSTS.map((h) => [h, 'outlook' as const])),
  'mail.yahoo.com': 'yahoo',
};

/** How long the first send may wait for the policy before going on with the safe default. */
const POLICY_TIMEOUT_MS = 3_000;
/** Policy is refreshed in the background at most this often (it changes rarely). */
const POLICY_REFRESH_MS = 60_000;
/** Compose windows are checked for readable fields at most this often (health signal). */
const HEALTH_SCAN_MS = 2_000;

async function send(message: MessageFrom<'content script'>): Promise<unknown> {
  try {
    return await browser.runtime.sendMessage(message);
  } catch (error) {
    // Nobody there to receive it: the browser may have lost the worker's registration.
    lookAfterWorkerOnError(error);
    throw error;
  }
}

/**
 * Which adapter for this page: by host for the big services; for self-hosted hosts, the service
 * the policy names for this host (if the background passes `webmailSites`), else by the page.
 */
function chooseAdapter(reply: unknown): WebmailAdapter | null {
  const host = location.hostname;
  const hosted = HOSTED_SERVICES[host];
  if (hosted) return ADAPTERS[hosted];
  const sites = (reply as { webmailSites?: unknown } | null)?.webmailSites;
  if (Array.isArray(sites)) {
    for (const s of sites as { service?: unknown; host?: unknown }[]) {
      const named = typeof s.host === 'string' ? s.host.replace(/:\d+$/, '').toLowerCase() : '';
      if (named === host && typeof s.service === 'string' && s.service in ADAPTERS) {
        return ADAPTERS[s.service as WebmailService];
      }
    }
  }
  return Object.values(ADAPTERS).find((a) => a.detect(document, location)) ?? null;
}

/**
 * A User Timing mark or measure for anyone measuring (tests, the DevTools Performance panel): counts
 * and times only, never content. Where User Timing Level 3 is missing, nothing is recorded.
 */
function timing(record: () => void): void {
  try {
    record();
  } catch {
    // Measurement only.
  }
}

export async function main(ctx: ContentScriptContext): Promise<void> {
  let policy: SendCheckPolicy | null = null;
  let rawReply: unknown = null;
  let loadedAt = 0;
  let loading: Promise<SendCheckPolicy> | null = null;

  const loadPatternEngine = async (): Promise<void> => {
    try {
      await Promise.race([
        send({ type: 'webmail/patternEngine' }),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timeout')), POLICY_TIMEOUT_MS),
        ),
      ]);
    } catch {
      // Not injected: the scan then reports the patterns as not run (the warning says the check
      // was incomplete when it shows), and the next policy refresh asks again.
    }
  };

  const loadPolicy = (): Promise<SendCheckPolicy> => {
    loading ??= (async () => {
      try {
        rawReply = await Promise.race([
          send({ type: 'webmail/policy' }),
          new Promise((_, reject) =>
            setTimeout(() => reject(noAnswerInTime(POLICY_TIMEOUT_MS)), POLICY_TIMEOUT_MS),
          ),
        ]);
      } catch (error) {
        // The service worker did not answer. No answer at all may be a lost registration, which a
        // hidden frame looks after; a worker registered again by a page then hears no message for
        // the rest of the browser session (lib/direct-line.ts). So: the policy the worker last
        // applied, read directly (lib/webmail-policy.ts); else the one in use; else the default
        // compose policy rather than none (every recipient then counts as outside; a false
        // warning beats a leak).
        lookAfterWorkerOnError(error);
        rawReply = (await appliedWebmailPolicy()) ?? (policy ? null : {});
      }
      if (rawReply !== null) {
        const next = sendCheckPolicy(rawReply);
        // School patterns need the pattern engine (not in this script: 151 KB most schools never
        // use). The policy is put in force only once the engine is here, so a Send meanwhile waits
        // for it (the interceptor holds the event) instead of skipping the patterns.
        if (needsPatternEngine(next.compose) && !patternEngine()) await loadPatternEngine();
        policy = next;
        loadedAt = Date.now();
      }
      loading = null;
      return policy ?? sendCheckPolicy({});
    })();
    return loading;
  };

  // The worker wrote the applied policy again (a policy change, or a worker registered again by a
  // page, whose messages the browser no longer delivers): load it now, not at the next refresh.
  followAppliedWebmailPolicy(ctx, () => void loadPolicy());

  // Interception must be in place before the page can send; the adapter is needed for it, and for
  // self-hosted webmail the adapter may depend on the policy reply, so ask first when the host
  // alone does not say.
  if (!HOSTED_SERVICES[location.hostname]) await loadPolicy();
  else void loadPolicy();
  if (ctx.isInvalid) return;
  const adapter = chooseAdapter(rawReply);
  if (!adapter) return;
  // Self-hosted webmail (policy webmailSites) gets the personal-mailbox label and the "Personal"
  // subject control here; the big services get them from the mailbox content script.
  if (!HOSTED_SERVICES[location.hostname]) void startMailbox(ctx, { adapter, schoolHosted: true });

  const reported = new Set<string>();
  const health = (problem: AdapterProblem) => {
    if (reported.has(problem)) return;
    reported.add(problem);
    void send({ type: 'webmail/health', service: adapter.service, problem }).catch(() => {});
  };

  interceptSends(ctx, {
    adapter,
    cachedPolicy() {
      if (policy && Date.now() - loadedAt > POLICY_REFRESH_MS) void loadPolicy();
      return policy;
    },
    loadPolicy,
    showWarning: (session) => void showWarningDialog(ctx, session),
    showDisclaimerReminder: (session) =>
      void showDisclaimerReminder(ctx, session, policy?.schoolName),
    report(events) {
      for (const event of events) void send({ type: 'report/count', event }).catch(() => {});
    },
    health,
    isOwnUi: isFromWarning,
    onChecked(check, readMs) {
      timing(() =>
        performance.measure('steward:send-check', {
          start: performance.now() - check.checkMs,
          duration: check.checkMs,
          detail: { readMs, action: check.decision.action, reused: check.reused },
        }),
      );
    },
  });

  // Warm up the scan while the page is idle, in small steps (lib/dlp/warm-up.ts): the first Send
  // otherwise pays for compiling the detectors' and the vocabulary's patterns (0.4–0.7 s of CPU
  // for a short message on a fast machine) while the member of staff waits. For one-byte text
  // when the page loads; for two-byte text too once a draft holds such characters (seen by the
  // health check below, which reads the compose window anyway), after the first has finished.
  const warmedUp = new Set<TextRepresentation>();
  let warmingUp: Promise<void> = Promise.resolve();
  const warmUp = (representation: TextRepresentation) => {
    if (warmedUp.has(representation)) return;
    warmedUp.add(representation);
    warmingUp = warmingUp.then(async () => {
      const p = await loadPolicy();
      if (p.compose.mode === 'off' || ctx.isInvalid) return;
      const started = performance.now();
      const check = (body: string) => {
        checkCompose(
          {
            recipients: { to: ['warm.up@example.com'], cc: [], bcc: [] },
            subject: 'Warm-up',
            body,
            attachmentNames: [],
          },
          p,
        );
      };
      await new Promise<void>((resolve) =>
        runWhileIdle(
          warmUpSteps(check, representation),
          (callback) => ctx.requestIdleCallback(callback),
          (outcome) => {
            if (outcome.failed) {
              console.warn(`[steward] send-check warm-up stopped: ${outcome.failed}`);
            }
            timing(() =>
              performance.mark('steward:warmed-up', {
                detail: { representation, ...outcome, elapsedMs: performance.now() - started },
              }),
            );
            resolve();
          },
          { stopped: () => ctx.isInvalid },
        ),
      );
    });
    // A warm-up is only ever a head start: whatever happens to one, the next still runs.
    warmingUp = warmingUp.catch(() => {});
  };
  warmUp('one-byte');

  // When typing pauses for a second, look at the drafts again (typing inside a line changes no
  // element, so the health check below, which watches elements come and go, may not run):
  // - a draft with a character beyond Latin-1 gets the two-byte warm-up now, not at the next
  //   element change;
  // - a long draft is read ahead while the page is idle (lib/dlp/scan-memo.ts): Send decides
  //   inside the click, and a 100 KB draft takes tens of milliseconds to scan (more on an old
  //   laptop); read ahead, Send finds the report of exactly that message ready. Any change after
  //   the read ahead is a different message, which Send scans afresh. After the warm-up.
  // (Editors in a frame of their own send no input event here: Send scans them.)
  let readAheadPending = false;
  const readAhead = () => {
    readAheadPending = false;
    const p = policy;
    if (!p || p.compose.mode === 'off' || ctx.isInvalid) return;
    for (const compose of adapter.findComposes(document)) {
      const read = snapshotOf(compose);
      if (!read.ok || read.snapshot.body.length < PRE_READ_MIN_CHARS) continue;
      const started = performance.now();
      const check = checkCompose(read.snapshot, p, { reuse: true });
      timing(() =>
        performance.mark('steward:pre-read', {
          detail: {
            chars: read.snapshot.body.length,
            ms: performance.now() - started,
            reused: check.reused,
          },
        }),
      );
    }
  };
  /**
   * One look at every draft: a character beyond Latin-1 starts the two-byte warm-up, a long draft
   * is read ahead once the warm-up is done and the page is idle (one read ahead waits at a time).
   * The health check also says which drafts cannot be read.
   */
  const lookAtDrafts = (reportProblems: boolean) => {
    if (ctx.isInvalid) return;
    const checking = policy?.compose.mode !== 'off';
    let long = false;
    for (const compose of adapter.findComposes(document)) {
      const read = snapshotOf(compose);
      if (!read.ok) {
        if (reportProblems) health(read.problem);
        continue;
      }
      if (!checking) continue;
      if (representationOf(read.snapshot.body) === 'two-byte') warmUp('two-byte');
      if (read.snapshot.body.length >= PRE_READ_MIN_CHARS) long = true;
    }
    if (long && !readAheadPending) {
      readAheadPending = true;
      void warmingUp.then(() => ctx.requestIdleCallback(readAhead));
    }
  };
  let pauseTimer: number | undefined;
  ctx.addEventListener(
    document,
    'input',
    () => {
      if (pauseTimer !== undefined) clearTimeout(pauseTimer);
      pauseTimer = ctx.setTimeout(() => {
        pauseTimer = undefined;
        lookAtDrafts(false);
      }, PRE_READ_PAUSE_MS);
    },
    { capture: true },
  );

  // Health: when compose windows appear, check that we can read them, and say so if not, before
  // anyone presses Send (a reply or a draft opened with a long text in it is read ahead too).
  // Throttled: webmail pages mutate constantly.
  let scheduled = false;
  const scan = () => {
    scheduled = false;
    lookAtDrafts(true);
  };
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    ctx.setTimeout(scan, HEALTH_SCAN_MS);
  });
  const start = () => {
    if (ctx.isInvalid) return;
    observer.observe(document.documentElement, { childList: true, subtree: true });
    scan();
  };
  if (document.readyState === 'loading') {
    ctx.addEventListener(document, 'DOMContentLoaded', start, { once: true });
  } else start();
  ctx.onInvalidated(() => observer.disconnect());
}
