/**
 * A webmail page's part in repairing a lost worker registration (lib/worker-repair.ts): when a
 * message to the worker got no answer, the page frames Steward's hidden worker-check page,
 * which looks and, if the registration is lost, registers the worker again. Staff open webmail
 * first thing in the morning, often before any page of Steward's that would otherwise repair it;
 * until then a lost install has only the built-in default ruleset (no school rules, no reporting).
 *
 * Once a page load, whatever its scripts ask: the frame's own checks are the limit on repairs.
 */
import { browser } from 'wxt/browser';
import { isNoWorkerError, WORKER_CHECK_FRAME_MS } from '../lib/worker-repair.ts';

let framed = false;

/**
 * Call with the error of any failed message to the worker; acts only when no worker may be there
 * (`isNoWorkerError`: no answer in the script's limit, or nobody to receive it).
 */
export function lookAfterWorkerOnError(error: unknown): void {
  if (framed || !isNoWorkerError(error)) return;
  framed = true;
  try {
    const src = browser.runtime.getURL('/worker-check.html');
    // The send-warning and mailbox scripts both run on the big webmail services: one frame a page.
    for (const existing of document.querySelectorAll('iframe')) if (existing.src === src) return;
    const frame = document.createElement('iframe');
    frame.src = src;
    // Nothing to see or reach: hidden from sight, from assistive technology and from Tab.
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.setAttribute('aria-hidden', 'true');
    frame.style.display = 'none';
    (document.body ?? document.documentElement).append(frame);
    setTimeout(() => frame.remove(), WORKER_CHECK_FRAME_MS);
  } catch {
    // A page that will not take the frame: the block page, popup and options page still repair.
  }
}
