/**
 * Service worker: wiring only. Listeners are registered synchronously at the top of main() (so a
 * woken worker sees the event that woke it); the work lives in platform/ and lib/.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { isAdapterProblem, isWebmailService } from '../lib/adapter-health.ts';
import { explainUrl } from '../lib/compiler.ts';
import { reportedInstall } from '../lib/install-status.ts';
import {
  CONTENT_SCRIPT_MESSAGES,
  isStewardMessage,
  type StewardMessage,
  type StewardReply,
} from '../lib/messages.ts';
import { detailEventFor, reportCategory } from '../lib/report/detail-event.ts';
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
      if (alarm.name === RULE_LIST_ALARM) void refreshRuleList(applyPolicy);
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

/** Navigation rules only: account-header rules change requests, they do not block them. */
async function navigationRules(): Promise<Parameters<typeof explainUrl>[0]> {
  const rules = await browser.declarativeNetRequest.getDynamicRules();
  return rules.filter((r) => r.action.type !== 'modifyHeaders') as Parameters<typeof explainUrl>[0];
}

/**
 * A detailed event for a block page that opened (only when the policy asks for events): the
 * verdict and category come from the rules in force, not from the page.
 */
async function recordDetailEvent(url: unknown): Promise<void> {
  if (typeof url !== 'string' || url.length > 8192) return;
  const { reportDetail } = await effectivePolicy.getValue();
  if (reportDetail !== 'events') return;
  const event = detailEventFor(explainUrl(await navigationRules(), url), url);
  if (event) await getReporter().recordEvent(event);
}

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
      if (sender.url?.startsWith(browser.runtime.getURL(BLOCK_PAGE_PATH))) {
        await recordDetailEvent(message.url).catch((e) => console.warn('[steward] event', e));
      }
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
    case 'options/testUrl': {
      return explainUrl(await navigationRules(), message.url);
    }
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
      // From a web page's content script: only a known service and code are recorded.
      if (isWebmailService(message.service) && isAdapterProblem(message.problem)) {
        await recordAdapterHealth(message.service, message.problem);
      }
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
