/**
 * Mounts Steward's dialogs over the webmail, the send warning (components/SendWarning.tsx) and the
 * disclaimer reminder (components/DisclaimerReminder.tsx), in a shadow root, so the page's CSS
 * cannot restyle them and ours cannot leak into the page. CSS is inlined into the content script
 * (`?inline`) rather than fetched, so no stylesheet has to be web-accessible.
 */
import { type ComponentChild, h, render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { DisclaimerReminder } from '../components/DisclaimerReminder.tsx';
import { SendWarning } from '../components/SendWarning.tsx';
import styles from '../components/send-warning.css?inline';
import { personalLabelSuggestion, type WarningModel, warningModel } from '../lib/send-warning.ts';
import type { DisclaimerSession, WarningSession } from './interceptor.ts';

/** The custom element hosting the shadow root; events from inside are retargeted to it. */
export const WARNING_HOST = 'steward-send-warning';

export function isFromWarning(e: Event): boolean {
  return e.composedPath().some((n) => n instanceof Element && n.localName === WARNING_HOST);
}

/**
 * Mount one dialog. `content` gets `finish`, which wraps an action so the dialog is removed once,
 * before the action runs (a second click on a closing dialog does nothing).
 */
async function mountDialog(
  ctx: ContentScriptContext,
  content: (finish: (then: () => void) => () => void) => ComponentChild,
): Promise<void> {
  let done = false;
  const ui = await createShadowRootUi(ctx, {
    name: WARNING_HOST,
    position: 'modal',
    zIndex: 2147483647,
    css: styles,
    // Keys typed in the dialog must not reach the webmail's own shortcuts.
    isolateEvents: ['keydown', 'keyup', 'keypress', 'input'],
    onMount(container) {
      const finish = (then: () => void) => () => {
        if (done) return;
        done = true;
        ui.remove();
        then();
      };
      render(content(finish), container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
}

export async function showWarningDialog(
  ctx: ContentScriptContext,
  session: WarningSession,
): Promise<void> {
  await mountDialog(ctx, (finish) =>
    h(SendWarning, {
      model: warningModel(session.check.decision, session.snapshot.attachmentNames),
      ...(session.policy.schoolName ? { schoolName: session.policy.schoolName } : {}),
      incomplete: session.check.incomplete,
      secureRoute: session.policy.compose.secureRoute ?? null,
      disclaimer: session.disclaimer,
      onAddDisclaimer: () => session.addDisclaimer(),
      personalLabel: personalLabelSuggestion(session.snapshot, session.policy),
      onLabelPersonal: (label: string) => session.labelSubjectPersonal(label),
      onGoBack: finish(session.goBack),
      onSendAnyway: finish(session.sendAnyway),
      onSendNow: finish(session.sendNow),
      onRemove(address: string) {
        const ok = session.removeRecipient(address);
        const again = session.recheck();
        let model: WarningModel | null = null;
        if (again && again.check.decision.action !== 'send') {
          model = warningModel(again.check.decision, again.snapshot.attachmentNames);
        }
        if (!again) {
          // Unreadable after the change: keep the warning as it was rather than guess.
          model = warningModel(session.check.decision, session.snapshot.attachmentNames);
        }
        return { ok, model };
      },
    }),
  );
}

export async function showDisclaimerReminder(
  ctx: ContentScriptContext,
  session: DisclaimerSession,
  schoolName?: string,
): Promise<void> {
  await mountDialog(ctx, (finish) => {
    let closing = false;
    return h(DisclaimerReminder, {
      disclaimer: session.disclaimer,
      ...(schoolName ? { schoolName } : {}),
      onAddAndSend() {
        if (closing) return true;
        // Add first, with the dialog still open: if it cannot be added, the dialog says so.
        const added = session.addAndSend();
        if (added) {
          closing = true;
          finish(() => {})();
        }
        return added;
      },
      onSendWithout: finish(session.sendWithout),
      onGoBack: finish(session.goBack),
    });
  });
}
