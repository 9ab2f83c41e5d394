/**
 * Service worker: wiring only. Listeners are registered synchronously at the top of main() (so a
 * woken worker sees the event that woke it); the work lives in platform/ and lib/.
 *
 * Every start reconciles (not only install and browser start-up): Chrome stops workers when it
 * likes, and an install whose worker was stopped mid-update must heal at the next wake-up. The
 * reconcile alarm wakes the worker at least once a minute.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { answerOnDirectLine } from '../lib/direct-line.ts';
import { patternEngineTarget } from '../lib/dlp/pattern-engine-request.ts';
import { reportedInstall } from '../lib/install-status.ts';
import { classifySender, dispatch, type Handlers, type SenderFacts } from '../lib/messages.ts';
import { detailEventOf, reportCategory } from '../lib/report/detail-event.ts';
import { webmailPolicyOf } from '../lib/webmail-policy.ts';
import {
  ACCESS_REQUEST_RETRY_ALARM,
  accessRequestsEnabled,
  accessRequestsState,
  checkAccessRequests,
  requestAccess,
  sendAccessRequests,
} from '../platform/access-requests.ts';
import { onTestClockSet } from '../platform/clock.ts';
import {
  DOWNLOAD_PAGE_PATH,
  downloadAnyway,
  stoppedDetails,
  watchDownloads,
} from '../platform/downloads.ts';
import {
  applyPolicy,
  BLOCK_PAGE_PATH,
  blockPageCount,
  blockPageVerdict,
  continueWarned,
  expireContinueGrants,
  forgetTab,
  noteTopFrameNavigation,
  PERSONAL_USE_ALARM,
  RECONCILE_ALARM,
  scheduleReconcile,
  setCategorySource,
  setVerdictStore,
  testUrl,
  WARN_EXPIRY_ALARM,
} from '../platform/enforcement.ts';
import { readInstallStatus } from '../platform/install-status.ts';
import {
  addStatusPart,
  getReporter,
  REPORT_ALARM,
  REPORT_RETRY_ALARM,
  recordAdapterHealth,
  recordHeardLate,
  recordRestartNeeded,
  recordWorkerRepair,
  reportingState,
  scheduleReports,
  sendReportsNow,
  uploadReports,
} from '../platform/reporting.ts';
import {
  RULE_LIST_ALARM,
  refreshRuleList,
  ruleListReportStatus,
  ruleListSource,
  ruleListStatus,
  scheduleRuleList,
} from '../platform/rule-list.ts';
import { effectivePolicy } from '../platform/storage.ts';
import { indexedDbVerdictStore } from '../platform/verdict-index.ts';
import { syncWebmailSites } from '../platform/webmail-sites.ts';
import { checkWorkerHearsBrowser } from '../platform/worker-hearing.ts';

export default defineBackground({
  type: 'module',
  main() {
    // Whether the browser still delivers this worker its events (lib/direct-line.ts); the school
    // is told how often it did not, and how often a page registered the worker again.
    checkWorkerHearsBrowser({
      unheard: (alreadyKnown) => void recordRestartNeeded(alreadyKnown),
      heardLate: () => void recordHeardLate(),
    });
    void recordWorkerRepair();
    setCategorySource(ruleListSource);
    // "Test a site", the block page and Continue read a few records, not every rule.
    setVerdictStore(indexedDbVerdictStore());
    addStatusPart(ruleListReportStatus);
    addStatusPart(async () => ({ install: reportedInstall(await readInstallStatus()) }));
    browser.runtime.onInstalled.addListener(() => void start('installed'));
    browser.runtime.onStartup.addListener(() => void start('browser start-up'));
    browser.storage.onChanged.addListener((_changes, area) => {
      if (area === 'managed') void afterPolicy('managed policy changed');
    });
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === WARN_EXPIRY_ALARM) void expireContinueGrants();
      if (alarm.name === REPORT_ALARM || alarm.name === REPORT_RETRY_ALARM) void uploadReports();
      if (alarm.name === RULE_LIST_ALARM) {
        void refreshRuleList(applyPolicy).then(() => checkAccessOutcomes());
      }
      if (alarm.name === ACCESS_REQUEST_RETRY_ALARM) void sendAccessRequests();
      // A personal-use window opens or closes: reconcile now, whether or not the worker was awake.
      if (alarm.name === PERSONAL_USE_ALARM) void applyPolicy('personal-use window boundary');
      // RECONCILE_ALARM: waking the worker is the point; the reconcile below runs at every start.
    });
    browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
    // The e2e build only (platform/clock.ts): a spec moved the worker's clock.
    onTestClockSet(() => void applyPolicy('test clock set'));
    // A block page is counted only after the worker saw its tab start that navigation; this also
    // wakes a stopped worker at the first navigation, and every start reconciles.
    browser.webNavigation.onBeforeNavigate.addListener((details) => {
      if (details.frameId === 0) void noteTopFrameNavigation(details.tabId, details.url);
    });
    watchDownloads();
    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      const routed = route(message, sender);
      if (routed === null) return undefined;
      if ('refused' in routed) {
        console.warn(`[steward] message refused: ${routed.refused}`);
        return undefined;
      }
      return routed;
    });
    listenOnDirectLine();

    // Every worker start: the alarm first (so the worker is woken again even if it is stopped
    // during the update), then the rules. Created at once, not after a look-up: a worker stopped
    // 0.3 s after install may never get further than this line.
    scheduleReconcile();
    void applyPolicy(`service worker start (${RECONCILE_ALARM} every minute)`).catch((e) =>
      console.error('[steward] reconcile', e),
    );
  },
});

/** Check who is asking from the browser's facts and run the message's handler. */
function route(message: unknown, sender: SenderFacts) {
  const kinds = classifySender(sender, {
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    blockPageUrl: browser.runtime.getURL(BLOCK_PAGE_PATH),
    downloadPageUrl: browser.runtime.getURL(DOWNLOAD_PAGE_PATH),
  });
  return dispatch(handlers, message, kinds, sender);
}

/**
 * The worker's direct line (lib/direct-line.ts): Steward's own pages post here when the browser's
 * messaging does not deliver (after a lost registration was registered again). Only a page of
 * Steward's origin can post to this worker; the browser says which page (`event.source`).
 */
function listenOnDirectLine(): void {
  type DirectLineEvent = {
    data: unknown;
    origin: string;
    ports: readonly MessagePort[];
    source: unknown;
    waitUntil(done: Promise<unknown>): void;
  };
  const scope = globalThis as unknown as {
    addEventListener?(type: 'message', listener: (event: DirectLineEvent) => void): void;
  };
  const ourOrigin = new URL(browser.runtime.getURL('/')).origin;
  // Firefox's event page is a window with no such line: nothing to listen to there.
  if (!('ServiceWorkerGlobalScope' in globalThis) || !scope.addEventListener) return;
  scope.addEventListener('message', (event) => {
    const port = event.ports[0];
    const client = event.source as { url?: unknown; frameType?: unknown; type?: unknown } | null;
    if (!port || event.origin !== ourOrigin || client?.type !== 'window') return;
    if (typeof client.url !== 'string' || typeof client.frameType !== 'string') return;
    const { url, frameType } = client;
    event.waitUntil(
      answerOnDirectLine(event.data, { url, frameType }, browser.runtime.id, route).then((answer) =>
        port.postMessage(answer),
      ),
    );
  });
}

/** Install and browser start-up: the rules (already reconciling), then the network. */
async function start(reason: string): Promise<void> {
  const done = await afterPolicy(reason);
  // Each at most once per start: afterPolicy already did them if the policy's URLs changed.
  if (!done.ruleListChecked) await refreshRuleList(applyPolicy);
  if (!done.reportsSent) await uploadReports();
  await checkAccessOutcomes();
}

/** Send waiting access requests and learn their outcomes; never throws. */
function checkAccessOutcomes(force = false) {
  return checkAccessRequests(
    () => refreshRuleList(applyPolicy),
    async () => (await ruleListStatus.getValue()).version,
    force,
  ).catch((error) => {
    console.warn('[steward] access requests', error);
    return accessRequestsState();
  });
}

/** Apply the policy and bring what depends on it in step; says what it already did. */
async function afterPolicy(
  reason: string,
): Promise<{ ruleListChecked: boolean; reportsSent: boolean }> {
  const before = await effectivePolicy.getValue();
  await applyPolicy(reason);
  const policy = await effectivePolicy.getValue();
  await Promise.all([
    syncWebmailSites(policy.webmailSites).catch((e) => console.warn('[steward] webmail sites', e)),
    scheduleReports(),
    scheduleRuleList(policy),
  ]);
  const ruleListChecked =
    before.ruleListUrl !== policy.ruleListUrl ||
    before.ruleListPublicKey !== policy.ruleListPublicKey;
  if (ruleListChecked) await refreshRuleList(applyPolicy);
  const reportsSent =
    before.reportUrl !== policy.reportUrl || before.reportToken !== policy.reportToken;
  if (reportsSent) {
    await getReporter().retryRejected();
    await uploadReports();
  }
  return { ruleListChecked, reportsSent };
}

/** One handler per message; lib/messages.ts says who may send each (checked before these run). */
/** The school's pattern engine, injected into webmail frames only when the policy has patterns. */
const PATTERN_ENGINE_SCRIPT = '/content-scripts/pattern-engine.js';

const handlers: Handlers<SenderFacts> = {
  'blockPage/verdict': (m) => blockPageVerdict(m.url),
  'blockPage/opened': async (m, sender) => {
    const counted = await blockPageCount(sender.tab!.id!, m.url);
    if (!counted) return { counted: false };
    await getReporter().count({
      kind: 'navigation',
      category: reportCategory(counted.category),
      outcome: counted.outcome,
    });
    // A detailed event only where the policy asks for one (reportDetail "events"): the category
    // and outcome are the rules' verdict above, and only the URL's registrable domain is kept.
    if ((await effectivePolicy.getValue()).reportDetail === 'events') {
      const event = detailEventOf(counted.category, counted.outcome, m.url);
      if (event) await getReporter().recordEvent(event);
    }
    return { counted: true };
  },
  'blockPage/continue': async (m, sender) => {
    const reply = await continueWarned(sender.tab!.id!, m.url);
    if (!reply.ok) return reply;
    await getReporter().count({
      kind: 'navigation',
      category: reportCategory(reply.category ?? 'other'),
      outcome: 'continued',
    });
    return { ok: true, url: reply.url };
  },
  // The download page holds only the token; the worker looks everything up and decides.
  'downloadPage/details': (m) => stoppedDetails(m.token),
  'downloadPage/downloadAnyway': (m) => downloadAnyway(m.token),
  'blockPage/requestAccess': async (m) => {
    // The page only says which URL; what is blocked, and by which category, the worker decides.
    const verdict = await blockPageVerdict(m.url);
    if ((verdict.outcome !== 'blocked' && verdict.outcome !== 'warned') || !verdict.host) {
      return {
        ok: false,
        reason: 'not_blocked',
        message: 'Steward does not block this address, so there is nothing to ask for.',
      };
    }
    // A locked list (IWF/CTIRU-style) is not the school's to open: an approval could never take
    // effect, so no request is sent, whatever the page asks.
    if (verdict.outcome === 'blocked' && verdict.locked) {
      return {
        ok: false,
        reason: 'locked',
        message:
          "This site is on a list your school's filtering provider sets. It cannot be unlocked in school, so there is no access to ask for.",
      };
    }
    return requestAccess({
      site: verdict.host.toLowerCase(),
      category: reportCategory(verdict.category),
      reason: m.reason,
    });
  },
  'accessRequests/state': async (m) => {
    const policy = await effectivePolicy.getValue();
    const state = m.check ? await checkAccessOutcomes(true) : await accessRequestsState();
    return { enabled: await accessRequestsEnabled(), identity: policy.reportIdentity, state };
  },
  'options/testUrl': (m) => testUrl(m.url),
  'options/refreshRuleList': () => refreshRuleList(applyPolicy),
  'options/sendReportsNow': () => sendReportsNow(),
  'options/reportingState': () => reportingState(),
  'report/count': async (m) => {
    const result = await getReporter().count(m.event);
    return { ok: result.ok };
  },
  'webmail/health': async (m) => {
    // Only a known service and code get here (MESSAGES' check in lib/messages.ts).
    await recordAdapterHealth(m.service, m.problem);
    return { ok: true };
  },
  'webmail/patternEngine': async (_m, sender) => {
    // Only into the asking frame, and only when the policy in force has patterns
    // (lib/dlp/pattern-engine-request.ts).
    const policy = await effectivePolicy.getValue();
    const target = patternEngineTarget(policy.compose, sender);
    if (!target.inject) return { ok: false, reason: target.reason };
    try {
      await browser.scripting.executeScript({
        target: { tabId: target.tabId, frameIds: [target.frameId] },
        files: [PATTERN_ENGINE_SCRIPT],
      });
      return { ok: true };
    } catch (e) {
      console.warn('[steward] pattern engine not injected', e);
      return { ok: false, reason: 'failed' as const };
    }
  },
  'webmail/policy': async () => webmailPolicyOf(await effectivePolicy.getValue()),
};
