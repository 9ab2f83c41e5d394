/**
 * Service worker: wiring only. Listeners are registered synchronously at the top of main() (so a
 * woken worker sees the event that woke it); the work lives in platform/ and lib/.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { BLOCK_LIST_CATEGORY, explainUrl } from '../lib/compiler.ts';
import { hostOf } from '../lib/domains.ts';
import { reportedInstall } from '../lib/install-status.ts';
import {
  CONTENT_SCRIPT_MESSAGES,
  isStewardMessage,
  type StewardMessage,
  type StewardReply,
} from '../lib/messages.ts';
import {
  ACCESS_REQUEST_RETRY_ALARM,
  accessRequestsEnabled,
  accessRequestsState,
  checkAccessRequests,
  requestAccess,
  sendAccessRequests,
} from '../platform/access-requests.ts';
import {
  applyPolicy,
  BLOCK_PAGE_PATH,
  expireContinueGrants,
  forgetTab,
  grantContinue,
  setCategorySource,
  WARN_EXPIRY_ALARM,
} from '../platform/enforcement.ts';
import { readInstallStatus } from '../platform/install-status.ts';
import {
  addStatusPart,
  getReporter,
  REPORT_ALARM,
  REPORT_RETRY_ALARM,
  recordAdapterHealth,
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
import { blockPageInfo, effectivePolicy } from '../platform/storage.ts';
import { syncWebmailSites } from '../platform/webmail-sites.ts';

export default defineBackground({
  type: 'module',
  main() {
    setCategorySource(ruleListSource);
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
    });
    browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      if (!isStewardMessage(message) || sender.id !== browser.runtime.id) return undefined;
      const fromExtensionPage = sender.url?.startsWith(browser.runtime.getURL('/')) ?? false;
      if (!fromExtensionPage && !CONTENT_SCRIPT_MESSAGES.has(message.type)) return undefined;
      return handle(message, sender);
    });
  },
});

/** Start-up: the last good rules (policy + stored rule list) first, then the network. */
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

/** Which rule decides a navigation to `url`, from the rules in force. */
async function verdictFor(url: string) {
  // Navigation rules only: account-header rules change requests, they do not block them.
  const rules = (await browser.declarativeNetRequest.getDynamicRules()).filter(
    (r) => r.action.type !== 'modifyHeaders',
  );
  return explainUrl(rules as Parameters<typeof explainUrl>[0], url);
}

/** The report's category names are lower case; the school's own list is reported as "blocklist". */
const reportCategory = (category: string) =>
  category === BLOCK_LIST_CATEGORY ? 'blocklist' : category;

async function handle(
  message: StewardMessage,
  sender: { tab?: { id?: number }; url?: string },
): Promise<StewardReply[StewardMessage['type']]> {
  switch (message.type) {
    case 'blockPage/opened': {
      const outcome = message.mode === 'warn' ? 'warned' : 'blocked';
      await getReporter().count({
        kind: 'navigation',
        category: reportCategory(message.category),
        outcome,
      });
      return { ok: true };
    }
    case 'blockPage/continue': {
      const tabId = sender.tab?.id;
      if (tabId === undefined || !sender.url?.startsWith(browser.runtime.getURL(BLOCK_PAGE_PATH))) {
        return { ok: false, reason: 'Continue is only possible from a warning page in a tab.' };
      }
      const { warnContinueMinutes } = await blockPageInfo.getValue();
      await grantContinue(tabId, message.host, warnContinueMinutes);
      await getReporter().count({
        kind: 'navigation',
        category: reportCategory(message.category),
        outcome: 'continued',
      });
      return { ok: true };
    }
    case 'blockPage/requestAccess': {
      if (!sender.url?.startsWith(browser.runtime.getURL(BLOCK_PAGE_PATH))) {
        return {
          ok: false,
          reason: 'not_block_page',
          message: 'Access can be asked for from the block page only.',
        };
      }
      // The page only says which URL; what is blocked, and by which category, the worker decides.
      const verdict = await verdictFor(message.url);
      const site = hostOf(message.url)?.toLowerCase();
      if (!site || verdict.outcome === 'allowed' || !('source' in verdict)) {
        return {
          ok: false,
          reason: 'not_blocked',
          message: 'Steward does not block this address, so there is nothing to ask for.',
        };
      }
      return requestAccess({
        site,
        category: reportCategory(verdict.source),
        reason: message.reason,
      });
    }
    case 'accessRequests/state': {
      const policy = await effectivePolicy.getValue();
      const state = message.check ? await checkAccessOutcomes(true) : await accessRequestsState();
      return { enabled: await accessRequestsEnabled(), identity: policy.reportIdentity, state };
    }
    case 'options/testUrl':
      return verdictFor(message.url);
    case 'options/refreshRuleList':
      return refreshRuleList(applyPolicy);
    case 'popup/refreshPolicy':
      await afterPolicy('requested from the popup');
      return { ok: true };
    case 'options/sendReportsNow':
      return sendReportsNow();
    case 'options/reportingState':
      return reportingState();
    case 'report/count': {
      const result = await getReporter().count(message.event);
      return { ok: result.ok };
    }
    case 'webmail/health':
      await recordAdapterHealth(message.service, message.problem);
      return { ok: true };
    case 'webmail/policy': {
      const policy = await effectivePolicy.getValue();
      return {
        orgDomains: policy.orgDomains,
        webmailSites: policy.webmailSites,
        compose: policy.compose,
        mailbox: policy.mailbox,
        ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
      };
    }
  }
}
