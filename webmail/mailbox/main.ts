/**
 * Personal mailboxes in the page (issue 6): decide which mailbox this is, label a personal one (or
 * cover it, when policy says block), and give school mailboxes the "Personal" subject control.
 * Runs from the mailbox content script (consumer webmail, Gmail, Outlook) and from the self-hosted
 * webmail script (policy `webmailSites`, via webmail/main.ts).
 *
 * Webmails are single-page apps: the account shows up in the title only after loading, and
 * staff move between accounts and views without a page load. So the verdict is re-taken when the
 * title changes, on WXT's `wxt:locationchange`, when the page's DOM changes (throttled) and every
 * few seconds as a backstop. Reading is cheap (the title, a few selectors).
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { classifyMailbox, type MailboxVerdict } from '../../lib/mailbox/classify.ts';
import {
  DEFAULT_MAILBOX_POLICY,
  type MailboxPolicy,
  resolveMailboxPolicy,
} from '../../lib/mailbox/policy.ts';
import type { MessageFrom } from '../../lib/messages.ts';
import { noAnswerInTime } from '../../lib/worker-repair.ts';
import type { WebmailAdapter, WebmailService } from '../adapter.ts';
import { gmail } from '../adapters/gmail.ts';
import { OUTLOOK_HOSTS, outlook } from '../adapters/outlook.ts';
import { yahoo } from '../adapters/yahoo.ts';
import { appliedWebmailPolicy, followAppliedWebmailPolicy } from '../applied-policy.ts';
import { lookAfterWorkerOnError } from '../worker-check-frame.ts';
import { type AccountService, signedInAccount } from './account.ts';
import { PersonalLabelUi } from './label-ui.ts';
import { attachPersonalControls, detachPersonalControls } from './personal-control.ts';

/** DOM changes are looked at no more often than this. */
const MUTATION_THROTTLE_MS = 400;
/** Backstop re-check (title and SPA changes are caught sooner). */
const BACKSTOP_MS = 3_000;
/** A shared host whose account is still unreadable after this long gets a health signal. */
const UNREAD_HEALTH_MS = 15_000;
const POLICY_REFRESH_MS = 5 * 60_000;
/** No answer to an ask for the policy in this long asks for the worker check. */
const POLICY_ANSWER_MS = 3_000;

export type MailboxOptions = {
  /** The send-warning adapter for this page, when there is one (compose control needs it). */
  adapter?: WebmailAdapter | null;
  /** The page is webmail the school hosts (policy `webmailSites`). */
  schoolHosted?: boolean;
};

type PolicyReply = { orgDomains: string[]; mailbox: MailboxPolicy; schoolName?: string };

/** An answer to `webmail/policy` (from the worker or the applied policy) as the mailbox uses it. */
function policyReplyOf(reply: unknown): PolicyReply | null {
  if (!reply || typeof reply !== 'object') return null;
  const r = reply as { orgDomains?: unknown; mailbox?: unknown; schoolName?: unknown };
  const orgDomains = Array.isArray(r.orgDomains)
    ? r.orgDomains.filter((d): d is string => typeof d === 'string')
    : [];
  return {
    orgDomains,
    mailbox: resolveMailboxPolicy(r.mailbox).policy,
    ...(typeof r.schoolName === 'string' ? { schoolName: r.schoolName } : {}),
  };
}

const NO_ANSWER = Symbol('no answer');

async function fetchPolicy(): Promise<PolicyReply | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // A content script's message to a worker whose registration the browser lost neither
      // answers nor fails (lib/worker-repair.ts): no answer in a few seconds asks for the hidden
      // worker check. A worker registered again by a page hears no message for the rest of the
      // browser session (lib/direct-line.ts), so the mailbox then reads the policy the worker last
      // applied itself (lib/webmail-policy.ts); with none stored yet it waits for the answer as
      // before (a slow worker still answers), and follows the stored policy meanwhile.
      const noAnswer = setTimeout(
        () => lookAfterWorkerOnError(noAnswerInTime(POLICY_ANSWER_MS)),
        POLICY_ANSWER_MS,
      );
      const asked = browser.runtime
        .sendMessage({ type: 'webmail/policy' } satisfies MessageFrom<'content script'>)
        .finally(() => clearTimeout(noAnswer));
      let reply: unknown = await Promise.race([
        asked,
        new Promise((resolve) => setTimeout(() => resolve(NO_ANSWER), POLICY_ANSWER_MS)),
      ]);
      if (reply === NO_ANSWER) {
        const applied = policyReplyOf(await appliedWebmailPolicy());
        if (applied) return applied;
        reply = await asked;
      }
      const answered = policyReplyOf(reply);
      if (answered) return answered;
    } catch (error) {
      // The service worker was starting: try again shortly. Nobody there at all: the browser may
      // have lost its registration, which a hidden worker-check frame repairs.
      lookAfterWorkerOnError(error);
    }
    await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
  }
  return null;
}

/** The adapter and account reader for the big services, by host. */
export function hostedService(hostname: string): {
  adapter: WebmailAdapter | null;
  account: AccountService;
} {
  if (hostname === 'mail.google.com') return { adapter: gmail, account: 'gmail' };
  if (OUTLOOK_HOSTS.includes(hostname)) return { adapter: outlook, account: 'outlook' };
  if (hostname === 'mail.yahoo.com') return { adapter: yahoo, account: 'consumer' };
  return { adapter: null, account: 'consumer' };
}

export async function startMailbox(
  ctx: ContentScriptContext,
  options: MailboxOptions = {},
): Promise<void> {
  const hosted = hostedService(location.hostname);
  const adapter = options.adapter ?? hosted.adapter;
  const accountService: AccountService = options.schoolHosted
    ? ((adapter?.service as WebmailService | undefined) ?? 'roundcube')
    : hosted.account;

  // Until the policy arrives: default mailbox settings and no orgDomains, so a consumer host or a
  // gmail.com account is labelled at once; a school account is only "unknown" for that moment.
  let policy: PolicyReply = { orgDomains: [], mailbox: DEFAULT_MAILBOX_POLICY };
  let policyLoaded = false;
  const label = new PersonalLabelUi(ctx);
  let verdict: MailboxVerdict | null = null;
  const startedAt = Date.now();
  let unreadReported = false;

  const evaluate = () => {
    if (ctx.isInvalid) return;
    const account = signedInAccount(accountService, document);
    verdict = classifyMailbox({
      hostname: location.hostname,
      pathname: location.pathname,
      account,
      schoolHosted: options.schoolHosted === true,
      orgDomains: policy.orgDomains,
    });
    if (verdict.kind === 'personal') {
      void label.show({
        mode: policy.mailbox.personalWebmail,
        reminder: policy.mailbox.labelText,
        ...(verdict.account ? { account: verdict.account } : {}),
        ...(policy.schoolName ? { schoolName: policy.schoolName } : {}),
      });
      detachPersonalControls(document);
    } else {
      if (label.shown) label.hide();
      if (adapter && policyLoaded && document.body) {
        attachPersonalControls(adapter, document, () => policy.mailbox.subjectLabel);
      }
    }
    if (
      verdict.reason === 'account-unread' &&
      policyLoaded &&
      !unreadReported &&
      Date.now() - startedAt > UNREAD_HEALTH_MS &&
      adapter
    ) {
      unreadReported = true;
      void browser.runtime
        .sendMessage({
          type: 'webmail/health',
          service: adapter.service,
          problem: 'account_unreadable',
        } satisfies MessageFrom<'content script'>)
        .catch(() => {});
    }
    document.documentElement.dataset.stewardMailbox = verdict.kind;
  };

  const load = async () => {
    const reply = await fetchPolicy();
    if (reply) {
      policy = reply;
      policyLoaded = true;
    }
    evaluate();
  };

  let scheduled = false;
  const schedule = () => {
    if (scheduled || ctx.isInvalid) return;
    scheduled = true;
    ctx.setTimeout(() => {
      scheduled = false;
      evaluate();
    }, MUTATION_THROTTLE_MS);
  };
  const observer = new MutationObserver(schedule);
  const titleObserver = new MutationObserver(() => evaluate());
  const watchTitle = () => {
    const head = document.head ?? document.documentElement;
    titleObserver.observe(head, { childList: true, subtree: true, characterData: true });
  };

  const start = () => {
    if (ctx.isInvalid) return;
    watchTitle();
    observer.observe(document.body ?? document.documentElement, { childList: true, subtree: true });
    evaluate();
  };
  ctx.addEventListener(window, 'wxt:locationchange', () => evaluate());
  ctx.setInterval(evaluate, BACKSTOP_MS);
  ctx.setInterval(() => void load(), POLICY_REFRESH_MS);
  // The worker writes the applied policy again: a policy change, or a worker registered again by a
  // page that applies the school's policy while this page waits for an answer it will not get.
  followAppliedWebmailPolicy(ctx, (applied) => {
    const next = policyReplyOf(applied);
    if (!next) return;
    policy = next;
    policyLoaded = true;
    evaluate();
  });
  ctx.onInvalidated(() => {
    observer.disconnect();
    titleObserver.disconnect();
    label.hide();
    detachPersonalControls(document);
  });
  if (document.readyState === 'loading') {
    ctx.addEventListener(document, 'DOMContentLoaded', start, { once: true });
  } else start();
  await load();
}
