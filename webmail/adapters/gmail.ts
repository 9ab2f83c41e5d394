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
  type ComposeHandle,
  closestWhere,
  composeRootOf,
  isCtrlEnter,
  pressControl,
  type Recipients,
  textOf,
  unique,
  type WebmailAdapter,
} from '../adapter.ts';

const EDITOR =
  'div[contenteditable="true"][g_editable="true"], div[contenteditable="true"][aria-label="Message Body"]';
const SEND_CANDIDATES = '[role="button"][data-tooltip], [role="button"][aria-label]';
const FIELDS = ['to', 'cc', 'bcc'] as const;

function isSendControl(el: Element): boolean {
  if (el.getAttribute('role') !== 'button') return false;
  const label = `${el.getAttribute('data-tooltip') ?? ''} ${el.getAttribute('aria-label') ?? ''}`;
  // "Send" (and only Send: not "Send later", "More send options"), or the shortcut in the tooltip.
  return /^\s*Send\b(?!\s*(later|options))/i.test(label) || /(Ctrl|⌘)\s*-?\s*Enter/i.test(label);
}

function readField(root: Element, field: (typeof FIELDS)[number]): string[] | null {
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
    const to = readField(this.root, 'to');
    if (to === null) return null;
    return { to, cc: readField(this.root, 'cc') ?? [], bcc: readField(this.root, 'bcc') ?? [] };
  }

  subject(): string {
    const input = this.root.querySelector('input[name="subjectbox"]');
    return input instanceof HTMLInputElement ? input.value : '';
  }

  bodyText(): string | null {
    const editor = this.root.querySelector(EDITOR);
    return editor ? textOf(editor) : null;
  }

  attachmentNames(): string[] {
    return [...this.root.querySelectorAll('div.dL div.vI')]
      .map((el) => (el.textContent ?? '').trim())
      .filter(Boolean);
  }

  sendButtons(): HTMLElement[] {
    return [...this.root.querySelectorAll<HTMLElement>(SEND_CANDIDATES)].filter(isSendControl);
  }

  isSendShortcut(e: KeyboardEvent): boolean {
    return isCtrlEnter(e);
  }

  send(): boolean {
    const [button] = this.sendButtons();
    if (!button) return false;
    pressControl(button);
    return true;
  }

  removeRecipient(address: string): boolean {
    const wanted = address.toLowerCase();
    for (const chip of this.root.querySelectorAll<HTMLElement>('[data-hovercard-id]')) {
      if ((chip.getAttribute('data-hovercard-id') ?? '').toLowerCase() !== wanted) continue;
      const remove = chip.querySelector<HTMLElement>(
        '[role="button"][aria-label^="Remove" i], [role="button"][data-tooltip^="Remove" i]',
      );
      if (remove) pressControl(remove);
    }
    const left = this.recipients();
    return (
      left !== null &&
      ![...left.to, ...left.cc, ...left.bcc].some((a) => a.toLowerCase() === wanted)
    );
  }
}

export const gmail: WebmailAdapter = {
  service: 'gmail',
  detect: (_doc, location) => location.hostname === 'mail.google.com',
  sendControlOf: (el) => closestWhere(el, isSendControl, 6) as HTMLElement | null,
  composeOf(el) {
    const send = closestWhere(el, isSendControl, 6);
    if (send) {
      const root = composeRootOf(send, EDITOR, isSendControl, SEND_CANDIDATES);
      return root ? new GmailCompose(root) : null;
    }
    return this.findComposes(el.ownerDocument).find((c) => c.root.contains(el)) ?? null;
  },
  findComposes(doc) {
    const roots = new Set<Element>();
    for (const button of doc.querySelectorAll(SEND_CANDIDATES)) {
      if (!isSendControl(button)) continue;
      const root = composeRootOf(button, EDITOR, isSendControl, SEND_CANDIDATES);
      if (root) roots.add(root);
    }
    return [...roots].map((r) => new GmailCompose(r));
  },
};
