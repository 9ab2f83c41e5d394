/**
 * The subject field of a compose window, per service (the send-warning adapters read the subject
 * but do not expose the field), and writing it the way typing would, so the webmail's own state
 * (React in Outlook and Yahoo, Closure in Gmail, Roundcube's form) notices.
 */
import type { WebmailService } from '../adapter.ts';

const SUBJECT: Record<WebmailService, string> = {
  gmail: 'input[name="subjectbox"]',
  outlook: 'input[aria-label="Add a subject"], input[aria-label="Subject"]',
  yahoo: 'input[data-test-id="compose-subject"], input#message-subject-field',
  roundcube: 'input#compose-subject',
};

export function subjectField(
  service: WebmailService,
  composeRoot: Element,
): HTMLInputElement | null {
  const el = composeRoot.querySelector(SUBJECT[service]);
  return el instanceof HTMLInputElement ? el : null;
}

/**
 * Set the subject and tell the page: `input` (what frameworks listen to) then `change`. From the
 * isolated world `.value` goes straight to the native setter, below React's value tracker, so
 * React sees the difference on `input` and updates its state.
 */
export function writeSubject(input: HTMLInputElement, value: string): void {
  if (input.value === value) return;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
