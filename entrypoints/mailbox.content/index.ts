/**
 * Personal-mailbox labels and the "Personal" subject control (issue 6) on the big webmail services
 * and consumer webmail. Thin: everything is in webmail/mailbox/main.ts. Self-hosted webmail
 * (policy `webmailSites`) gets the same code from the webmail-sites script.
 *
 * The consumer hosts here are the ones lib/mailbox/classify.ts knows; a host added there must be
 * added here too (tests/unit/mailbox/matches.test.ts checks).
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startMailbox } from '../../webmail/mailbox/main.ts';
import { MAILBOX_MATCHES } from '../../webmail/mailbox/matches.ts';

export default defineContentScript({
  matches: MAILBOX_MATCHES,
  runAt: 'document_idle',
  // The label's CSS is inlined into its shadow root (webmail/mailbox/label-ui.ts).
  cssInjectionMode: 'manual',
  main: (ctx) => startMailbox(ctx),
});
