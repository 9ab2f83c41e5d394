/**
 * Send warnings on the big webmail services (issue 5). Thin: everything is in webmail/main.ts.
 * Runs at document_start so that its capture-phase listeners are on the window before the
 * webmail's own; the adapters read the DOM only when someone presses Send.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { main } from '../../webmail/main.ts';

export default defineContentScript({
  matches: [
    'https://mail.google.com/*',
    'https://outlook.office.com/*',
    'https://outlook.office365.com/*',
    'https://outlook.live.com/*',
    'https://mail.yahoo.com/*',
  ],
  runAt: 'document_start',
  // The warning's CSS is inlined into its shadow root (webmail/warning-ui.ts).
  cssInjectionMode: 'manual',
  main: (ctx) => main(ctx),
});
