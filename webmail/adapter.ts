/**
 * One interface for every webmail: find the compose windows on a page, read what Send would send,
 * recognise every way to send, send after confirmation, and remove a recipient when staff choose
 * to. Each service's DOM knowledge lives in one module under `adapters/`; the interceptor and the
 * warning know nothing about any particular webmail.
 *
 * Webmail DOMs change without notice, so adapters use stable signals only (name, role, aria-*,
 * data-*, ids; Roundcube's command classes) and say when they cannot find something: a reading
 * method returns `null` for "field not found", and the interceptor then lets Send through and
 * records a health signal rather than guess (docs/send-warnings.md, "Health signals").
 */
import type { AdapterProblem, WebmailService } from '../lib/adapter-health.ts';
import type { ComposeSnapshot } from '../lib/send-warning.ts';

export type { WebmailService };

export type Recipients = ComposeSnapshot['recipients'];

export interface ComposeHandle {
  readonly service: WebmailService;
  /** The element that holds this compose window (a dialog, an inline reply, the whole page). */
  readonly root: Element;
  /** Addresses in To, Cc and Bcc; null when the recipient fields cannot be found. */
  recipients(): Recipients | null;
  /** The subject ('' when the compose has none, as inline replies often do). */
  subject(): string;
  /** The message text as staff see it; null when the editor cannot be found. */
  bodyText(): string | null;
  attachmentNames(): string[];
  /** Every control in this compose that sends it. */
  sendButtons(): HTMLElement[];
  /** Whether this key press (inside the compose) sends the message. */
  isSendShortcut(e: KeyboardEvent): boolean;
  /** Send, as if the member of staff pressed Send (the interceptor lets it through). */
  send(): boolean;
  /** Remove one recipient the way staff would; true if it is gone from every field afterwards. */
  removeRecipient(address: string): boolean;
}

export interface WebmailAdapter {
  readonly service: WebmailService;
  /** Whether this page is this webmail (for self-hosted hosts, where the host alone may not say). */
  detect(doc: Document, location: { hostname: string }): boolean;
  /** The send control `el` is, or is inside; null when it is not one. */
  sendControlOf(el: Element): HTMLElement | null;
  /**
   * The compose a send control or an element inside a compose belongs to. Null when it cannot be
   * told (the page changed): the interceptor then fails safe.
   */
  composeOf(el: Element): ComposeHandle | null;
  findComposes(doc: Document): ComposeHandle[];
}

/** Read everything the check needs, or say which field could not be found. */
export function snapshotOf(
  compose: ComposeHandle,
): { ok: true; snapshot: ComposeSnapshot } | { ok: false; problem: AdapterProblem } {
  const recipients = compose.recipients();
  if (!recipients) return { ok: false, problem: 'recipients_not_found' };
  const body = compose.bodyText();
  if (body === null) return { ok: false, problem: 'body_not_found' };
  return {
    ok: true,
    snapshot: {
      recipients,
      subject: compose.subject(),
      body,
      attachmentNames: compose.attachmentNames(),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the adapters

/** Walk from `el` up to `limit` ancestors (crossing no shadow boundary) for the first match. */
export function closestWhere(
  el: Element | null,
  test: (e: Element) => boolean,
  limit = 12,
): Element | null {
  let cur = el;
  for (let i = 0; cur && i <= limit; i++, cur = cur.parentElement) {
    if (test(cur)) return cur;
  }
  return null;
}

/**
 * The compose window a send control belongs to: its nearest ancestor holding a message editor.
 * If that ancestor holds more than one send control of the same kind, the page no longer has the
 * shape we know (two composes would be mistaken for one), so say "unknown".
 */
export function composeRootOf(
  button: Element,
  editorSelector: string,
  isSendControl: (e: Element) => boolean,
  sendCandidates: string,
  limit = 30,
): Element | null {
  let cur = button.parentElement;
  for (let i = 0; cur && i < limit; i++, cur = cur.parentElement) {
    if (cur.querySelector(editorSelector)) {
      const sends = [...cur.querySelectorAll(sendCandidates)].filter(isSendControl);
      return sends.length <= 1 || sends.every((s) => s === button || s.contains(button))
        ? cur
        : null;
    }
    if (cur === cur.ownerDocument.body) return null;
  }
  return null;
}

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TBODY',
  'TD',
  'TFOOT',
  'TH',
  'THEAD',
  'TR',
  'UL',
]);

/**
 * The text of an editor as it will be sent, with line breaks between blocks. Not `innerText`:
 * that skips hidden parts, and webmails hide the quoted thread ("…") that is still sent with the
 * reply; and not bare `textContent`, which runs "UPN" on one line into the number on the next.
 * Form fields give their value.
 */
export function textOf(el: Element): string {
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) return el.value;
  const out: string[] = [];
  let atLineStart = true;
  const push = (text: string) => {
    if (text.length === 0) return;
    out.push(text);
    atLineStart = text.endsWith('\n');
  };
  // A block starts and ends a line; it never adds an empty one (a <br> does).
  const lineBreak = () => {
    if (!atLineStart) push('\n');
  };
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        push(child.nodeValue ?? '');
      } else if (child.nodeType === 1) {
        const tag = (child as Element).tagName;
        if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE') continue;
        if (tag === 'BR') {
          push('\n');
          continue;
        }
        const block = BLOCK.has(tag);
        if (block) lineBreak();
        walk(child);
        if (block) lineBreak();
      }
    }
  };
  walk(el);
  return out
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Press a control the way a person does: pointer and mouse down/up, then click. */
export function pressControl(el: HTMLElement): void {
  const view = el.ownerDocument.defaultView ?? undefined;
  const init: MouseEventInit = { bubbles: true, cancelable: true, composed: true, view, button: 0 };
  el.dispatchEvent(new MouseEvent('mousedown', init));
  el.dispatchEvent(new MouseEvent('mouseup', init));
  el.dispatchEvent(new MouseEvent('click', init));
}

/** Ctrl+Enter (Windows, Linux, ChromeOS) or ⌘+Enter (macOS), without other modifiers. */
export function isCtrlEnter(e: KeyboardEvent): boolean {
  return e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
}

/** A visible-or-not element is still in the page and not inside a `hidden`/`inert` subtree. */
export function isLive(el: Element): boolean {
  return el.isConnected && !el.closest('[hidden], [inert], [aria-hidden="true"]');
}

export function unique(addresses: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const a of addresses) {
    const key = a.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(a);
    }
  }
  return out;
}

/** Whether `address` is in the list. Addresses are compared ignoring case, as mail servers do. */
export function hasAddress(addresses: readonly string[], address: string): boolean {
  const wanted = address.toLowerCase();
  return addresses.some((a) => a.toLowerCase() === wanted);
}

export type RecipientField = keyof Recipients;

/**
 * To, Cc and Bcc, each read by `readField`, which returns null for a field it cannot find. No To
 * field means the compose is not the shape we know (null); a missing Cc or Bcc is only closed.
 */
export function readRecipientFields(
  readField: (field: RecipientField) => string[] | null,
): Recipients | null {
  const to = readField('to');
  if (to === null) return null;
  return { to, cc: readField('cc') ?? [], bcc: readField('bcc') ?? [] };
}

/**
 * Whether a removal worked, from the recipients read afterwards: true only when the fields could
 * be read and `address` is in none of them.
 */
export function recipientGone(after: Recipients | null, address: string): boolean {
  return after !== null && !hasAddress([...after.to, ...after.cc, ...after.bcc], address);
}

/**
 * Remove a recipient the way staff would, where each recipient is a chip with its own remove
 * control (Gmail, Yahoo): press the control of every chip that carries `address`.
 */
export function pressChipRemovers(
  root: ParentNode,
  chips: { selector: string; addressesOf: (chip: Element) => readonly string[]; remove: string },
  address: string,
): void {
  for (const chip of root.querySelectorAll(chips.selector)) {
    if (!hasAddress(chips.addressesOf(chip), address)) continue;
    const remove = chip.querySelector<HTMLElement>(chips.remove);
    if (remove) pressControl(remove);
  }
}

/** The send controls inside `root`: `candidates` narrowed by the service's own test. */
export function sendControlsIn(
  root: ParentNode,
  candidates: string,
  isSendControl: (e: Element) => boolean,
): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(candidates)].filter(isSendControl);
}

/** Send as staff would, with the first send control; false when the compose has none. */
export function pressFirstSendControl(controls: HTMLElement[]): boolean {
  const [control] = controls;
  if (!control) return false;
  pressControl(control);
  return true;
}

/** The value of the first `<input>` matching `selector`; '' when there is none. */
export function inputValue(root: ParentNode, selector: string): string {
  const input = root.querySelector(selector);
  return input instanceof HTMLInputElement ? input.value : '';
}

/** The text of the first editor matching `selector` (see textOf); null when there is none. */
export function editorText(root: ParentNode, selector: string): string | null {
  const editor = root.querySelector(selector);
  return editor ? textOf(editor) : null;
}

/**
 * The names shown by the elements matching `selector` (attachments), trimmed, empty ones left
 * out; `nameOf` says where this service puts the name.
 */
export function shownNames(
  root: ParentNode,
  selector: string,
  nameOf: (el: Element) => string | null,
): string[] {
  return [...root.querySelectorAll(selector)]
    .map((el) => (nameOf(el) ?? '').trim())
    .filter(Boolean);
}

/**
 * An adapter for a webmail whose compose windows (pop-ups, inline replies, several at once) are
 * found from their Send controls: a compose is the nearest ancestor of Send holding one editor
 * (composeRootOf). The service supplies its selectors and how to read a compose (`open`).
 */
export function composeWindowAdapter(service: {
  service: WebmailService;
  detect: WebmailAdapter['detect'];
  /** Selector for the message editor that marks a compose window. */
  editor: string;
  /** Selector for elements that may be Send controls (isSendControl decides). */
  sendCandidates: string;
  isSendControl: (e: Element) => boolean;
  open: (root: Element) => ComposeHandle;
}): WebmailAdapter {
  const { editor, sendCandidates, isSendControl, open } = service;
  const rootOf = (send: Element) => composeRootOf(send, editor, isSendControl, sendCandidates);
  return {
    service: service.service,
    detect: service.detect,
    sendControlOf: (el) => closestWhere(el, isSendControl, 6) as HTMLElement | null,
    composeOf(el) {
      const send = closestWhere(el, isSendControl, 6);
      if (send) {
        const root = rootOf(send);
        return root ? open(root) : null;
      }
      return this.findComposes(el.ownerDocument).find((c) => c.root.contains(el)) ?? null;
    },
    findComposes(doc) {
      const roots = new Set<Element>();
      for (const button of sendControlsIn(doc, sendCandidates, isSendControl)) {
        const root = rootOf(button);
        if (root) roots.add(root);
      }
      return [...roots].map(open);
    },
  };
}
