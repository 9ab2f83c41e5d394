/**
 * The worker check a webmail page asks for (lib/worker-repair.ts, 'webmail page'): a hidden frame
 * that a webmail content script adds when its message to the worker got no answer. It is an
 * extension page, so it sees Steward's own worker registration (the content script cannot) and
 * registers the worker again if the browser has lost it, with the same two looks and the same
 * once-in-15-minutes limit as the block page, popup and options page.
 *
 * It reads nothing from the page around it or from its own address: a web page that frames it
 * (it is web-accessible, as the block page is) can only make it look, and it registers nothing
 * but Steward's own worker, and only when that is missing.
 */
import { checkWorkerRegistration } from '../../platform/worker-repair.ts';

void checkWorkerRegistration('webmail page');
