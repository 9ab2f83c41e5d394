/**
 * Outlook on the web: work (outlook.office.com, outlook.office365.com) and personal
 * (outlook.live.com) share one app. What we rely on (../shared/reference/webmail.md,
 * OutlookSendingSafety):
 *
 * - Send is `button[aria-label="Send"]` (its `title` carries the shortcut, "Send (Ctrl+Enter)").
 *   Ctrl/⌘+Enter sends; Alt+S sends too in Outlook's own keyboard mode.
 * - The body is `div[role=textbox][aria-label^="Message body"]`; a compose (full page, pop-out or
 *   inline reply in the reading pane) is the nearest ancestor of Send that holds one body.
 * - Recipient wells `[aria-label="To"|"Cc"|"Bcc"]` hold chips whose address is in their text,
 *   `title` or `aria-label`; we read every address-shaped string in the well. Known gap: a chip
 *   that shows only a display name, with the address only in its hover card, is not read.
 * - Subject `input[aria-label="Add a subject"]`; attachments are list items under an element
 *   labelled "Attachments" (unverified; a miss only loses attachment names).
 */
import { findAddresses } from '../../lib/address-list.ts';
import {
  appendToEditor,
  type ComposeHandle,
  closestWhere,
  composeWindowAdapter,
  editorText,
  hasAddress,
  inputValue,
  isCtrlEnter,
  pressControl,
  pressFirstSendControl,
  type Recipients,
  readRecipientFields,
  recipientGone,
  sendControlsIn,
  shownNames,
  unique,
  type WebmailAdapter,
} from '../adapter.ts';

const EDITOR =
  'div[role="textbox"][aria-label^="Message body"], div[contenteditable="true"][aria-label^="Message body"]';
const SEND_CANDIDATES = 'button[aria-label], button[title], [role="button"][aria-label]';
const WELL_LABELS = { to: 'To', cc: 'Cc', bcc: 'Bcc' } as const;

export const OUTLOOK_HOSTS = ['outlook.office.com', 'outlook.office365.com', 'outlook.live.com'];

function isSendControl(el: Element): boolean {
  if (!(el.tagName === 'BUTTON' || el.getAttribute('role') === 'button')) return false;
  const label = el.getAttribute('aria-label') ?? '';
  const title = el.getAttribute('title') ?? '';
  return /^\s*Send\s*$/i.test(label) || /\((Ctrl|⌘)\s*\+\s*Enter\)/i.test(title);
}

/** Every address in a recipient well: chip text, titles and labels, and what is being typed. */
function wellAddresses(well: Element): string[] {
  const found: string[] = [];
  const take = (s: string | null) => {
    if (s) found.push(...findAddresses(s));
  };
  take(well.textContent);
  for (const el of [well, ...well.querySelectorAll('[title], [aria-label]')]) {
    take(el.getAttribute('title'));
    take(el.getAttribute('aria-label'));
  }
  for (const input of well.querySelectorAll('input')) take(input.value);
  return unique(found);
}

class OutlookCompose implements ComposeHandle {
  readonly service = 'outlook' as const;
  constructor(readonly root: Element) {}

  private well(field: keyof typeof WELL_LABELS): Element | null {
    return this.root.querySelector(`[aria-label="${WELL_LABELS[field]}"]:not(input)`);
  }

  recipients(): Recipients | null {
    return readRecipientFields((field) => {
      const well = this.well(field);
      return well ? wellAddresses(well) : null;
    });
  }

  subject(): string {
    return inputValue(this.root, 'input[aria-label="Add a subject"], input[aria-label="Subject"]');
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
      '[aria-label="Attachments"] [role="listitem"]',
      (el) => el.getAttribute('title') ?? el.textContent,
    );
  }

  sendButtons(): HTMLElement[] {
    return sendControlsIn(this.root, SEND_CANDIDATES, isSendControl);
  }

  isSendShortcut(e: KeyboardEvent): boolean {
    const altS = e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 's' || e.key === 'S');
    return isCtrlEnter(e) || altS;
  }

  send(): boolean {
    return pressFirstSendControl(this.sendButtons());
  }

  removeRecipient(address: string): boolean {
    for (const field of ['to', 'cc', 'bcc'] as const) {
      const well = this.well(field);
      if (!well) continue;
      // The chip is the smallest element that carries the address and has a remove button.
      for (const remove of well.querySelectorAll<HTMLElement>(
        'button[aria-label^="Remove" i], [role="button"][aria-label^="Remove" i]',
      )) {
        const chip = closestWhere(
          remove.parentElement,
          (el) => hasAddress(wellAddresses(el), address),
          4,
        );
        if (chip && chip !== well && wellAddresses(chip).length === 1) pressControl(remove);
      }
    }
    return recipientGone(this.recipients(), address);
  }
}

export const outlook: WebmailAdapter = composeWindowAdapter({
  service: 'outlook',
  detect: (_doc, location) => OUTLOOK_HOSTS.includes(location.hostname),
  editor: EDITOR,
  sendCandidates: SEND_CANDIDATES,
  isSendControl,
  open: (root) => new OutlookCompose(root),
});
