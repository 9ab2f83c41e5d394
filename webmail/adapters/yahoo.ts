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

const EDITOR = '[data-test-id="rte"]';
const SEND = 'button[data-test-id="compose-send-button"]';

const isSendControl = (el: Element): boolean => el.matches(SEND);

function container(root: Element, field: 'to' | 'cc' | 'bcc'): Element | null {
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
    const to = container(this.root, 'to');
    if (!to) return null;
    const cc = container(this.root, 'cc');
    const bcc = container(this.root, 'bcc');
    return {
      to: readContainer(to),
      cc: cc ? readContainer(cc) : [],
      bcc: bcc ? readContainer(bcc) : [],
    };
  }

  subject(): string {
    const input = this.root.querySelector(
      '[data-test-id="compose-subject"], #message-subject-field',
    );
    return input instanceof HTMLInputElement ? input.value : '';
  }

  bodyText(): string | null {
    const editor = this.root.querySelector(EDITOR);
    return editor ? textOf(editor) : null;
  }

  attachmentNames(): string[] {
    return [...this.root.querySelectorAll('[data-test-id="attachment-name"]')]
      .map((el) => (el.getAttribute('title') ?? el.textContent ?? '').trim())
      .filter(Boolean);
  }

  sendButtons(): HTMLElement[] {
    return [...this.root.querySelectorAll<HTMLElement>(SEND)];
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
    for (const pill of this.root.querySelectorAll('[data-test-id="pill"]')) {
      if (!pillAddress(pill).some((a) => a.toLowerCase() === wanted)) continue;
      const remove = pill.querySelector<HTMLElement>(
        '[data-test-id="icon-btn-close"], button[aria-label^="Remove" i], [role="button"][aria-label^="Remove" i]',
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

export const yahoo: WebmailAdapter = {
  service: 'yahoo',
  detect: (_doc, location) => location.hostname === 'mail.yahoo.com',
  sendControlOf: (el) => closestWhere(el, isSendControl, 6) as HTMLElement | null,
  composeOf(el) {
    const send = closestWhere(el, isSendControl, 6);
    if (send) {
      const root = composeRootOf(send, EDITOR, isSendControl, SEND);
      return root ? new YahooCompose(root) : null;
    }
    return this.findComposes(el.ownerDocument).find((c) => c.root.contains(el)) ?? null;
  },
  findComposes(doc) {
    const roots = new Set<Element>();
    for (const button of doc.querySelectorAll(SEND)) {
      const root = composeRootOf(button, EDITOR, isSendControl, SEND);
      if (root) roots.add(root);
    }
    return [...roots].map((r) => new YahooCompose(r));
  },
};
