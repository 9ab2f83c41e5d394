/**
 * Service worker: wiring only. Listeners are registered synchronously at the top of main() (so a
 * woken worker sees the event that woke it); the work lives in platform/ and lib/.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { explainUrl } from '../lib/compiler.ts';
import { isStewardMessage, type StewardMessage, type StewardReply } from '../lib/messages.ts';
import {
  applyPolicy,
  BLOCK_PAGE_PATH,
  expireContinueGrants,
  forgetTab,
  grantContinue,
  WARN_EXPIRY_ALARM,
} from '../platform/enforcement.ts';
import { blockPageInfo } from '../platform/storage.ts';

export default defineBackground({
  type: 'module',
  main() {
    browser.runtime.onInstalled.addListener(() => void applyPolicy('installed'));
    browser.runtime.onStartup.addListener(() => void applyPolicy('browser start-up'));
    browser.storage.onChanged.addListener((_changes, area) => {
      if (area === 'managed') void applyPolicy('managed policy changed');
    });
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === WARN_EXPIRY_ALARM) void expireContinueGrants();
    });
    browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
    browser.runtime.onMessage.addListener((message: unknown, sender) => {
      if (!isStewardMessage(message)) return undefined;
      if (
        sender.id !== browser.runtime.id ||
        !sender.url?.startsWith(browser.runtime.getURL('/'))
      ) {
        return undefined;
      }
      return handle(message, sender);
    });
  },
});

async function handle(
  message: StewardMessage,
  sender: { tab?: { id?: number }; url?: string },
): Promise<StewardReply[StewardMessage['type']]> {
  switch (message.type) {
    case 'blockPage/opened':
      return { ok: true };
    case 'blockPage/continue': {
      const tabId = sender.tab?.id;
      if (tabId === undefined || !sender.url?.startsWith(browser.runtime.getURL(BLOCK_PAGE_PATH))) {
        return { ok: false, reason: 'Continue is only possible from a warning page in a tab.' };
      }
      const { warnContinueMinutes } = await blockPageInfo.getValue();
      await grantContinue(tabId, message.host, warnContinueMinutes);
      return { ok: true };
    }
    case 'options/testUrl': {
      const rules = await browser.declarativeNetRequest.getDynamicRules();
      return explainUrl(rules as Parameters<typeof explainUrl>[0], message.url);
    }
    case 'popup/refreshPolicy':
      await applyPolicy('requested from the popup');
      return { ok: true };
  }
}
