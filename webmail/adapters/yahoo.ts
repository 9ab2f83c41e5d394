/**
 * Yahoo Mail (mail.yahoo.com, a personal mailbox by definition). Yahoo marks its compose with
 * `data-test-id` attributes, the most stable hooks of the four services
 * (../shared/reference/webmail.md):
 *
 * - Send `button[data-test-id="compose-send-button"]`; Ctrl/⌘+Enter sends.
 * - Body `[data-test-id="rte"]`; a compose is the nearest ancestor of Send holding one body.
 * - Recipients `[data-test-id="container-to|cc|bcc"] [data-test-id="pill"]` (address in `title`),
 *   typed text in `#message-to-field` (or any input in the container).
 * - Subject `[data-test-id="compose-subject"]` / `#message-subject-field`.
 * - Unverified, kept to one place: a pill's remove control (`[data-test-id="icon-btn-close"]` or a
 *   button labelled "Remove…") and attachment names (`[data-test-id="attachment-name"]`).
 */
import { findAddresses, parseAddressList } from '../../lib/address-list.ts';
import {
  appendToEditor,
  type ComposeHandle,
  composeWindowAdapter,
  editorText,
  inputValue,
  isCtrlEnter,
  pressChipRemovers,
  pressFirstSendControl,
  type RecipientField,
  type Recipients,
  readRecipientFields,
  recipientGone,
  sendControlsIn,
  shownNames,
  unique,
  type WebmailAdapter,
} from '../adapter.ts';

const EDITOR = '[data-test-id="rte"]';
const SEND = 'button[data-test-id="compose-send-button"]';

const isSendControl = (el: Element): boolean => el.matches(SEND);

function container(root: Element, field: RecipientField): Element | null {
  return root.querySelector(`[data-test-id="container-${field}"]`);
}

function pillAddress(pill: Element): string[] {
  return findAddresses(`${pill.getAttribute('title') ?? ''} ${pill.textContent ?? ''}`).slice(0, 1);
}

function readContainer(c: Element): string[] {
  const found: string[] = [];
  for (const pill of c.querySelectorAll('[data-test-id="pill"]')) found.push(...pillAddress(pill));
  for (const input of c.querySelectorAll('input')) found.push(...parseAddressList(input.value));
  return unique(found);
}

class YahooCompose implements ComposeHandle {
  readonly service = 'yahoo' as const;
  constructor(readonly root: Element) {}

  recipients(): Recipients | null {
    return readRecipientFields((field) => {
      const c = container(this.root, field);
      return c ? readContainer(c) : null;
    });
  }

  subject(): string {
    return inputValue(this.root, '[data-test-id="compose-subject"], #message-subject-field');
  }

  bodyText(): string | null {
    return editorText(this.root, EDITOR);
  }

  appendToBody(text: string): boolean {
    return appendToEditor(this.root, EDITOR, text);
  }

  attachmentNames(): string[] {
    return shownNames(
      this.root,
      '[data-test-id="attachment-name"]',
      (el) => el.getAttribute('title') ?? el.textContent,
    );
  }

  sendButtons(): HTMLElement[] {
    return sendControlsIn(this.root, SEND, isSendControl);
  }

  isSendShortcut(e: KeyboardEvent): boolean {
    return isCtrlEnter(e);
  }

  send(): boolean {
    return pressFirstSendControl(this.sendButtons());
  }

  removeRecipient(address: string): boolean {
    pressChipRemovers(
      this.root,
      {
        selector: '[data-test-id="pill"]',
        addressesOf: pillAddress,
        remove:
          '[data-test-id="icon-btn-close"], button[aria-label^="Remove" i], [role="button"][aria-label^="Remove" i]',
      },
      address,
    );
    return recipientGone(this.recipients(), address);
  }
}

export const yahoo: WebmailAdapter = composeWindowAdapter({
  service: 'yahoo',
  detect: (_doc, location) => location.hostname === 'mail.yahoo.com',
  editor: EDITOR,
  sendCandidates: SEND,
  isSendControl,
  open: (root) => new YahooCompose(root),
});
