/**
 * Gmail (mail.google.com). What we rely on, after gmail.js and InboxSDK
 * (../shared/reference/webmail.md):
 *
 * - Send is a `div[role=button]` whose `data-tooltip`/`aria-label` starts with "Send"; in every
 *   language its tooltip names the shortcut ("Send ‪(Ctrl-Enter)‬", "Senden (⌘Enter)"), which is
 *   how we recognise it when the label is not English. Keyboard send is Ctrl/⌘+Enter.
 * - The message body is `div[contenteditable=true][g_editable=true]` (also
 *   `aria-label="Message Body"`); a compose window (pop-up, pop-out or inline reply) is the nearest
 *   ancestor of a Send button that holds one body.
 * - Recipients are chips `[data-hovercard-id]` (the address) inside `[name=to|cc|bcc]`, plus the
 *   text being typed (`input`/`textarea[name=to]`) and, in the older UI, `input[type=hidden]`.
 * - Attachments: `div.dL div.vI` (class names, the only known hook; a miss only loses names).
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

const EDITOR =
  'div[contenteditable="true"][g_editable="true"], div[contenteditable="true"][aria-label="Message Body"]';
const SEND_CANDIDATES = '[role="button"][data-tooltip], [role="button"][aria-label]';

function isSendControl(el: Element): boolean {
  if (el.getAttribute('role') !== 'button') return false;
  const label = `${el.getAttribute('data-tooltip') ?? ''} ${el.getAttribute('aria-label') ?? ''}`;
  // "Send" (and only Send: not "Send later", "More send options"), or the shortcut in the tooltip.
  return /^\s*Send\b(?!\s*(later|options))/i.test(label) || /(Ctrl|⌘)\s*-?\s*Enter/i.test(label);
}

function readField(root: Element, field: RecipientField): string[] | null {
  const holders = root.querySelectorAll(`[name="${field}"]`);
  if (holders.length === 0) return null;
  const found: string[] = [];
  for (const holder of holders) {
    if (holder instanceof HTMLInputElement || holder instanceof HTMLTextAreaElement) {
      // Typed text, or the old UI's hidden field: only complete addresses count.
      found.push(...parseAddressList(holder.value));
      continue;
    }
    for (const chip of holder.querySelectorAll('[data-hovercard-id]')) {
      found.push(...findAddresses(chip.getAttribute('data-hovercard-id') ?? ''));
    }
    for (const input of holder.querySelectorAll('input, textarea')) {
      if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) {
        found.push(...parseAddressList(input.value));
      }
    }
  }
  return unique(found);
}

class GmailCompose implements ComposeHandle {
  readonly service = 'gmail' as const;
  constructor(readonly root: Element) {}

  recipients(): Recipients | null {
    return readRecipientFields((field) => readField(this.root, field));
  }

  subject(): string {
    return inputValue(this.root, 'input[name="subjectbox"]');
  }

  bodyText(): string | null {
    return editorText(this.root, EDITOR);
  }

  appendToBody(text: string): boolean {
    return appendToEditor(this.root, EDITOR, text);
  }

  attachmentNames(): string[] {
    return shownNames(this.root, 'div.dL div.vI', (el) => el.textContent);
  }

  sendButtons(): HTMLElement[] {
    return sendControlsIn(this.root, SEND_CANDIDATES, isSendControl);
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
        selector: '[data-hovercard-id]',
        addressesOf: (chip) => [chip.getAttribute('data-hovercard-id') ?? ''],
        remove:
          '[role="button"][aria-label^="Remove" i], [role="button"][data-tooltip^="Remove" i]',
      },
      address,
    );
    return recipientGone(this.recipients(), address);
  }
}

export const gmail: WebmailAdapter = composeWindowAdapter({
  service: 'gmail',
  detect: (_doc, location) => location.hostname === 'mail.google.com',
  editor: EDITOR,
  sendCandidates: SEND_CANDIDATES,
  isSendControl,
  open: (root) => new GmailCompose(root),
});
