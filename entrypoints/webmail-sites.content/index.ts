/**
 * Send warnings on self-hosted webmail named in policy `webmailSites` (e.g. a school's
 * Roundcube). Not in the manifest: the service worker registers this file
 * (content-scripts/webmail-sites.js) for exactly those hosts with
 * `browser.scripting.registerContentScripts`. Same code as the manifest script.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { main } from '../../webmail/main.ts';

export default defineContentScript({
  registration: 'runtime',
  cssInjectionMode: 'manual',
  main: (ctx) => main(ctx),
});
