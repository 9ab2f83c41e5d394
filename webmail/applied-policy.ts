/**
 * The policy the service worker last applied, read by a webmail content script itself when the
 * worker does not answer (lib/webmail-policy.ts says when and why), and followed as the worker
 * writes it again: a worker registered again by a page applies the school's policy a few seconds
 * after the page opened, and a policy change reaches an open webmail tab the same way.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { WebmailPolicy } from '../lib/messages.ts';
import { EFFECTIVE_POLICY_KEY, webmailPolicyFromStored } from '../lib/webmail-policy.ts';

/** The applied policy's webmail part, or null when none is stored or storage cannot be read. */
export async function appliedWebmailPolicy(): Promise<WebmailPolicy | null> {
  try {
    const stored = await browser.storage.local.get(EFFECTIVE_POLICY_KEY);
    return webmailPolicyFromStored(stored[EFFECTIVE_POLICY_KEY]);
  } catch {
    return null;
  }
}

/** Calls `changed` each time the worker writes the applied policy, until the script is stopped. */
export function followAppliedWebmailPolicy(
  ctx: ContentScriptContext,
  changed: (policy: WebmailPolicy) => void,
): void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area !== 'local' || !(EFFECTIVE_POLICY_KEY in changes) || ctx.isInvalid) return;
    const policy = webmailPolicyFromStored(changes[EFFECTIVE_POLICY_KEY]?.newValue);
    if (policy) changed(policy);
  };
  try {
    browser.storage.onChanged.addListener(listener);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(listener));
  } catch {
    // No storage events in this frame: the answers from the worker are all it gets.
  }
}
