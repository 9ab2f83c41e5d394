/**
 * The school's pattern engine (re2js, RE2 in linear time) for the webmail content scripts. Not in
 * the manifest and not registered for any site: the service worker injects this file
 * (content-scripts/pattern-engine.js) into one webmail frame's isolated world, and only when the
 * policy has `compose.customPatterns` (`webmail/patternEngine`). Importing the module registers
 * the engine where `lib/dlp/scan.ts` finds it; the email text never leaves the page.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import '../../lib/dlp/custom-patterns.ts';

export default defineContentScript({
  registration: 'runtime',
  main: () => {},
});
