/**
 * Roundcube 1.6, elastic skin (self-hosted; a school names its host in policy `webmailSites`).
 * Checked against Roundcube's own source (program/js/app.js, skins/elastic/ui.js) and a real
 * Roundcube in tests/e2e/roundcube-send-warning.spec.ts.
 *
 * - One compose per page (`?_task=mail&_action=compose`, also in a pop-out window).
 * - To/Cc/Bcc are `textarea#_to/#_cc/#_bcc`: what Roundcube submits. The visible recipient widget
 *   (`ul.recipient-input`) writes into them on every change, including text still being typed.
 * - Subject `input#compose-subject`; body `textarea#composebody`, or in HTML mode TinyMCE's
 *   same-origin iframe `#composebody_ifr`, whose text we read directly (TinyMCE copies it to the
 *   textarea only on submit).
 * - Attachments `#attachment-list li`.
 *
 * Sending. Every way the UI sends goes through a click on `button.send` (the form button, bound to
 * `rcmail.command('send')`): the small-screen toolbar's `a.send` is a clone whose handler calls
 * `.click()` on it, Roundcube has no keyboard shortcut for Send, and Enter in a field does not
 * submit. So intercepting clicks (and Enter/Space) on those controls in the isolated world is
 * enough, and no page-world hook (`rcmail.addEventListener('beforesend')`) is needed. What it
 * does not cover: a plugin or page script calling `rcmail.command('send')` itself.
 * The "no subject" prompt's own Send button (inside Roundcube's dialog) is not intercepted: it
 * appears only after our check has already let the message through.
 */
import { parseAddressList, removeFromAddressList } from '../../lib/address-list.ts';
import {
  appendText,
  type ComposeHandle,
  closestWhere,
  hasAddress,
  inputValue,
  pressControl,
  pressFirstSendControl,
  type RecipientField,
  type Recipients,
  readRecipientFields,
  recipientGone,
  sendControlsIn,
  shownNames,
  textOf,
  type WebmailAdapter,
} from '../adapter.ts';

const SEND = 'button.send, a.send, [onclick*="command(\'send\'"]';

function isSendControl(el: Element): boolean {
  return el.matches(SEND) && !el.closest('.ui-dialog, [role="dialog"], [role="alertdialog"]');
}

function isComposePage(doc: Document): boolean {
  return !!doc.querySelector('textarea#_to') || !!doc.querySelector('input#compose-subject');
}

function field(doc: Document, name: RecipientField): HTMLTextAreaElement | null {
  const el = doc.querySelector(`#_${name}`);
  return el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement
    ? (el as HTMLTextAreaElement)
    : null;
}

class RoundcubeCompose implements ComposeHandle {
  readonly service = 'roundcube' as const;
  readonly root: Element;
  constructor(private readonly doc: Document) {
    this.root = doc.body;
  }

  recipients(): Recipients | null {
    return readRecipientFields((name) => {
      const textarea = field(this.doc, name);
      return textarea ? parseAddressList(textarea.value) : null;
    });
  }

  subject(): string {
    return inputValue(this.doc, 'input#compose-subject');
  }

  /** The element holding the message: TinyMCE's iframe body in HTML mode, else the textarea. */
  private editor(): Element | null {
    const frame = this.doc.querySelector('iframe#composebody_ifr');
    const textarea = this.doc.querySelector('textarea#composebody');
    // HTML mode: TinyMCE hides the textarea and edits in the iframe.
    if (frame instanceof HTMLIFrameElement && frame.contentDocument?.body) {
      const hidden = textarea instanceof HTMLElement && textarea.style.display === 'none';
      if (hidden || !(textarea instanceof HTMLTextAreaElement)) return frame.contentDocument.body;
    }
    return textarea instanceof HTMLTextAreaElement ? textarea : null;
  }

  bodyText(): string | null {
    const editor = this.editor();
    return editor ? textOf(editor) : null;
  }

  /** Plain text: onto the textarea Roundcube submits. HTML: into TinyMCE's body, which it saves. */
  appendToBody(text: string): boolean {
    const editor = this.editor();
    return editor ? appendText(editor, text) : false;
  }

  attachmentNames(): string[] {
    // The name without the size Roundcube shows after it ("report.pdf (2.1 MB)").
    return shownNames(this.doc, '#attachment-list li', (li) =>
      (
        li.querySelector('.attachment-name, .filename')?.textContent ??
        li.textContent ??
        ''
      ).replace(/\s*\([^)]*\)\s*$/, ''),
    );
  }

  sendButtons(): HTMLElement[] {
    const all = sendControlsIn(this.doc, SEND, isSendControl);
    // The form button first: the toolbar clone only forwards to it.
    return [
      ...all.filter((b) => b.tagName === 'BUTTON'),
      ...all.filter((b) => b.tagName !== 'BUTTON'),
    ];
  }

  isSendShortcut(): boolean {
    return false;
  }

  send(): boolean {
    return pressFirstSendControl(this.sendButtons());
  }

  removeRecipient(address: string): boolean {
    for (const name of ['to', 'cc', 'bcc'] as const) {
      const textarea = field(this.doc, name);
      if (!textarea || !hasAddress(parseAddressList(textarea.value), address)) continue;
      // As staff would: the × on the recipient box (Roundcube then rewrites the textarea).
      const widget = textarea.parentElement?.querySelector('ul.recipient-input');
      for (const box of widget?.querySelectorAll('li.recipient') ?? []) {
        const text = `${box.getAttribute('title') ?? ''} ${box.textContent ?? ''}`;
        if (!hasAddress(parseAddressList(text), address)) continue;
        const remove = box.querySelector<HTMLElement>('a.remove, .remove');
        if (remove) pressControl(remove);
      }
      if (hasAddress(parseAddressList(textarea.value), address)) {
        // No widget (old skin) or it did not react: edit the field Roundcube submits, and tell the
        // widget, which re-renders from it on `change`.
        textarea.value = removeFromAddressList(textarea.value, address);
        textarea.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
    return recipientGone(this.recipients(), address);
  }
}

export const roundcube: WebmailAdapter = {
  service: 'roundcube',
  detect: (doc) =>
    !!doc.querySelector(
      'input#compose-subject, textarea#_to, #rcmloginuser, script[src*="program/js/app"]',
    ),
  sendControlOf: (el) => closestWhere(el, isSendControl, 4) as HTMLElement | null,
  composeOf(el) {
    const doc = el.ownerDocument;
    return isComposePage(doc) ? new RoundcubeCompose(doc) : null;
  },
  findComposes(doc) {
    return isComposePage(doc) && doc.body ? [new RoundcubeCompose(doc)] : [];
  },
};
